"""Forms of the audit pages. They parse and check input; ``eiso.audits.services`` decides and writes.
Every choice (units, procedures, auditors, clauses) comes from the agency's own objects, so a
tampered POST naming another agency's object is a field error."""

from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.audits import selectors
from eiso.audits.choices import AuditStatus, ChecklistAnswer, FindingKind, Importance, PastResult
from eiso.audits.models import Clause
from eiso.core import freshness
from eiso.documents.models import Document
from eiso.organizations.forms import AgencyScopedFilter, BootstrapMixin, date_field, with_blank
from eiso.organizations.models import Unit
from eiso.procedures.models import AdminProcedure

MONTHS = [(m, _("Month %(m)s") % {"m": m}) for m in range(1, 13)]


class _ClauseChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.title}"


class _ClauseChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.title}"


class _ProcedureChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name}"[:160]


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        unit = obj.membership.unit if obj.membership else None
        return f"{obj.get_full_name() or obj.get_username()}" + (f" ({unit.name})" if unit else "")


class _PeopleChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        unit = obj.membership.unit if obj.membership else None
        return f"{obj.get_full_name() or obj.get_username()}" + (f" ({unit.name})" if unit else "")


class ServiceForm(BootstrapMixin, forms.Form):
    pass


# --- filters ----------------------------------------------------------------------------------------


class ProgrammeFilterForm(AgencyScopedFilter):
    year = forms.ChoiceField(label=_("Year"), required=False)
    field_order = ["q", "year", "agency"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        years = freshness.cached("programme-years", user, lambda: list(selectors.programme_years(user)))
        self.fields["year"].choices = with_blank([(str(y), str(y)) for y in years])


class AuditFilterForm(AgencyScopedFilter):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=with_blank(AuditStatus.choices))
    field_order = ["q", "status", "agency"]


# --- programmes -------------------------------------------------------------------------------------

class ProgrammeForm(ServiceForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=300)
    objectives = forms.CharField(label=_("Objectives"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class EntryForm(ServiceForm):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    admin_procedure = forms.ModelChoiceField(label=_("Administrative procedure"), required=False,
                                             queryset=AdminProcedure.objects.none())
    process = forms.CharField(label=_("Process / area"), max_length=300, required=False)
    planned_month = forms.TypedChoiceField(label=_("Planned month"), choices=MONTHS, coerce=int)
    importance = forms.ChoiceField(label=_("Importance"), choices=Importance.choices, initial=Importance.MEDIUM)
    past_result = forms.ChoiceField(label=_("Past results"), choices=PastResult.choices, initial=PastResult.NEW)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(agency=agency, is_active=True).order_by("name")
        self.fields["admin_procedure"].queryset = AdminProcedure.objects.filter(agency=agency).order_by("code")
        self.fields["importance"].help_text = _("How often to audit follows the importance and past results.")


# --- audits -----------------------------------------------------------------------------------------

class AuditForm(ServiceForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    start_date = date_field()
    end_date = date_field()
    lead_auditor = _PersonChoice(label=_("Lead auditor"), queryset=None)
    members = _PeopleChoices(label=_("Audit team"), queryset=None, required=False,
                             widget=forms.CheckboxSelectMultiple)
    units = forms.ModelMultipleChoiceField(label=_("Units audited"), queryset=Unit.objects.none(), required=False,
                                           widget=forms.CheckboxSelectMultiple)
    admin_procedures = _ProcedureChoices(label=_("Administrative procedures"), required=False,
                                         queryset=AdminProcedure.objects.none())
    clauses = _ClauseChoices(label=_("Clauses"), queryset=Clause.objects.none(), required=False,
                             widget=forms.CheckboxSelectMultiple)
    objectives = forms.CharField(label=_("Objectives"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    criteria = forms.CharField(label=_("Criteria"), required=False, initial="TCVN ISO 9001:2015",
                               widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_date"].label = _("Start date")
        self.fields["end_date"].label = _("End date")
        auditors = selectors.auditors_of(agency)
        self.fields["lead_auditor"].queryset = auditors
        self.fields["members"].queryset = auditors
        self.fields["members"].help_text = _("Internal auditors besides the lead; nobody audits their own unit.")
        self.fields["units"].queryset = Unit.objects.filter(agency=agency, is_active=True).order_by("name")
        self.fields["admin_procedures"].queryset = AdminProcedure.objects.filter(agency=agency).order_by("code")
        self.fields["clauses"].queryset = selectors.applicable_clauses(agency)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return data


class TransitionForm(ServiceForm):
    conclusion = forms.CharField(label=_("Conclusion"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


# --- checklist and findings -------------------------------------------------------------------------

class AnswerForm(ServiceForm):
    answer = forms.ChoiceField(label=_("Answer"), choices=ChecklistAnswer.choices, widget=forms.RadioSelect)
    evidence = forms.CharField(label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label=_("Photo or file"), required=False,
                           help_text=_("JPEG/PNG photo, PDF, Word or Excel."),
                           widget=forms.ClearableFileInput(attrs={"accept": "image/*,.pdf,.docx,.xlsx",
                                                                  "capture": "environment"}))


class FindingForm(ServiceForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=FindingKind.choices)
    clause = _ClauseChoice(label=_("Clause"), queryset=Clause.objects.none())
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    admin_procedure = forms.ModelChoiceField(label=_("Administrative procedure"), required=False,
                                             queryset=AdminProcedure.objects.none())
    document = forms.ModelChoiceField(label=_("Document"), required=False, queryset=Document.objects.none())
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    checklist_item = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, audit, **kwargs):
        super().__init__(*args, **kwargs)
        units = audit.units.all()
        if not units.exists():
            units = Unit.objects.filter(agency=audit.agency_id, is_active=True)
        self.fields["unit"].queryset = units.order_by("name")
        self.fields["clause"].queryset = selectors.applicable_clauses(audit.agency)
        self.fields["admin_procedure"].queryset = AdminProcedure.objects.filter(agency=audit.agency_id).order_by(
            "code")
        self.fields["document"].queryset = Document.objects.filter(agency=audit.agency_id).order_by("code")


class ExclusionForm(ServiceForm):
    clause = _ClauseChoice(label=_("Clause"), queryset=Clause.objects.none())
    justification = forms.CharField(label=_("Justification"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clause"].queryset = selectors.applicable_clauses(agency)


class FindingFilterForm(AgencyScopedFilter):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=with_blank(FindingKind.choices))
    clause = forms.ChoiceField(label=_("Clause"), required=False)
    field_order = ["q", "kind", "clause", "agency"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["clause"].choices = with_blank([(c.code, f"{c.code} {c.title}") for c in selectors.clauses()])
