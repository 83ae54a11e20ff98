"""Forms of the TTHC catalogue, the process editor and the import.

Forms only parse and check input; ``eiso.procedures.services`` writes and decides. Every choice
(agency, operational procedure, legal document, unit) comes from a scoped selector, so a tampered
POST naming another agency's object is a field error.
"""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.documents.models import Document, ExternalDocument
from eiso.organizations import selectors as org_selectors
from eiso.organizations.forms import BootstrapMixin, FilterForm, ServiceModelForm, with_blank
from eiso.organizations.models import Unit
from eiso.procedures import selectors
from eiso.procedures.choices import Coverage, OnlineLevel, ProcedureLevel
from eiso.procedures.models import AdminProcedure

COVERAGE_CHOICES = [("gap", _("Not covered (any reason)")), *Coverage.choices]
ACTIVE_CHOICES = [("1", _("Published")), ("0", _("Abolished"))]


class AdminProcedureFilterForm(FilterForm):
    field = forms.ChoiceField(label=_("Field"), required=False)
    level = forms.ChoiceField(label=_("Level"), required=False, choices=with_blank(ProcedureLevel.choices))
    online_level = forms.ChoiceField(label=_("Online service"), required=False, choices=with_blank(OnlineLevel.choices))
    coverage = forms.ChoiceField(label=_("Coverage"), required=False, choices=with_blank(COVERAGE_CHOICES))
    active = forms.ChoiceField(label=_("Status"), required=False, choices=with_blank(ACTIVE_CHOICES))
    agency = forms.ChoiceField(label=_("Agency"), required=False)
    field_order = ["q", "field", "level", "online_level", "coverage", "active", "agency"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = with_blank([(f, f) for f in selectors.admin_procedure_fields(user)])
        agencies = list(org_selectors.agencies_for_user(user).values_list("pk", "name"))
        if len(agencies) > 1:
            self.fields["agency"].choices = with_blank([(str(pk), name) for pk, name in agencies])
        else:
            del self.fields["agency"]


class CoverageFilterForm(FilterForm):
    agency = forms.ChoiceField(label=_("Agency"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["q"]
        agencies = list(org_selectors.agencies_for_user(user).values_list("pk", "name"))
        if len(agencies) > 1:
            self.fields["agency"].choices = with_blank([(str(pk), name) for pk, name in agencies])
        else:
            del self.fields["agency"]


class _DocumentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} — {obj.title}"[:160]


class _LegalChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number} — {obj.title}"[:160]


class AdminProcedureForm(ServiceModelForm):
    """Create (choosing the agency when the user manages several) or edit a TTHC."""

    process_document = _DocumentChoice(label=_("Operational procedure"), queryset=Document.objects.none(),
                                       required=False,
                                       help_text=_("The internal procedure that resolves this TTHC; one procedure "
                                                   "may cover several TTHC."))
    legal_basis = _LegalChoices(label=_("Legal basis"), queryset=ExternalDocument.objects.none(), required=False,
                                widget=forms.CheckboxSelectMultiple,
                                help_text=_("From the agency's external document register."))

    class Meta:
        model = AdminProcedure
        fields = ["agency", "code", "name", "field", "level", "time_limit_days", "fees", "online_level",
                  "process_document", "legal_basis", "is_active"]
        widgets = {"name": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        agency_ids = [a.pk for a in agencies]
        if self.instance.pk:
            agency_ids = [self.instance.agency_id]
            del self.fields["agency"]
        else:
            del self.fields["is_active"]
            if len(agency_ids) <= 1:
                del self.fields["agency"]
            else:
                self.fields["agency"].queryset = agencies
        self.fields["process_document"].queryset = selectors.operational_procedures_for(agency_ids)
        self.fields["legal_basis"].queryset = selectors.legal_documents_for(agency_ids)
        if self.instance.pk and not self.is_bound:
            self.initial["legal_basis"] = [e.pk for e in self.instance.legal_basis.all()]


class ProcessStepForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Action"), max_length=300, required=False,
                           widget=forms.Textarea(attrs={"rows": 2, "cols": 30}))
    unit = forms.ModelChoiceField(label=_("Responsible unit"), queryset=Unit.objects.none(), required=False)
    responsible = forms.CharField(label=_("Responsible"), max_length=200, required=False)
    hours = forms.DecimalField(label=_("Working hours"), required=False, min_value=Decimal("0.25"),
                               max_value=Decimal(99999), decimal_places=2, max_digits=7)
    form = forms.CharField(label=_("Form"), max_length=60, required=False)
    result = forms.CharField(label=_("Result"), max_length=300, required=False,
                             widget=forms.Textarea(attrs={"rows": 2, "cols": 16}))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["hours"].widget.attrs.update({"step": "0.25", "class": "form-control text-end"})

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("name") and not data.get("hours") and not data.get("unit") \
            and not data.get("responsible") and not data.get("form") and not data.get("result")

    def clean(self):
        data = super().clean()
        if self.is_blank() or data.get("DELETE"):
            return data
        if not data.get("name"):
            self.add_error("name", _("Say what is done."))
        if data.get("hours") is None and "hours" not in self.errors:
            self.add_error("hours", _("Give the time allowance in working hours."))
        return data


class BaseStepFormSet(forms.BaseFormSet):
    def steps(self) -> list[dict]:
        """The rows to save, in order (blank and deleted rows left out)."""
        rows = []
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE") or form.is_blank():
                continue
            data = form.cleaned_data
            rows.append({"name": data["name"], "unit": data.get("unit"), "responsible": data.get("responsible", ""),
                         "hours": data["hours"], "form": data.get("form", ""), "result": data.get("result", "")})
        return rows

    def clean(self):
        if any(self.errors):
            return
        if not self.steps():
            raise forms.ValidationError(_("A process needs at least one step."))


StepFormSet = forms.formset_factory(ProcessStepForm, formset=BaseStepFormSet, extra=2, can_delete=True,
                                    max_num=100, absolute_max=100, validate_max=True)


class ProcessNoteForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("Reason for the change"), max_length=300, required=False)


class AdminProcedureImportForm(BootstrapMixin, forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=None)
    file = forms.FileField(
        label=_("File (.json, .csv or .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,.csv,.xlsx"}),
        help_text=_("CSV/XLSX: one row per step, with the columns listed below (or the template to download)."),
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        if len(agencies) == 1:
            self.fields["agency"].initial = agencies[0].pk
            self.fields["agency"].widget = forms.HiddenInput()
