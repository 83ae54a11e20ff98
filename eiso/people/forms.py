"""Forms of the training and competence pages; the services check and write."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eiso.core.formfields import DateField
from eiso.organizations.choices import Role
from eiso.organizations.forms import BootstrapMixin, FilterForm, ServiceModelForm, with_blank
from eiso.people.choices import AttendanceStatus
from eiso.people.models import Course, CourseKind, PeopleSettings


class _Named(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        full_name = getattr(obj, "full_name", "")
        if full_name or hasattr(obj, "username"):
            return full_name or obj.username
        if isinstance(obj, CourseKind):  # its code is an internal key ("awareness"): the name says it
            return obj.name
        code = getattr(obj, "code", "")
        return f"{code} — {getattr(obj, 'position', '') or getattr(obj, 'name', '') or obj}" if code else str(obj)


class _People(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name or obj.username


class CourseFilterForm(FilterForm):
    year = forms.ChoiceField(label=_("Year"), required=False)
    kind = forms.ChoiceField(label=_("Kind of course"), required=False)
    agency = forms.ChoiceField(label=_("Agency"), required=False)
    field_order = ["q", "year", "kind", "agency"]

    def __init__(self, *args, kinds, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(str(y), str(y)) for y in range(this_year + 1, this_year - 6, -1)]
        self.fields["kind"].choices = with_blank([(k.code, k.name) for k in kinds])
        agencies = list(agencies)
        if len(agencies) > 1:
            self.fields["agency"].choices = with_blank([(str(a.pk), a.name) for a in agencies])
        else:
            del self.fields["agency"]


class CourseForm(ServiceModelForm):
    class Meta:
        model = Course
        fields = ["kind", "title", "provider", "start_date", "end_date", "hours", "validity_months", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = kinds


class SessionForm(BootstrapMixin, forms.Form):
    date = DateField(label=_("Date"))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    trainer = forms.CharField(label=_("Trainer"), max_length=200, required=False)
    revision = forms.ModelChoiceField(
        label=_("Revision briefed"), queryset=None, required=False,
        help_text=_("For a procedure briefing: the people the revision concerns are invited, and being present "
                    "counts as having read it."))

    def __init__(self, *args, revisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revision"].queryset = revisions
        self.fields["revision"].label_from_instance = lambda r: (
            f"{r.document.code} {r.document.title} — {_('issue')} {r.issue_number}")[:120]


class InviteForm(BootstrapMixin, forms.Form):
    people = _People(label=_("People"), queryset=None, required=False,
                     widget=forms.SelectMultiple(attrs={"size": 8}))
    unit = _Named(label=_("Everyone of a unit"), queryset=None, required=False)

    def __init__(self, *args, people, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people
        self.fields["unit"].queryset = units


class ResultForm(BootstrapMixin, forms.Form):
    person = _Named(label=_("Person"), queryset=None)
    passed = forms.TypedChoiceField(label=_("Result"), choices=[("1", _("Passed")), ("0", _("Not passed"))],
                                    coerce=lambda v: v == "1", initial="1")
    score = forms.CharField(label=_("Score or grade"), max_length=40, required=False)
    certificate_number = forms.CharField(label=_("Certificate number"), max_length=80, required=False)
    issued_on = DateField(label=_("Awarded on"))
    valid_until = DateField(label=_("Valid until"), required=False,
                            help_text=_("Empty: the course's validity from the issue date (or no end)."))
    uploaded = forms.FileField(label=_("Certificate (.pdf)"), required=False,
                               widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class RequirementForm(BootstrapMixin, forms.Form):
    kind = _Named(label=_("Training required"), queryset=None)
    job_description = _Named(label=_("Job description"), queryset=None, required=False)
    role = forms.ChoiceField(label=_("Or everyone with the role"), required=False,
                             choices=with_blank(Role.choices, _("Everyone in the agency")))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, kinds, jobs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = kinds
        self.fields["job_description"].queryset = jobs


class HolderForm(BootstrapMixin, forms.Form):
    job_description = _Named(label=_("Job description"), queryset=None)
    person = _Named(label=_("Person"), queryset=None)
    since = DateField(label=_("Since"), required=False)

    def __init__(self, *args, jobs, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job_description"].queryset = jobs
        self.fields["person"].queryset = people


class GapActionForm(BootstrapMixin, forms.Form):
    person = _Named(label=_("Person"), queryset=None)
    kind = _Named(label=_("Training required"), queryset=None)
    action = forms.CharField(label=_("What will be done"), max_length=300)
    owner = _Named(label=_("Who arranges it"), queryset=None, required=False)
    due_on = DateField(label=_("To close by"))
    course = _Named(label=_("Training course"), queryset=None, required=False)

    def __init__(self, *args, people, kinds, owners, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["kind"].queryset = kinds
        self.fields["owner"].queryset = owners
        self.fields["course"].queryset = courses
        self.fields["course"].label_from_instance = lambda c: f"{c.title} ({c.start_date:%d/%m/%Y})"


class OnboardingForm(BootstrapMixin, forms.Form):
    person = _Named(label=_("Newcomer"), queryset=None)
    started_on = DateField(label=_("Started on"), required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class PeopleSettingsForm(ServiceModelForm):
    class Meta:
        model = PeopleSettings
        fields = ["auditor_training_required"]


ATTENDANCE_CHOICES = [(AttendanceStatus.PRESENT, _("Present")), (AttendanceStatus.ABSENT, _("Absent")),
                      (AttendanceStatus.INVITED, _("Not recorded"))]
