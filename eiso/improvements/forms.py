"""Forms of the improvement pages. They parse and check input; the services write and decide.
Every choice of a unit, procedure, person or action comes from a selector."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from eiso.improvements.choices import (
    NonconformitySource,
    NonconformityStatus,
    RiskKind,
    RiskLevel,
    RootCauseMethod,
)
from eiso.improvements.models import CorrectiveAction, Risk, clause_code
from eiso.organizations.forms import BootstrapMixin, FilterForm, date_widget, with_blank

ACTION_STATE_CHOICES = [
    ("overdue", _("Past due")),
    ("verification_due", _("Verification due")),
    ("planned", _("Being carried out")),
    ("implemented", _("Implemented, to verify")),
    ("verified", _("Verified effective, to close")),
    ("closed", _("Closed")),
]


class _Choice(forms.ModelChoiceField):
    def __init__(self, *args, label_of=str, **kwargs):
        self._label_of = label_of
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return self._label_of(obj)


def _person(user):
    return user.get_full_name() or user.get_username()


class _AgencyFilter(FilterForm):
    """An ``agency`` choice for people who read several agencies (overseers), else none."""

    agency = forms.ChoiceField(label=_("Agency"), required=False)

    def __init__(self, *args, agencies, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        agencies = list(agencies)
        if len(agencies) > 1:
            self.fields["agency"].choices = with_blank([(str(a.pk), a.name) for a in agencies])
        else:
            del self.fields["agency"]
        if "unit" in self.fields:
            self.fields["unit"].choices = with_blank([(str(u.pk), u.name) for u in units])


class NonconformityFilterForm(_AgencyFilter):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=with_blank(NonconformityStatus.choices))
    source = forms.ChoiceField(label=_("Source"), required=False, choices=with_blank(NonconformitySource.choices))
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    clause = forms.CharField(label=_("Clause"), required=False, max_length=12,
                             widget=forms.TextInput(attrs={"size": 6}))
    without_action = forms.BooleanField(label=_("Without a corrective action"), required=False)
    repeat = forms.BooleanField(label=_("Repeat nonconformities"), required=False)
    field_order = ["q", "status", "source", "unit", "clause", "without_action", "repeat", "agency"]


class CorrectiveActionFilterForm(_AgencyFilter):
    state = forms.ChoiceField(label=_("State"), required=False, choices=with_blank(ACTION_STATE_CHOICES))
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    mine = forms.BooleanField(label=_("Mine"), required=False)
    field_order = ["q", "state", "unit", "mine", "agency"]


class RiskFilterForm(_AgencyFilter):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=with_blank(RiskKind.choices))
    level = forms.ChoiceField(
        label=pgettext_lazy("risk", "Level"), required=False, choices=with_blank(RiskLevel.choices)
    )
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    review_due = forms.BooleanField(label=_("Review due"), required=False)
    field_order = ["q", "kind", "level", "unit", "review_due", "agency"]


class NonconformityForm(BootstrapMixin, forms.Form):
    source = forms.ChoiceField(label=_("Source"), choices=NonconformitySource.choices,
                               initial=NonconformitySource.STAFF)
    clause = forms.CharField(label=_("ISO 9001 clause"), max_length=12, validators=[clause_code],
                             help_text=_("For example 8.5.1 (control of service provision) or 7.5.3."))
    unit = _Choice(label=_("Unit"), queryset=None, required=False)
    admin_procedure = _Choice(label=_("Administrative procedure"), queryset=None, required=False,
                              label_of=lambda p: f"{p.code} — {p.name}"[:150])
    document = _Choice(label=_("Procedure or document"), queryset=None, required=False,
                       label_of=lambda d: f"{d.code} — {d.title}"[:150])
    detected_on = forms.DateField(label=_("Detected on"), widget=date_widget())
    description = forms.CharField(label=_("Description"), widget=forms.Textarea)

    def __init__(self, *args, units, procedures, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["admin_procedure"].queryset = procedures
        self.fields["document"].queryset = documents
        self.fields["detected_on"].initial = timezone.localdate()


class CorrectiveActionForm(BootstrapMixin, forms.Form):
    correction = forms.CharField(label=_("Correction (what was fixed at once)"), widget=forms.Textarea,
                                 required=False)
    root_cause_method = forms.ChoiceField(label=_("Root cause analysis"), choices=RootCauseMethod.choices,
                                          widget=forms.RadioSelect, initial=RootCauseMethod.FIVE_WHY)
    why1 = forms.CharField(label=_("Why? (1)"), required=False, max_length=500)
    why2 = forms.CharField(label=_("Why? (2)"), required=False, max_length=500)
    why3 = forms.CharField(label=_("Why? (3)"), required=False, max_length=500)
    why4 = forms.CharField(label=_("Why? (4)"), required=False, max_length=500)
    why5 = forms.CharField(label=_("Why? (5)"), required=False, max_length=500)
    root_cause = forms.CharField(label=_("Root cause"), widget=forms.Textarea)
    action_plan = forms.CharField(label=_("Corrective action"), widget=forms.Textarea)
    owner = _Choice(label=_("Owner"), queryset=None, label_of=_person)
    due_on = forms.DateField(label=_("Due date"), widget=date_widget())
    verifier = _Choice(label=_("Verifier (ISO secretary or internal auditor)"), queryset=None, required=False,
                       label_of=_person)
    verification_due_on = forms.DateField(label=_("Verification scheduled on"), widget=date_widget(), required=False)

    def __init__(self, *args, people, verifiers, instance: CorrectiveAction | None = None, **kwargs):
        if instance is not None:
            whys = list(instance.whys or []) + [""] * 5
            kwargs.setdefault("initial", {
                "correction": instance.correction, "root_cause_method": instance.root_cause_method,
                **{f"why{i + 1}": whys[i] for i in range(5)}, "root_cause": instance.root_cause,
                "action_plan": instance.action_plan, "owner": instance.owner_id, "due_on": instance.due_on,
                "verifier": instance.verifier_id, "verification_due_on": instance.verification_due_on})
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people
        self.fields["verifier"].queryset = verifiers

    def clean(self):
        cleaned = super().clean()
        due, check = cleaned.get("due_on"), cleaned.get("verification_due_on")
        if due and check and check < due:
            self.add_error("verification_due_on", _("Verification cannot be scheduled before the action is due."))
        return cleaned

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["whys"] = [data.pop(f"why{i}") for i in range(1, 6)]
        return data


class ImplementForm(BootstrapMixin, forms.Form):
    evidence = forms.CharField(label=_("What was done, and the evidence"), widget=forms.Textarea)
    implemented_on = forms.DateField(label=_("Implemented on"), widget=date_widget())
    evidence_file = forms.FileField(label=_("Evidence file (.pdf, .docx, .xlsx)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["implemented_on"].initial = timezone.localdate()


class VerifyForm(BootstrapMixin, forms.Form):
    effective = forms.TypedChoiceField(label=_("Was the action effective?"), widget=forms.RadioSelect,
                                       choices=[("1", _("Yes: the nonconformity does not recur")),
                                                ("0", _("No: the action must be taken again"))],
                                       coerce=lambda v: v == "1")
    verified_on = forms.DateField(label=_("Verified on"), widget=date_widget())
    note = forms.CharField(label=_("Note"), widget=forms.Textarea, required=False)
    new_due_on = forms.DateField(label=_("New due date (when not effective)"), widget=date_widget(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verified_on"].initial = timezone.localdate()


class RiskForm(BootstrapMixin, forms.ModelForm):
    unit = _Choice(label=_("Unit"), queryset=None, required=False)
    document = _Choice(label=_("Process or procedure"), queryset=None, required=False,
                       label_of=lambda d: f"{d.code} — {d.title}"[:150])
    owner = _Choice(label=_("Owner"), queryset=None, required=False, label_of=_person)
    likelihood = forms.TypedChoiceField(label=_("Likelihood (1–5)"), coerce=int,
                                        choices=[(i, str(i)) for i in range(1, 6)])
    impact = forms.TypedChoiceField(label=_("Impact (1–5)"), coerce=int, choices=[(i, str(i)) for i in range(1, 6)])
    actions = forms.ModelMultipleChoiceField(label=_("Linked corrective actions"), queryset=None, required=False,
                                             widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Risk
        fields = ["kind", "document", "unit", "description", "cause", "likelihood", "impact", "treatment",
                  "owner", "review_on"]
        widgets = {"review_on": date_widget()}

    def __init__(self, *args, units, documents, people, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["document"].queryset = documents
        self.fields["owner"].queryset = people
        self.fields["actions"].queryset = actions
        self.fields["actions"].label_from_instance = lambda a: f"{a.nonconformity.code} — {a.action_plan[:80]}"
        if self.instance.pk:
            self.initial["actions"] = [a.pk for a in self.instance.actions.all()]

    def _post_clean(self):  # the service validates and writes
        pass

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["actions"] = list(data.get("actions") or [])
        return data


class LateStepForm(forms.Form):
    """The one-click button of the dossier statistics: which step of which procedure, which months."""

    admin_procedure = forms.IntegerField(min_value=1)
    step = forms.IntegerField(min_value=1, max_value=200)
    month_from = forms.DateField()
    month_to = forms.DateField()
    threshold = forms.FloatField(min_value=0, max_value=100, required=False)


