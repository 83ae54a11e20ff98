"""Forms of the satisfaction and complaint pages. They parse and check input; the services write
and decide. Every choice of an agency, unit, procedure or dossier comes from a selector."""


from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eiso.feedback.choices import ComplaintChannel, ComplaintStatus, PeriodKind
from eiso.feedback.models import Complaint, FeedbackSettings, SatisfactionBenchmark
from eiso.organizations.forms import BootstrapMixin, FilterForm, ServiceModelForm, date_widget, with_blank

COMPLAINT_STATE_CHOICES = [
    ("open", _("Waiting for an answer")),
    ("overdue", _("Past due")),
    ("answered", _("Answered")),
    ("rejected", _("Not accepted")),
    ("justified", _("Justified")),
    ("without_nonconformity", _("Justified, no nonconformity yet")),
]
GROUP_CHOICES = [("procedure", _("Per procedure")), ("unit", _("Per unit")), ("agency", _("Per agency"))]


def _year_choices():
    this = timezone.localdate().year
    return [(str(y), str(y)) for y in range(this, this - 6, -1)]


class _Scoped(FilterForm):
    """Agency (for people who read several), unit and procedure choices given by the view."""

    agency = forms.ChoiceField(label=_("Agency"), required=False)
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    admin_procedure = forms.ChoiceField(label=_("Administrative procedure"), required=False)

    def __init__(self, *args, agencies, units=(), procedures=(), **kwargs):
        super().__init__(*args, **kwargs)
        agencies = list(agencies)
        if len(agencies) > 1:
            self.fields["agency"].choices = with_blank([(str(a.pk), a.name) for a in agencies])
        else:
            del self.fields["agency"]
        self.fields["unit"].choices = with_blank([(str(u.pk), u.name) for u in units])
        self.fields["admin_procedure"].choices = with_blank(
            [(str(p.pk), f"{p.code} {p.name}"[:90]) for p in procedures])


class SatisfactionFilterForm(_Scoped):
    year = forms.ChoiceField(label=_("Year"), required=False)
    kind = forms.ChoiceField(label=_("Per"), required=False, choices=PeriodKind.choices)
    period = forms.ChoiceField(label=_("Period"), required=False)
    group = forms.ChoiceField(label=_("Table"), required=False, choices=GROUP_CHOICES)
    field_order = ["year", "kind", "period", "group", "agency", "unit", "admin_procedure"]

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["q"]
        self.fields["year"].choices = _year_choices()
        self.fields["period"].choices = with_blank([(p.key, p.label) for p in periods], _("Whole year"))


class ComplaintFilterForm(_Scoped):
    state = forms.ChoiceField(label=_("State"), required=False, choices=with_blank(COMPLAINT_STATE_CHOICES))
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=with_blank(ComplaintChannel.choices))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=with_blank(ComplaintStatus.choices))
    field_order = ["q", "state", "status", "channel", "unit", "admin_procedure", "agency"]


class SatisfactionImportForm(BootstrapMixin, forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=None)
    file = forms.FileField(
        label=_("File (.csv or .xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
        help_text=_("Columns dossier_code, indicator (1–9), score (0, 1 or 2); or dossier_code and one column per "
                    "indicator, indicator_1 … indicator_9. Optional: evaluated_on (dd/mm/yyyy)."))

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        if len(agencies) == 1:
            self.fields["agency"].initial = agencies[0].pk
            self.fields["agency"].widget = forms.HiddenInput()


class BenchmarkForm(ServiceModelForm):
    class Meta:
        model = SatisfactionBenchmark
        fields = ["year", "sipas", "note"]


class FeedbackSettingsForm(ServiceModelForm):
    class Meta:
        model = FeedbackSettings
        fields = ["complaint_due_days"]


class _Choice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        code = getattr(obj, "code", "")
        name = getattr(obj, "name", "") or getattr(obj, "applicant", "")
        return f"{code} {name}".strip()[:100]


class ComplaintForm(ServiceModelForm):
    dossier_code = forms.CharField(label=_("Dossier code"), required=False, max_length=60,
                                   help_text=_("If it is about a dossier: its one-stop code."))

    class Meta:
        model = Complaint
        fields = ["received_on", "channel", "person", "contact", "content", "admin_procedure", "unit"]
        widgets = {"received_on": date_widget()}
        field_classes = {"admin_procedure": _Choice, "unit": _Choice}

    def __init__(self, *args, procedures, units, dossiers, **kwargs):
        super().__init__(*args, **kwargs)
        self.dossiers = dossiers
        self.fields["admin_procedure"].queryset = procedures
        self.fields["unit"].queryset = units
        self.fields["unit"].label = _("Handling unit")
        self.fields["received_on"].initial = timezone.localdate()
        self.order_fields(["received_on", "channel", "person", "contact", "content", "dossier_code",
                           "admin_procedure", "unit"])

    def clean_dossier_code(self):
        code = (self.cleaned_data.get("dossier_code") or "").strip()
        if not code:
            return None
        dossier = self.dossiers.filter(code=code).first()
        if dossier is None:
            raise forms.ValidationError(_("No dossier with this code in your agency."))
        return dossier

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["dossier"] = data.pop("dossier_code", None)
        return data


class AssignForm(BootstrapMixin, forms.Form):
    unit = _Choice(label=_("Handling unit"), queryset=None)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


JUSTIFIED_CHOICES = [("yes", _("Yes: it showed a failure of ours")), ("no", _("No"))]


class AnswerForm(BootstrapMixin, forms.Form):
    answer = forms.CharField(label=_("Answer given"), widget=forms.Textarea)
    answered_on = forms.DateField(label=_("Answered on"), widget=date_widget(), required=False)
    justified = forms.ChoiceField(label=_("Justified"), choices=JUSTIFIED_CHOICES, widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answered_on"].initial = timezone.localdate()

    def service_data(self) -> dict:
        return {"answer": self.cleaned_data["answer"], "answered_on": self.cleaned_data.get("answered_on"),
                "justified": self.cleaned_data["justified"] == "yes"}


class RejectForm(BootstrapMixin, forms.Form):
    answer = forms.CharField(label=_("Why it is not accepted"), widget=forms.Textarea)
    answered_on = forms.DateField(label=_("Answered on"), widget=date_widget(), required=False,
                                  initial=timezone.localdate)
