"""The demo document systems: what each agency of the demo province keeps in eISO.

For every current agency: the quality policy and objectives, the six system procedures of the
TCVN ISO 9001:2015 model, operational procedures for the administrative procedures of its field
(with forms as real .docx files), revision histories (issue 1 superseded by issue 2 where a law
changed), a revision in review and a new draft with staff comments, acknowledgements, a change
request, the external register with real Vietnamese legal documents (some replaced: each citing
procedure gets a review task, done within its 3 months except in the agencies of ``legal_backlog``,
where they stay open and overdue), record types and file lists (an old one with files past retention).
The texts are in ``eiso/demo/content/documents.json``.

Everything goes through the services, as the people of the demo province where someone fits the
role and as the system (``actor=None``) otherwise. ``load()`` is idempotent: an agency whose
quality policy (``CSCL``) exists is left alone; each agency loads in one transaction.
"""

import datetime
from collections import Counter
from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from eiso.demo.content import text
from eiso.demo.loaders.document_plans import (
    COMMON_LEGAL,
    DEFINITIONS,
    LEGAL,
    LEGAL_BACKLOG,
    PLANS,
    REPLACED_BY,
    REPLACEMENTS,
    SYSTEM_PROCEDURES,
    TEXTS,
    Plan,
    Proc,
)
from eiso.demo.loaders.forms import form_docx
from eiso.documents.choices import ChangeRequestKind, DocumentKind, ReviewTaskStatus
from eiso.documents.models import Document, ExternalDocument, RecordType, ReviewTask
from eiso.documents.services import external as external_services
from eiso.documents.services import records as records_services
from eiso.documents.services import revisions as services
from eiso.organizations.choices import Role
from eiso.organizations.models import Agency, Membership

D = datetime.date
K = DocumentKind


# --- the loader ----------------------------------------------------------------------------------------------


def _memberships(agency):
    return Membership.objects.filter(agency=agency, valid_to__isnull=True, user__is_active=True).select_related(
        "user", "unit").prefetch_related("role_rows")


class AgencyDocuments:
    """Writes the document system of one agency; the procedures loader publishes its own
    operational procedures through ``document`` and ``publish`` too, so they read alike."""

    def __init__(self, agency: Agency, plan: Plan, today: datetime.date, created: Counter):
        self.agency, self.plan, self.today, self.created = agency, plan, today, created
        self.units = {u.code: u for u in agency.units.filter(is_active=True)}
        people = list(_memberships(agency))
        self.members = [m.user for m in people]
        self.head = next((m.user for m in people if Role.AGENCY_HEAD in m.roles), None)
        self.secretary = next((m.user for m in people if Role.QMS_SECRETARY in m.roles), None)
        self.unit_heads = {m.unit.code: m.user for m in people if Role.UNIT_HEAD in m.roles and m.unit}
        self.staff = [m.user for m in people if Role.STAFF in m.roles]
        self.externals: dict[str, ExternalDocument] = {}
        self.documents: dict[str, Document] = {}

    # people
    def drafter(self, unit_code: str | None):
        return self.unit_heads.get(unit_code or self.plan.office) or self.secretary

    def reviewer(self, revision):
        """Whoever the documents rule lets review ``revision`` (the secretary first, then the unit's
        head, then the agency head); the system where the agency has nobody to."""
        for user in (self.secretary, *self.unit_heads.values(), self.head):
            if user is not None and user.has_perm("documents.review_revision", revision):
                return user
        return None

    # documents and revisions
    def document(self, code: str, title: str, kind: str, unit_code: str | None, parent=None) -> Document:
        document = services.document_create(actor=self.secretary, agency=self.agency, code=code, title=title,
                                            kind=kind, owner_unit=self.units.get(unit_code or self.plan.office),
                                            parent=parent)
        self.documents[code] = document
        self.created["documents"] += 1
        return document

    def revision(self, document, *, drafter, content: str, summary: str, effective: datetime.date,
                 sections: dict | None = None, files: tuple[tuple[str, bytes], ...] = ()):
        revision = services.revision_create(actor=drafter, document=document, change_summary=summary,
                                            content=content, effective_date=effective)
        if sections:
            revision = services.revision_update(actor=drafter, revision=revision, sections=sections)
        for name, data in files:
            services.revision_file_add(actor=drafter, revision=revision, uploaded=SimpleUploadedFile(name, data))
            self.created["files"] += 1
        self.created["revisions"] += 1
        return revision

    def publish(self, document, *, unit_code: str | None, content: str, summary: str, effective: datetime.date,
                sections: dict | None = None, files=()):
        drafter = self.drafter(unit_code)
        revision = self.revision(document, drafter=drafter, content=content, summary=summary, effective=effective,
                                 sections=sections, files=files)
        services.revision_submit(actor=drafter, revision=revision)
        services.revision_approve(actor=self.reviewer(revision), revision=revision)
        # the demo's history: issues signed before the system existed are entered with their own date
        reason = f"Đã ký ban hành ngày {effective:%d/%m/%Y}, nhập lại vào hệ thống" if effective < self.today else ""
        return services.revision_approve(actor=self.head, revision=revision, today=self.today, comment=reason)

    # the register
    def legal_register(self) -> None:
        numbers = [*COMMON_LEGAL, *(n for n in self.plan.legal if n not in COMMON_LEGAL)]
        for number in numbers:
            doc = LEGAL[number]
            self.externals[number] = external_services.external_document_create(
                actor=self.secretary, agency=self.agency, number=doc.number, doc_type=doc.doc_type, title=doc.title,
                issuer=doc.issuer, issued_on=doc.issued_on, effective_on=doc.effective_on, status=doc.status,
                note=doc.note)
            self.created["external documents"] += 1

    def cited(self, number: str) -> str:
        """What a procedure taking effect at the start cites for ``number``: its replacement when
        that was already in force then."""
        new = REPLACED_BY.get(number)
        if new and new in self.externals and LEGAL[new].effective_on and LEGAL[new].effective_on <= self.plan.start:
            return self.cited(new)
        return number

    # the whole system
    def load(self) -> None:
        plan, start = self.plan, self.plan.start
        self.legal_register()
        name = self.agency.short_name or self.agency.name
        policy_texts, objectives_texts = TEXTS["policy"], TEXTS["objectives"]
        policy = self.document("CSCL", policy_texts["title"], K.POLICY, None)
        self.publish(policy, unit_code=None, effective=start, summary=TEXTS["first_issue"],
                     content=policy_texts["text"].format(name=name))
        objectives = self.document("MTCL", objectives_texts["title"], K.OBJECTIVES, None)
        self.publish(objectives, unit_code=None, effective=start,
                     summary=objectives_texts["summary"].format(year=start.year),
                     content=self.objectives_text(start.year))
        this_year = D(self.today.year, 1, 5)
        if this_year > start and this_year <= self.today:
            self.publish(objectives, unit_code=None, effective=this_year,
                         summary=objectives_texts["summary"].format(year=self.today.year),
                         content=self.objectives_text(self.today.year))
        citations: dict[str, list[Document]] = {}
        for proc in (*SYSTEM_PROCEDURES, *plan.procedures):
            self.procedure(proc, citations)
        for number, documents in citations.items():
            external_services.external_document_cite(actor=self.secretary, external=self.externals[number],
                                                     documents=documents)
        for old, new in REPLACEMENTS:
            if old in self.externals and new in self.externals:
                external_services.external_document_replace(actor=self.secretary, document=self.externals[old],
                                                            replaced_by=self.externals[new])
        for proc in plan.procedures:
            if proc.revised and not proc.draft_only and proc.revised.effective > start:
                self.revise(proc, citations)
        if self.agency.code not in LEGAL_BACKLOG:
            self.absorb_legal_changes()
        self.work_in_progress()
        self.records()

    @staticmethod
    def objectives_text(year: int) -> str:
        return text(TEXTS["objectives"]["text"]).format(year=year)

    def procedure(self, proc: Proc, citations: dict[str, list[Document]]) -> None:
        document = self.document(proc.code, proc.title, proc.kind, proc.unit)
        sections = {"purpose": proc.purpose, "scope": proc.scope, "definitions": DEFINITIONS,
                    "content": proc.content}
        if proc.draft_only:
            drafter = self.drafter(proc.unit)
            revision = self.revision(document, drafter=drafter, content=proc.content, sections=sections,
                                     summary=TEXTS["first_draft"], effective=None)
            self.comment(revision, TEXTS["draft_comment"])
            return
        self.publish(document, unit_code=proc.unit, content=proc.content, sections=sections,
                     summary=TEXTS["first_issue"], effective=self.plan.start)
        for number in proc.legal:
            cited = self.cited(number)
            if cited in self.externals:
                citations.setdefault(cited, []).append(document)
        for i, form in enumerate(proc.forms, start=1):
            code = f"BM-{i:02d}-QT{proc.number:02d}"
            form_doc = self.document(code, form.title, K.FORM, proc.unit, parent=document)
            data = form_docx(self.agency.name, code, form.title, form.fields)
            self.publish(form_doc, unit_code=proc.unit, content=TEXTS["form_content"].format(title=form.title),
                         summary=TEXTS["first_issue"], effective=self.plan.start, files=((f"{code}.docx", data),))
        if proc.record:
            record_name, years = proc.record
            unit = self.units.get(proc.unit or self.plan.office)
            records_services.recordtype_create(
                actor=self.secretary, agency=self.agency, code=f"HS-{proc.code}", name=record_name,
                retention_years=years, storage_place=TEXTS["storage_place"].format(unit=unit.name) if unit else "",
                responsible_unit=unit, document=document)
            self.created["record types"] += 1

    def revise(self, proc: Proc, citations: dict[str, list[Document]]) -> None:
        document = self.documents[proc.code]
        sections = {"purpose": proc.purpose, "scope": proc.scope, "definitions": DEFINITIONS,
                    "content": text(TEXTS["revised_content"]).format(content=proc.content,
                                                                      summary=proc.revised.summary)}
        self.publish(document, unit_code=proc.unit, content=proc.content, sections=sections,
                     summary=proc.revised.summary, effective=proc.revised.effective)
        closer = self.drafter(proc.unit)
        for old, new in proc.revised.swaps:
            old, new = self.cited(old), self.cited(new)
            if old == new or old not in self.externals:
                continue
            citations[old] = [d for d in citations.get(old, []) if d.pk != document.pk]
            external_services.external_document_cite(actor=self.secretary, external=self.externals[old],
                                                     documents=citations[old])
            citations.setdefault(new, []).append(document)
            external_services.external_document_cite(actor=self.secretary, external=self.externals[new],
                                                     documents=citations[new])
            for task in ReviewTask.objects.filter(document=document, external_document=self.externals[old],
                                                  status=ReviewTaskStatus.OPEN):
                external_services.review_task_complete(
                    actor=closer, task=task,
                    outcome=TEXTS["review_done"].format(code=proc.code, effective=proc.revised.effective, new=new))
                self.created["review tasks done"] += 1

    def absorb_legal_changes(self) -> None:
        """The reviews a replaced law opened, done within their 3 months: the procedure still
        applies as written (the revised ones were closed by their new issue)."""
        reviewer = self.drafter(None)
        for task in (ReviewTask.objects.filter(agency=self.agency, status=ReviewTaskStatus.OPEN)
                     .select_related("document", "external_document__replaced_by").order_by("pk")):
            old = task.external_document
            new = old.replaced_by.number if old.replaced_by else old.number
            external_services.review_task_complete(actor=reviewer, task=task, outcome=TEXTS["review_absorbed"].format(
                code=task.document.code, old=old.number, new=new))
            done_on = min(task.due_on - datetime.timedelta(days=12), self.today)
            ReviewTask.objects.filter(pk=task.pk).update(done_at=timezone.make_aware(
                datetime.datetime.combine(max(done_on, task.trigger_date), datetime.time(15))))
            self.created["review tasks done"] += 1

    def comment(self, revision, body: str) -> None:
        author = next((u for u in self.staff), None) or next(iter(self.unit_heads.values()), None)
        if author is not None:
            services.comment_add(actor=author, revision=revision, body=body)
            self.created["comments"] += 1

    def work_in_progress(self) -> None:
        """QT-01 issue 2 in review (the new archives law), acknowledgements, a change request."""
        qt01 = self.documents["QT-01"]
        drafter = self.drafter(None)
        in_review = TEXTS["in_review"]
        revision = self.revision(qt01, drafter=drafter, effective=None, summary=in_review["summary"],
                                 content=in_review["content"])
        services.revision_submit(actor=drafter, revision=revision)
        self.comment(revision, in_review["comment"])
        policy = self.documents["CSCL"].revisions.get(status="effective")
        objectives = self.documents["MTCL"].revisions.get(status="effective")
        for i, user in enumerate(self.members):
            for revision, every in ((policy, 1), (objectives, 2)):
                if i % every:
                    continue
                entry = revision.distribution.filter(user=user, acknowledged_at__isnull=True).first()
                if entry is not None:
                    services.distribution_acknowledge(actor=user, entry=entry)
                    self.created["acknowledgements"] += 1
        operational = [p for p in self.plan.procedures if not p.draft_only]
        if self.staff and operational:
            target = self.documents[operational[-1].code]
            services.change_request_create(
                actor=self.staff[0], agency=self.agency, kind=ChangeRequestKind.AMEND, document=target,
                reason=TEXTS["change_request"]["reason"], proposal=TEXTS["change_request"]["proposal"])
            self.created["change requests"] += 1

    def records(self) -> None:
        """This year's file list of every unit keeping records, and an old one past retention."""
        by_unit: dict[int, list[RecordType]] = {}
        for record_type in RecordType.objects.filter(agency=self.agency).select_related("responsible_unit"):
            if record_type.responsible_unit_id:
                by_unit.setdefault(record_type.responsible_unit_id, []).append(record_type)
        year = self.today.year
        actor = self.secretary
        for types in by_unit.values():
            unit = types[0].responsible_unit
            file_list = records_services.filelist_create(actor=actor, agency=self.agency, unit=unit, year=year)
            self.created["file lists"] += 1
            for n, record_type in enumerate(sorted(types, key=lambda t: t.code), start=1):
                keeper = self.unit_heads.get(unit.code) or self.secretary
                records_services.recordfile_create(
                    actor=actor, file_list=file_list, code=f"{unit.code}.{n:02d}", record_type=record_type,
                    title=TEXTS["record_file"].format(name=record_type.name, year=year), opened_on=D(year, 1, 2),
                    keeper=keeper.full_name if keeper else "", location=record_type.storage_place)
                self.created["record files"] += 1
        old_year = self.plan.old_file_list
        office = self.units.get(self.plan.office)
        if old_year and office is not None:
            file_list = records_services.filelist_create(actor=actor, agency=self.agency, unit=office, year=old_year)
            self.created["file lists"] += 1
            closed = D(old_year, 12, 31)
            files = []
            for number, title, years in TEXTS["old_files"]:
                files.append(records_services.recordfile_create(
                    actor=actor, file_list=file_list, code=f"{office.code}.{number}", title=title.format(year=old_year),
                    opened_on=D(old_year, 1, 2), closed_on=closed, retention_years=years,
                    keeper=self.secretary.full_name if self.secretary else "",
                    location=TEXTS["old_files_location"].format(shelf=old_year % 100)))
                self.created["record files"] += 1
            disposal_day = D(self.today.year, 1, 20)
            if files[2].retention_years and D(old_year + files[2].retention_years, 12, 31) < disposal_day <= self.today:
                records_services.recordfile_dispose(
                    actor=actor, file=files[2], disposed_on=disposal_day, today=self.today,
                    note=TEXTS["disposal_note"].format(agency=self.agency.code, day=disposal_day))
                self.created["disposed files"] += 1


def load(out: Callable[[str], None] | None = None) -> list[dict]:
    """Create the document system of every demo agency that has none yet; return no logins."""
    log = out or (lambda _message: None)
    today = timezone.localdate()
    created: Counter[str] = Counter()
    agencies = Agency.objects.filter(code__in=PLANS, valid_to__isnull=True).order_by("code")
    loaded = []
    for agency in agencies:
        if Document.objects.filter(agency=agency, code="CSCL").exists():
            continue
        with transaction.atomic():
            documents = AgencyDocuments(agency, PLANS[agency.code], today, created)
            documents.load()  # where the demo has no secretary or head, the system drafts and approves
        loaded.append(agency.code)
    if loaded:
        log(f"Documented information of {', '.join(loaded)}: "
            + ", ".join(f"{n} {what}" for what, n in created.items()) + ".")
    else:
        log("Documented information already loaded: nothing to create.")
    return []
