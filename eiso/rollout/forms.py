"""Forms of the rollout pages; the services check and write."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eiso.organizations.forms import BootstrapMixin, FilterForm, ServiceModelForm, with_blank
from eiso.rollout.choices import GapResult, ItemStatus, RolloutStatus
from eiso.rollout.models import GapSurvey, RegistryItem, Rollout, RolloutPhase


class _Named(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        code = getattr(obj, "code", "")
        name = getattr(obj, "name", "") or getattr(obj, "title", "")
        return f"{code} — {name}" if code and name else (name or code)


class RolloutForm(ServiceModelForm):
    class Meta:
        model = Rollout
        fields = ["title", "started_on", "target_on", "consultant", "consultant_contact"]


class RolloutCreateForm(RolloutForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].initial = _("Building and applying the QMS under TCVN ISO 9001:2015")
        self.fields["started_on"].initial = timezone.localdate()


class RegistryDecisionForm(BootstrapMixin, forms.Form):
    decision_number = forms.CharField(label=_("Decision number"), max_length=60,
                                      help_text=_("The decision adopting the procedure registry, e.g. 12/QĐ-UBND."))
    decision_date = forms.DateField(label=_("Decision date"))
    signer = forms.CharField(label=_("Signed by"), max_length=200)


class RegistryFillForm(BootstrapMixin, forms.Form):
    drafting_unit = _Named(label=_("Drafting unit"), queryset=None, required=False,
                           help_text=_("Given to every new procedure; change it per procedure afterwards."))
    deadline = forms.DateField(label=_("Deadline"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["drafting_unit"].queryset = units


class RegistryItemForm(ServiceModelForm):
    class Meta:
        model = RegistryItem
        fields = ["title", "drafting_unit", "deadline", "notes"]
        field_classes = {"drafting_unit": _Named}
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["drafting_unit"].queryset = units


class RegistryItemCreateForm(RegistryItemForm):
    class Meta(RegistryItemForm.Meta):
        fields = ["title", "admin_procedure", "drafting_unit", "deadline", "notes"]
        field_classes = {"drafting_unit": _Named, "admin_procedure": _Named}

    def __init__(self, *args, units, procedures, **kwargs):
        super().__init__(*args, units=units, **kwargs)
        self.fields["admin_procedure"].queryset = procedures


class ItemIssueForm(BootstrapMixin, forms.Form):
    document = _Named(label=_("Issued document"), queryset=None,
                      help_text=_("The procedure as issued in the document register (a revision in force)."))
    issued_on = forms.DateField(label=_("Issued on"), required=False,
                                help_text=_("Empty: the effective date of the revision in force."))

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = documents


class ItemStatusForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[(s.value, s.label) for s in ItemStatus
                                                            if s != ItemStatus.ISSUED])


class PhaseForm(ServiceModelForm):
    class Meta:
        model = RolloutPhase
        fields = ["name", "planned_start", "planned_end", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class GapSurveyForm(ServiceModelForm):
    class Meta:
        model = GapSurvey
        fields = ["title", "surveyed_on", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].initial = _("Gap survey against TCVN ISO 9001:2015")
        self.fields["surveyed_on"].initial = timezone.localdate()


class GapAssessmentForm(BootstrapMixin, forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=GapResult.choices)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=10_000,
                            widget=forms.Textarea(attrs={"rows": 2}))


class RolloutFilterForm(FilterForm):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=with_blank(RolloutStatus.choices))
    agency = forms.ChoiceField(label=_("Agency"), required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = list(agencies)
        if len(agencies) > 1:
            self.fields["agency"].choices = with_blank([(str(a.pk), a.name) for a in agencies])
        else:
            del self.fields["agency"]


REGISTRY_STATUS_CHOICES = [*ItemStatus.choices, ("overdue", _("Overdue"))]


class RegistryFilterForm(FilterForm):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=with_blank(REGISTRY_STATUS_CHOICES))
    unit = forms.ChoiceField(label=_("Drafting unit"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = with_blank([*((str(pk), name) for pk, name in units),
                                                  ("none", _("— no unit yet —"))])

    def selector_kwargs(self) -> dict:
        kwargs = super().selector_kwargs()
        if kwargs.get("status") == "overdue":
            kwargs.pop("status")
            kwargs["overdue"] = True
        return kwargs
