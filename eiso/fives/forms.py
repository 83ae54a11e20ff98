"""Forms of the 5S pages; the services check and write."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eiso.fives.choices import AreaKind, InspectionStatus, RewardKind, S
from eiso.organizations.forms import AgencyScopedFilter, BootstrapMixin, with_blank


class _Named(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return getattr(obj, "full_name", "") or getattr(obj, "name", "") or str(obj)


class _AreaChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.unit.name} · {obj.name}"


class ServiceForm(BootstrapMixin, forms.Form):
    pass


class ProgrammeForm(ServiceForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2999)
    title = forms.CharField(label=_("Title"), max_length=300, required=False,
                            help_text=_("Left empty: “5S programme” and the year."))
    goals = forms.CharField(label=_("Goals"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    frequency = forms.CharField(label=_("Inspection frequency"), max_length=200, required=False,
                                help_text=_("For example: each area once a quarter, unannounced."))

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["year"]
            self.fields["title"].required = True
        else:
            self.fields["year"].initial = timezone.localdate().year


class AreaForm(ServiceForm):
    unit = _Named(label=_("Unit"), queryset=None)
    name = forms.CharField(label=_("Area"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=AreaKind.choices)
    location = forms.CharField(label=_("Location"), max_length=200, required=False,
                               help_text=_("Building, floor, room."))
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args, units, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if not editing:
            del self.fields["active"]


class ItemForm(ServiceForm):
    s = forms.ChoiceField(label=_("S"), choices=S.choices)
    text = forms.CharField(label=_("Item"), max_length=400, widget=forms.Textarea(attrs={"rows": 2}))
    points = forms.IntegerField(label=_("Points"), min_value=1, max_value=100, initial=5)
    graded = forms.BooleanField(label=_("Scored from 0 to its points"), required=False,
                                help_text=_("Otherwise the item is passed (all its points) or failed (none)."))
    position = forms.IntegerField(label=_("Order"), min_value=0, max_value=32767, required=False)


class PlanForm(ServiceForm):
    area = _AreaChoice(label=_("Area"), queryset=None)
    planned_on = forms.DateField(label=_("Date"))
    inspector = _Named(label=_("Inspector"), queryset=None)
    note = forms.CharField(label=_("Remarks"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, areas, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["inspector"].queryset = people


class RewardForm(ServiceForm):
    unit = _Named(label=_("Unit"), queryset=None)
    period = forms.ChoiceField(label=_("Quarter"))
    kind = forms.ChoiceField(label=_("Kind"), choices=RewardKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300, help_text=_("For example: certificate of merit, bonus."))
    decision = forms.CharField(label=_("Decision"), max_length=200, required=False,
                               help_text=_("Number and date of the decision, if any."))
    given_on = forms.DateField(label=_("Given on"))

    def __init__(self, *args, units, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["period"].choices = [(p.code, p.label) for p in periods]
        self.fields["given_on"].initial = timezone.localdate()


class InspectionFilterForm(AgencyScopedFilter):
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=with_blank(InspectionStatus.choices))
    period = forms.ChoiceField(label=_("Quarter"), required=False)

    def __init__(self, *args, user, units, periods, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["unit"].choices = with_blank([(str(u.pk), u.name) for u in units])
        self.fields["period"].choices = with_blank([(p.code, p.label) for p in periods])
