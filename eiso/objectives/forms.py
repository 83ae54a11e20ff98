"""Forms of the objective pages; the services check and write."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eiso.objectives.models import QualityObjective
from eiso.organizations.forms import BootstrapMixin, ServiceModelForm


class _Named(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return getattr(obj, "full_name", "") or f"{getattr(obj, 'code', '')} {getattr(obj, 'name', '')}".strip()


class ObjectiveForm(ServiceModelForm):
    class Meta:
        model = QualityObjective
        fields = ["year", "title", "unit", "indicator", "comparator", "target", "unit_of_measure", "frequency",
                  "admin_procedure", "owner", "plan_what", "plan_who", "plan_when", "plan_resources"]
        field_classes = {"unit": _Named, "admin_procedure": _Named, "owner": _Named}

    def __init__(self, *args, units, procedures, people, plan_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["admin_procedure"].queryset = procedures
        self.fields["owner"].queryset = people
        self.fields["year"].initial = timezone.localdate().year
        if plan_only:  # an approved objective: what it measures is what the head approved
            for name in list(self.fields):
                if name not in ("owner", "plan_what", "plan_who", "plan_when", "plan_resources"):
                    del self.fields[name]


class MeasurementForm(BootstrapMixin, forms.Form):
    period_start = forms.ChoiceField(label=_("Period"))
    value = forms.DecimalField(label=_("Value"), max_digits=9, decimal_places=2)
    evidence = forms.CharField(label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                               help_text=_("Where the figure comes from: a record, a report, a list…"))
    evidence_file = forms.FileField(label=_("Evidence file (.pdf, .docx, .xlsx)"), required=False)

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period_start"].choices = [(p.start.isoformat(), p.label) for p in periods]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["period_start"] = datetime.date.fromisoformat(data["period_start"])
        return data
