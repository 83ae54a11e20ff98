"""Documented information: controlled documents and their revisions, change requests,
distribution, comments, the external (legal) document register, review tasks and records."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eiso.core.policy import Scope
from eiso.core.text import fold
from eiso.documents.choices import (
    OPEN_STATUSES,
    ChangeRequestKind,
    ChangeRequestStatus,
    DocumentKind,
    ExternalDocumentStatus,
    ExternalDocumentType,
    ReviewReason,
    ReviewTaskStatus,
    RevisionAction,
    RevisionStatus,
)


class Document(models.Model):
    """A controlled document of an agency (QT-05, BM-01-QT05, STCL…). Its content lives in revisions."""

    scope = Scope(agency="agency", unit="owner_unit", document="")

    agency = models.ForeignKey("organizations.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="documents")
    code = models.CharField(_("code"), max_length=60)
    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    owner_unit = models.ForeignKey("organizations.Unit", verbose_name=_("owning unit"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="documents")
    parent = models.ForeignKey("self", verbose_name=_("belongs to"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="attachments",
                               help_text=_("For a form: the procedure it belongs to."))
    distribution_units = models.ManyToManyField(
        "organizations.Unit", verbose_name=_("distributed to"), blank=True, related_name="distributed_documents",
        help_text=_("Units whose people must read each new effective revision; empty means the whole agency."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    title_folded = models.CharField(max_length=500, editable=False, default="")

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["agency", "kind", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "code"], name="document_code_unique_in_agency",
                violation_error_code="duplicate_code",
                violation_error_message=_("This code is already used by another document of the agency."),
            ),
            # An agency has one quality policy (ISO 9001 5.2); it changes by new revisions, one in force.
            models.UniqueConstraint(
                fields=["agency"], condition=Q(kind=DocumentKind.POLICY), name="one_quality_policy_per_agency",
                violation_error_code="second_policy",
                violation_error_message=_("The agency already has its quality policy: issue a new revision of it "
                                          "instead of a second policy."),
            ),
        ]
        indexes = [models.Index(fields=["agency", "kind"], name="document_agency_kind_idx")]

    def __str__(self):
        return f"{self.code} {self.title}"

    def save(self, *args, **kwargs):
        self.title_folded = fold(f"{self.code} {self.title}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"code", "title"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "title_folded"}
        super().save(*args, **kwargs)


class DocumentRevision(models.Model):
    """One issue (lần ban hành) of a document. Effective revisions never change; a change is a new
    revision. The database allows exactly one effective revision per document."""

    scope = Scope(agency="document__agency", unit="document__owner_unit", document="document", revision="")
    TEXT_LIMITS = {"content": 500_000}  # a whole procedure's text (core.services.TEXT_LIMIT for the rest)

    document = models.ForeignKey(Document, verbose_name=_("document"), on_delete=models.PROTECT,
                                 related_name="revisions")
    issue_number = models.PositiveIntegerField(_("issue number"))
    status = models.CharField(_("status"), max_length=20, choices=RevisionStatus.choices,
                              default=RevisionStatus.DRAFT)
    change_summary = models.TextField(_("change summary"), blank=True)
    content = models.TextField(_("content"), blank=True,
                               help_text=_("The text of the revision, if it is written here rather than in a file."))
    # Texts of a procedure's sections (DOMAIN.md §4): {"purpose", "scope", "definitions", "content"};
    # sections 3 (references), 6 (forms) and 7 (records) come from the linked objects.
    sections = models.JSONField(_("sections"), default=dict, blank=True)
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("drafted by"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    obsolete_at = models.DateTimeField(_("obsolete since"), null=True, blank=True)
    change_request = models.ForeignKey("ChangeRequest", verbose_name=_("change request"), null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="revisions")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["document", "-issue_number"]
        constraints = [
            models.UniqueConstraint(fields=["document"], condition=Q(status=RevisionStatus.EFFECTIVE),
                                    name="one_effective_revision_per_document",
                                    violation_error_message=_("The document already has an effective revision.")),
            models.UniqueConstraint(fields=["document", "issue_number"], name="revision_issue_unique"),
            # One revision in the works at a time: a new draft waits for the previous one to finish.
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(status__in=list(OPEN_STATUSES)),
                name="one_open_revision_per_document",
                violation_error_message=_("The document already has a revision being drafted or reviewed."),
            ),
        ]
        indexes = [models.Index(fields=["status", "effective_date"], name="revision_status_date_idx")]

    def __str__(self):
        return _("%(code)s — issue %(number)s") % {"code": self.document.code, "number": self.issue_number}

    @property
    def agency_id(self):
        return self.document.agency_id

    @property
    def is_obsolete(self) -> bool:
        return self.status in (RevisionStatus.SUPERSEDED, RevisionStatus.WITHDRAWN)


class RevisionTransition(models.Model):
    """Who moved a revision, when, from which status to which, with their comment."""

    scope = Scope(agency="revision__document__agency", unit="revision__document__owner_unit", revision="revision")

    revision = models.ForeignKey(DocumentRevision, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(_("action"), max_length=20, choices=RevisionAction.choices)
    from_status = models.CharField(_("from"), max_length=20, choices=RevisionStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=RevisionStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("time"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("revision status change")
        verbose_name_plural = _("revision status changes")
        ordering = ["revision", "at", "id"]

    def __str__(self):
        return f"{self.revision_id}: {self.from_status} → {self.to_status}"


def revision_file_path(instance, filename: str) -> str:
    """Stored under a generated name; the original name is kept in the row, not on disk."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"documents/{instance.revision.document.agency_id}/{uuid.uuid4().hex}{suffix}"


class RevisionFile(models.Model):
    scope = Scope(agency="revision__document__agency", unit="revision__document__owner_unit", revision="revision")

    revision = models.ForeignKey(DocumentRevision, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(_("file"), upload_to=revision_file_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    file_type = models.CharField(_("type"), max_length=10)  # docx, pdf, xlsx: detected from the content
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("checksum (SHA-256)"), max_length=64)
    text = models.TextField(blank=True, editable=False)  # extracted for search
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("revision file")
        verbose_name_plural = _("revision files")
        ordering = ["revision", "id"]

    def __str__(self):
        return self.original_name

    @property
    def agency_id(self):
        return self.revision.document.agency_id


class ChangeRequest(models.Model):
    """Phiếu đề nghị ban hành/sửa đổi/hủy bỏ tài liệu."""

    scope = Scope(agency="agency", unit="document__owner_unit", document="document")

    agency = models.ForeignKey("organizations.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="change_requests")
    kind = models.CharField(_("request"), max_length=20, choices=ChangeRequestKind.choices)
    document = models.ForeignKey(Document, verbose_name=_("document"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="change_requests")
    # For a request to issue a new document: what it would be.
    proposed_code = models.CharField(_("proposed code"), max_length=60, blank=True)
    proposed_title = models.CharField(_("proposed title"), max_length=500, blank=True)
    proposed_kind = models.CharField(_("proposed kind"), max_length=30, choices=DocumentKind.choices, blank=True)
    proposed_unit = models.ForeignKey("organizations.Unit", verbose_name=_("proposed owning unit"), null=True,
                                      blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    proposal = models.TextField(_("proposed content or changes"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=20, choices=ChangeRequestStatus.choices,
                              default=ChangeRequestStatus.SUBMITTED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        target = self.document.code if self.document_id else self.proposed_code
        return f"{self.get_kind_display()} {target}".strip()


class DistributionEntry(models.Model):
    """A person who must read an effective revision, and when they acknowledged it."""

    scope = Scope(agency="revision__document__agency", unit="revision__document__owner_unit", revision="revision")

    revision = models.ForeignKey(DocumentRevision, on_delete=models.CASCADE, related_name="distribution")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reader"), on_delete=models.PROTECT,
                             related_name="document_distribution")
    notified_at = models.DateTimeField(_("sent"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)

    class Meta:
        verbose_name = _("distribution entry")
        verbose_name_plural = _("distribution list")
        ordering = ["revision", "user__full_name"]
        constraints = [models.UniqueConstraint(fields=["revision", "user"], name="distribution_unique")]
        indexes = [models.Index(fields=["user", "acknowledged_at"], name="distribution_user_ack_idx")]

    def __str__(self):
        return f"{self.user_id} ← {self.revision_id}"

    @property
    def agency_id(self):
        return self.revision.document.agency_id


class Comment(models.Model):
    """Góp ý: a staff member's comment on a draft or an effective revision."""

    scope = Scope(agency="revision__document__agency", unit="revision__document__owner_unit", revision="revision")

    revision = models.ForeignKey(DocumentRevision, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT,
                               related_name="document_comments")
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["revision", "created_at", "id"]

    def __str__(self):
        return self.body[:80]

    @property
    def agency_id(self):
        return self.revision.document.agency_id


class ExternalDocument(models.Model):
    """Tài liệu có nguồn gốc bên ngoài: a law, decree, circular, decision or standard an agency applies."""

    scope = Scope(agency="agency")

    agency = models.ForeignKey("organizations.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="external_documents")
    number = models.CharField(_("number and symbol"), max_length=100)
    doc_type = models.CharField(_("type"), max_length=20, choices=ExternalDocumentType.choices)
    title = models.CharField(_("title"), max_length=500)
    issuer = models.CharField(_("issued by"), max_length=200)
    issued_on = models.DateField(_("issue date"), null=True, blank=True)
    effective_on = models.DateField(_("effective date"), null=True, blank=True)
    expires_on = models.DateField(_("expiry date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ExternalDocumentStatus.choices,
                              default=ExternalDocumentStatus.IN_FORCE)
    replaced_by = models.ForeignKey("self", verbose_name=_("replaced by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="replaces")
    cited_by = models.ManyToManyField(Document, verbose_name=_("cited by"), blank=True,
                                      related_name="legal_basis")
    note = models.TextField(_("note"), blank=True)
    number_folded = models.CharField(max_length=600, editable=False, default="")

    class Meta:
        verbose_name = _("external document")
        verbose_name_plural = _("external documents")
        ordering = ["agency", "-issued_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "number"], name="external_number_unique_in_agency",
                violation_error_code="duplicate_number",
                violation_error_message=_("This number is already in the agency's register."),
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(effective_on__isnull=True)
                | Q(expires_on__gte=models.F("effective_on")),
                name="external_dates_consistent",
                violation_error_message=_("The expiry date cannot be before the effective date."),
            ),
        ]

    def __str__(self):
        return self.number

    def save(self, *args, **kwargs):
        self.number_folded = fold(f"{self.number} {self.title} {self.issuer}")[:600]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"number", "title", "issuer"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "number_folded"}
        super().save(*args, **kwargs)


class ReviewTask(models.Model):
    """A procedure to review because a legal document it cites changed (QĐ 19/2014: within 3 months
    of the new document taking effect)."""

    scope = Scope(agency="agency", unit="document__owner_unit", document="document")

    agency = models.ForeignKey("organizations.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="review_tasks")
    document = models.ForeignKey(Document, verbose_name=_("procedure"), on_delete=models.PROTECT,
                                 related_name="review_tasks")
    external_document = models.ForeignKey(ExternalDocument, verbose_name=_("changed legal document"),
                                          on_delete=models.PROTECT, related_name="review_tasks")
    reason = models.CharField(_("reason"), max_length=20, choices=ReviewReason.choices)
    trigger_date = models.DateField(_("change takes effect"))
    due_on = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=ReviewTaskStatus.choices,
                              default=ReviewTaskStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("done by"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("review task")
        verbose_name_plural = _("review tasks")
        ordering = ["status", "due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "external_document", "reason"],
                                    name="review_task_unique"),
        ]

    def __str__(self):
        return f"{self.document.code} ← {self.external_document.number}"


class RecordType(models.Model):
    """A kind of record a procedure keeps: name, code, retention period, storage place, responsible unit."""

    scope = Scope(agency="agency", unit="document__owner_unit", document="document")

    agency = models.ForeignKey("organizations.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="record_types")
    document = models.ForeignKey(Document, verbose_name=_("procedure"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="record_types")
    code = models.CharField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=500)
    retention_years = models.PositiveSmallIntegerField(
        _("retention (years)"), null=True, blank=True, help_text=_("Empty means kept permanently."))
    storage_place = models.CharField(_("storage place"), max_length=300, blank=True)
    responsible_unit = models.ForeignKey("organizations.Unit", verbose_name=_("responsible unit"), null=True,
                                         blank=True, on_delete=models.PROTECT, related_name="record_types")

    class Meta:
        verbose_name = _("record type")
        verbose_name_plural = _("record types")
        ordering = ["agency", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "code"], name="record_type_code_unique",
                violation_error_code="duplicate_code",
                violation_error_message=_("This code is already used by another record type of the agency."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class FileList(models.Model):
    """Danh mục hồ sơ: a unit's list of record files for one year."""

    scope = Scope(agency="agency", unit="unit")

    agency = models.ForeignKey("organizations.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="file_lists")
    unit = models.ForeignKey("organizations.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="file_lists")
    year = models.PositiveSmallIntegerField(_("year"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("file list")
        verbose_name_plural = _("file lists")
        ordering = ["agency", "-year", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="file_list_unit_year_unique",
                                    violation_error_code="duplicate_year",
                                    violation_error_message=_("The unit already has a file list for this year.")),
        ]

    def __str__(self):
        return f"{self.unit} — {self.year}"


class RecordFile(models.Model):
    """One coded file (hồ sơ) in a file list: easy to see, to find and to retrieve."""

    scope = Scope(agency="file_list__agency", unit="file_list__unit")

    file_list = models.ForeignKey(FileList, verbose_name=_("file list"), on_delete=models.CASCADE,
                                  related_name="files")
    record_type = models.ForeignKey(RecordType, verbose_name=_("record type"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="files")
    code = models.CharField(_("file code"), max_length=60)
    title = models.CharField(_("title"), max_length=500)
    opened_on = models.DateField(_("opened"), null=True, blank=True)
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    retention_years = models.PositiveSmallIntegerField(_("retention (years)"), null=True, blank=True,
                                                       help_text=_("Empty means kept permanently."))
    keeper = models.CharField(_("kept by"), max_length=200, blank=True)
    location = models.CharField(_("location"), max_length=300, blank=True)
    disposed_on = models.DateField(_("disposed on"), null=True, blank=True)
    disposal_note = models.CharField(_("disposal record"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("record file")
        verbose_name_plural = _("record files")
        ordering = ["file_list_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["file_list", "code"], name="record_file_code_unique",
                                    violation_error_code="duplicate_code",
                                    violation_error_message=_("This file code is already in the list.")),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def agency_id(self):
        return self.file_list.agency_id
