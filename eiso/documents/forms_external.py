"""Forms of the external document register, its import, the procedures citing a document and
the review tasks.

Forms only parse and check input; ``eiso.documents.services.external`` writes and decides. Every
choice of a document comes from a selector, so a tampered POST naming another agency's object is
a field error ("Select a valid choice").
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.documents.choices import ExternalDocumentStatus, ExternalDocumentType, ReviewTaskStatus
from eiso.documents.models import Document, ExternalDocument
from eiso.organizations.forms import (
    AgencyScopedFilter,
    BootstrapMixin,
    ServiceModelForm,
    date_widget,
    with_blank,
)


class ExternalDocumentFilterForm(AgencyScopedFilter):
    doc_type = forms.ChoiceField(label=_("Type"), required=False, choices=with_blank(ExternalDocumentType.choices))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=with_blank(ExternalDocumentStatus.choices))
    field_order = ["q", "doc_type", "status", "agency"]


class _DocumentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number} — {obj.title}"[:160]


class _ProcedureChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} — {obj.title}"


class ExternalDocumentForm(ServiceModelForm):
    """Create (with the agency when the user manages several) or edit a register entry.
    Replacement, expiry and amendment have their own actions, which open the review tasks."""

    class Meta:
        model = ExternalDocument
        fields = [
            "agency",
            "number",
            "doc_type",
            "title",
            "issuer",
            "issued_on",
            "effective_on",
            "expires_on",
            "status",
            "note",
        ]
        widgets = {
            "issued_on": date_widget(),
            "effective_on": date_widget(),
            "expires_on": date_widget(),
            "title": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is None or len(agencies) <= 1:
            del self.fields["agency"]
        else:
            self.fields["agency"].queryset = agencies
        self.fields["number"].help_text = _("As printed on the document, e.g. 118/2025/NĐ-CP.")
        self.fields["status"].help_text = _(
            "Setting it to expired or partly amended opens a review task for every procedure citing it."
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("effective_on"), cleaned.get("expires_on")
        if start and end and end < start:
            self.add_error("expires_on", _("The expiry date cannot be before the effective date."))
        return cleaned


class ExternalReplaceForm(BootstrapMixin, forms.Form):
    replaced_by = _DocumentChoice(
        label=_("Replaced by"),
        queryset=ExternalDocument.objects.none(),
        help_text=_("Add the new document to the register first if it is not there."),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replaced_by"].queryset = candidates


class ExternalExpireForm(BootstrapMixin, forms.Form):
    expires_on = forms.DateField(label=_("Expiry date"), widget=date_widget())


class ExternalAmendForm(BootstrapMixin, forms.Form):
    amended_by = _DocumentChoice(label=_("Amended by"), queryset=ExternalDocument.objects.none())
    effective_on = forms.DateField(
        label=_("The amendment takes effect on"),
        required=False,
        widget=date_widget(),
        help_text=_("Leave empty to use the amending document's effective date."),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amended_by"].queryset = candidates

    def clean(self):
        cleaned = super().clean()
        amending = cleaned.get("amended_by")
        if amending is not None and not cleaned.get("effective_on") and amending.effective_on is None:
            self.add_error("effective_on", _("The amending document has no effective date: give one."))
        return cleaned


class ExternalCiteForm(BootstrapMixin, forms.Form):
    documents = _ProcedureChoices(
        label=_("Procedures citing this document"),
        queryset=Document.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, procedures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = procedures


class ExternalImportForm(BootstrapMixin, forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=None)
    file = forms.FileField(
        label=_("File (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        help_text=_(
            "One row per document, with the columns listed below (or the template to download). Dates as "
            "dd/mm/yyyy."
        ),
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        if len(agencies) == 1:
            self.fields["agency"].initial = agencies[0].pk
            self.fields["agency"].widget = forms.HiddenInput()


# --- review tasks ----------------------------------------------------------------------------------

OVERDUE_CHOICES = [("1", _("Overdue only"))]


class ReviewTaskFilterForm(AgencyScopedFilter):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=with_blank(ReviewTaskStatus.choices))
    overdue = forms.ChoiceField(label=_("Due"), required=False, choices=with_blank(OVERDUE_CHOICES))
    field_order = ["q", "status", "overdue", "agency"]


class ReviewTaskCompleteForm(BootstrapMixin, forms.Form):
    outcome = forms.CharField(
        label=_("Outcome of the review"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What changed, e.g. “QT-05 revised, issue 3”, or why no change is needed."),
    )


class OutdatedFilterForm(AgencyScopedFilter):
    pass
