"""Forms of the internal document register, revisions, their workflow and change requests.

Forms only parse and check input; the services in ``eiso.documents.services.revisions`` write and
decide (permissions, allowed moves, upload checks). Every choice of a unit or a document comes
from a selector, so a tampered POST naming another agency's object is a field error.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.core import freshness
from eiso.core.text import is_id
from eiso.documents.choices import (
    PROCEDURE_KINDS,
    ChangeRequestKind,
    ChangeRequestStatus,
    DocumentKind,
    RevisionAction,
)
from eiso.documents.models import ChangeRequest, Document, DocumentRevision
from eiso.documents.selectors import revisions as selectors
from eiso.organizations import selectors as org_selectors
from eiso.organizations.forms import (
    AgencyScopedFilter,
    BootstrapMixin,
    ServiceModelForm,
    date_widget,
    with_blank,
)

DOCUMENT_STATUS_CHOICES = [
    ("effective", _("In force")),
    ("draft", _("Revision in progress")),
    ("none", _("Not in force")),
]


class DocumentFilterForm(AgencyScopedFilter):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=with_blank(DocumentKind.choices))
    unit = forms.ChoiceField(label=_("Owning unit"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=with_blank(DOCUMENT_STATUS_CHOICES))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        # Units make sense within one agency: offered once an agency is chosen or when the user
        # reads a single agency, which keeps the list short for overseers.
        agency = self.data.get("agency", "") if "agency" in self.fields else ""
        if "agency" not in self.fields or is_id(agency):
            agency = agency if "agency" in self.fields else ""
            units = freshness.cached(f"unit-choices:{agency}", user, lambda: list(
                org_selectors.units_for_user(user, agency=agency).values_list("pk", "name")))
            self.fields["unit"].choices = with_blank([(str(pk), name) for pk, name in units])
        else:
            del self.fields["unit"]


class ChangeRequestFilterForm(AgencyScopedFilter):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=with_blank(ChangeRequestStatus.choices))
    kind = forms.ChoiceField(label=_("Request"), required=False, choices=with_blank(ChangeRequestKind.choices))


# --- documents ------------------------------------------------------------------------------------

class DocumentForm(ServiceModelForm):
    class Meta:
        model = Document
        fields = ["code", "title", "kind", "owner_unit", "parent"]

    def __init__(self, *args, user, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = org_selectors.units_for_user(
            user, agency=str(agency.pk), active="1")
        parents = selectors.documents_for_user(user, agency=str(agency.pk)).filter(
            kind__in=[*PROCEDURE_KINDS, DocumentKind.MANUAL, DocumentKind.GUIDELINE])
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].required = False
        self.fields["code"].help_text = _("For example QT-05, BM-01-QT05, STCL.")


# --- revisions ------------------------------------------------------------------------------------

class RevisionCreateForm(ServiceModelForm):
    class Meta:
        model = DocumentRevision
        fields = ["change_summary", "content", "effective_date"]
        widgets = {"effective_date": date_widget()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["change_summary"].widget.attrs["rows"] = 3
        self.fields["effective_date"].help_text = _(
            "Leave empty to take effect on the day it is approved.")


SECTION_FIELDS = (
    ("purpose", _("1. Purpose")),
    ("scope", _("2. Scope")),
    ("definitions", _("4. Definitions and abbreviations")),
    ("content", _("5. Content")),
)


class RevisionForm(BootstrapMixin, forms.Form):
    """A draft's text: change summary, content, effective date and, for a procedure, its sections."""

    change_summary = forms.CharField(label=_("Change summary"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 3}))
    content = forms.CharField(
        label=_("Content"), required=False, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("The text of the revision, if it is written here rather than in a file."))
    effective_date = forms.DateField(label=_("Effective date"), required=False, widget=date_widget(),
                                     help_text=_("Leave empty to take effect on the day it is approved."))

    def __init__(self, *args, revision: DocumentRevision, **kwargs):
        self.with_sections = revision.document.kind in PROCEDURE_KINDS
        kwargs.setdefault("initial", {
            "change_summary": revision.change_summary, "content": revision.content,
            "effective_date": revision.effective_date,
            **{f"section_{key}": (revision.sections or {}).get(key, "") for key, _label in SECTION_FIELDS},
        })
        super().__init__(*args, **kwargs)
        if self.with_sections:
            for key, label in SECTION_FIELDS:
                self.fields[f"section_{key}"] = forms.CharField(
                    label=label, required=False,
                    widget=forms.Textarea(attrs={"rows": 8 if key == "content" else 4,
                                                 "class": "form-control"}))
            self.fields["content"].label = _("Other text")
            self.order_fields(["change_summary", "effective_date", *(f"section_{k}" for k, _l in SECTION_FIELDS),
                               "content"])
        self._sections = dict(revision.sections or {})

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in ("change_summary", "content", "effective_date")}
        if self.with_sections:
            sections = dict(self._sections)
            for key, _label in SECTION_FIELDS:
                value = self.cleaned_data.get(f"section_{key}", "").strip()
                if value:
                    sections[key] = value
                else:
                    sections.pop(key, None)
            data["sections"] = sections
        return data


class RevisionFileForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=_("File"), allow_empty_file=True,
        help_text=_("A .docx, .pdf or .xlsx file; its content is checked, not only its name."),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.pdf,.xlsx"}))


TRANSITION_ACTIONS = [RevisionAction.SUBMIT, RevisionAction.REVIEW, RevisionAction.APPROVE,
                      RevisionAction.RETURN, RevisionAction.ACTIVATE, RevisionAction.WITHDRAW]


class TransitionForm(BootstrapMixin, forms.Form):
    action = forms.ChoiceField(choices=[(a.value, a.label) for a in TRANSITION_ACTIONS],
                               widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CommentForm(BootstrapMixin, forms.Form):
    body = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


# --- change requests --------------------------------------------------------------------------------

class ChangeRequestForm(ServiceModelForm):
    class Meta:
        model = ChangeRequest
        fields = ["kind", "document", "reason", "proposal", "proposed_code", "proposed_title",
                  "proposed_kind", "proposed_unit"]
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args, user, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ChangeRequestKind.choices
        self.fields["document"].queryset = selectors.documents_for_user(user, agency=str(agency.pk))
        self.fields["document"].help_text = _("For a request to amend or withdraw a document.")
        self.fields["proposed_unit"].queryset = org_selectors.units_for_user(
            user, agency=str(agency.pk), active="1")
        for name in ("proposed_code", "proposed_title", "proposed_kind", "proposed_unit"):
            self.fields[name].help_text = _("For a request to issue a new document.")
        self.fields["reason"].widget.attrs["rows"] = 3
        self.fields["proposal"].widget.attrs["rows"] = 4


class ChangeRequestDecideForm(BootstrapMixin, forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect,
                                 choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])
    decision_note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                    help_text=_("Required when refusing."))
