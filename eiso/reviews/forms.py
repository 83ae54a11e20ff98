"""Forms of the review pages; the services check and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.objectives.choices import Comparator, Frequency, IndicatorCode
from eiso.organizations.forms import BootstrapMixin, ServiceModelForm
from eiso.reviews.choices import OutputStatus, ReviewStatus
from eiso.reviews.models import ManagementReview, ReviewOutput


class _Person(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name or obj.username


class ReviewForm(ServiceModelForm):
    """A new review, or the meeting's details (the input fields only while it is prepared)."""

    class Meta:
        model = ManagementReview
        fields = ["meeting_on", "period_start", "location", "chair", "participants", "resources_note",
                  "providers_note", "conclusions"]
        field_classes = {"chair": _Person}
        widgets = {"participants": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, people, inputs_editable=True, creating=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = people
        self.fields["period_start"].required = False
        if creating:
            del self.fields["conclusions"]
        if not inputs_editable:
            for name in ("meeting_on", "period_start", "resources_note", "providers_note"):
                del self.fields[name]

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


class OutputForm(ServiceModelForm):
    class Meta:
        model = ReviewOutput
        fields = ["kind", "description", "owner", "due_on"]
        field_classes = {"owner": _Person}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people


class OutputStatusForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=OutputStatus.choices)
    done_on = forms.DateField(label=_("Done on"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(BootstrapMixin, forms.Form):
    conclusions = forms.CharField(label=_("Conclusions of the meeting"), required=False, max_length=20000,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    no_action_needed = forms.BooleanField(label=_("No action needed: the review decided nothing to change"),
                                          required=False)


class CorrectiveActionForm(BootstrapMixin, forms.Form):
    root_cause = forms.CharField(label=_("Root cause"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class ObjectiveFromOutputForm(BootstrapMixin, forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"), choices=IndicatorCode.choices)
    comparator = forms.ChoiceField(label=_("Comparator"), choices=Comparator.choices)
    target = forms.DecimalField(label=_("Target"), max_digits=9, decimal_places=2)
    unit_of_measure = forms.CharField(label=_("Unit of measure"), max_length=30, initial="%")
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Frequency.choices, initial=Frequency.QUARTER)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2999)


class ReviewFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    agency = forms.ChoiceField(label=_("Agency"), required=False)

    def __init__(self, *args, agencies, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All")), *ReviewStatus.choices]
        self.fields["year"].choices = [("", _("All")), *[(y, y) for y in years]]
        if len(agencies) > 1:
            self.fields["agency"].choices = [("", _("All")), *[(a.pk, a.short_name or a.name) for a in agencies]]
        else:
            del self.fields["agency"]

    def selector_kwargs(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"q": data.get("q") or "", "status": data.get("status") or "", "year": data.get("year"),
                "agency": data.get("agency") or ""}
