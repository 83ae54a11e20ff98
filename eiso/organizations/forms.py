"""Forms of the organisation pages.

Forms only parse and check input; the services write. Every choice of an agency, unit or
person comes from a selector, so a tampered POST naming another agency's object fails field
validation ("Select a valid choice") instead of reaching a service.
"""

import hashlib
import json

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from eiso.core import freshness
from eiso.core.errors import DomainError
from eiso.core.formfields import make_date_field, make_datetime_field, make_time_field
from eiso.core.glossary import ACTION_LABELS
from eiso.core.policy import permitted
from eiso.core.text import fold, is_id
from eiso.organizations import selectors
from eiso.organizations.choices import AgencyLevel, Role, SteeringRole, UnitKind
from eiso.organizations.models import (
    Agency,
    AgencyCalendar,
    CalendarException,
    JobDescription,
    NationalCalendarDay,
    SteeringCommittee,
    SteeringMember,
    Unit,
    User,
)

DATE_INPUT: dict = {}  # dates are typed as dd/mm/yyyy: BootstrapMixin gives them core.formfields.DateInput
FILE_WIDGET = "eiso/widgets/file.html"
SELECT_WIDGET = "eiso/widgets/select.html"


class BootstrapMixin:
    """Give every widget its Bootstrap class; the template adds ``is-invalid`` on errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateTimeField):
                make_datetime_field(field)  # dd/mm/yyyy hh:mm in every browser
            elif isinstance(field, forms.DateField):
                make_date_field(field)  # dd/mm/yyyy in every browser, not the browser's own picker
            elif isinstance(field, forms.TimeField):
                make_time_field(field)  # 24-hour hh:mm, not the browser's AM/PM
            widget = field.widget
            if isinstance(widget, forms.FileInput):
                widget.template_name = FILE_WIDGET  # "Chọn tệp" and the file's name, not the browser's words
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} eiso-file-input".strip()
                continue
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
                if widget.template_name == forms.Select.template_name and \
                        widget.option_template_name == forms.Select.option_template_name:
                    widget.template_name = SELECT_WIDGET  # the same markup, without an include per option
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("rows", 4)

    def render_key(self) -> str:
        """A digest of everything ``includes/filters.html`` renders from this form (its fields with
        their labels, choices, initial values and widgets' attributes, the data and errors, the
        language), which keeps the rendered form under it: a province's filters hold hundreds of
        choices that cost more to render than the list. Empty (not kept) when a field reads its
        choices from the database as it renders them (a model choice field)."""
        state = [type(self).__module__, type(self).__qualname__, self.prefix, self.auto_id,
                 translation.get_language(), self.initial]
        if self.is_bound:
            data = self.data
            state.append(sorted((k, data.getlist(k) if hasattr(data, "getlist") else data[k]) for k in data))
            state.append(self.errors.get_json_data())
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField):
                return ""
            widget = field.widget
            state.append((name, field.label, field.help_text, field.required, field.disabled, self[name].initial,
                          getattr(field, "choices", None), type(widget).__module__, type(widget).__qualname__,
                          widget.template_name, widget.attrs, getattr(widget, "format", None),
                          getattr(widget, "input_type", None)))
        encoded = json.dumps(state, default=str, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(encoded.encode()).hexdigest()

    def apply_domain_error(self, exc: DomainError) -> None:
        """Show a service's refusal on the form: field errors on their fields, the rest on top."""
        errors = getattr(exc, "errors", None) or {}
        if not errors:
            self.add_error(None, str(exc.message))
            return
        for field, messages in errors.items():
            target = field if field in self.fields else None
            for message in messages if isinstance(messages, list | tuple) else [messages]:
                self.add_error(target, str(message))


class FilterForm(BootstrapMixin, forms.Form):
    """A GET form of a list page; invalid values are ignored rather than shown as errors."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    def selector_kwargs(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


def date_widget():
    """The one date input of the site's forms."""
    return forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d")


def date_field(label=None, required=True, **kwargs):
    return forms.DateField(label=label, required=required, widget=date_widget(), **kwargs)


ALL = _("All")
NO_UNIT = _("— no unit —")


def with_blank(choices, label=ALL):
    """Choices of a filter or optional select, led by an empty choice ("All" unless told)."""
    return [("", label), *choices]


def grouped_unit_choices(units, blank_label=NO_UNIT):
    """Unit choices grouped by agency (``<optgroup>``) when there is more than one agency."""
    groups: dict[str, list] = {}
    for unit in units:
        groups.setdefault(unit.agency.name, []).append((unit.pk, unit.name))
    if len(groups) <= 1:
        flat = [choice for group in groups.values() for choice in group]
        return [("", blank_label), *flat]
    return [("", blank_label), *groups.items()]


# --- list filters -----------------------------------------------------------------------------

STATUS_CHOICES = [("active", _("Active")), ("ended", _("Ended"))]
ACTIVE_CHOICES = [("1", _("Active")), ("0", _("Inactive"))]


class AgencyFilterForm(FilterForm):
    level = forms.ChoiceField(label=_("Level"), required=False, choices=with_blank(AgencyLevel.choices))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=with_blank(STATUS_CHOICES))


class AgencyScopedFilter(FilterForm):
    """An ``agency`` choice for people who read several agencies (overseers), else none."""

    agency = forms.ChoiceField(label=_("Agency"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = freshness.cached("agency-choices", user,
                                    lambda: list(selectors.agencies_for_user(user).values_list("pk", "name")))
        if len(agencies) > 1:
            self.fields["agency"].choices = with_blank([(str(pk), name) for pk, name in agencies])
        else:
            del self.fields["agency"]


class UnitFilterForm(AgencyScopedFilter):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=with_blank(UnitKind.choices))
    active = forms.ChoiceField(label=_("Status"), required=False, choices=with_blank(ACTIVE_CHOICES))


class PersonFilterForm(AgencyScopedFilter):
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=with_blank(Role.choices))
    active = forms.ChoiceField(label=_("Account"), required=False, choices=with_blank(ACTIVE_CHOICES))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        # Units only make sense within one agency: offer them once an agency is chosen (or
        # when the user sees a single agency), which also keeps the list short for overseers.
        agency = self.data.get("agency", "") if "agency" in self.fields else ""
        if "agency" not in self.fields or is_id(agency):
            units = selectors.units_for_user(user, agency=agency if "agency" in self.fields else "")
            self.fields["unit"].choices = with_blank(
                [(str(pk), name) for pk, name in units.values_list("pk", "name")]
            )
        else:
            del self.fields["unit"]


class JobDescriptionFilterForm(AgencyScopedFilter):
    unit = forms.ChoiceField(label=_("Unit"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        agency = self.data.get("agency", "") if "agency" in self.fields else ""
        if "agency" not in self.fields or is_id(agency):
            units = selectors.units_for_user(user, agency=agency if "agency" in self.fields else "")
            self.fields["unit"].choices = with_blank(
                [(str(pk), name) for pk, name in units.values_list("pk", "name")]
            )
        else:
            del self.fields["unit"]


class SteeringCommitteeFilterForm(AgencyScopedFilter):
    active = forms.ChoiceField(label=_("Status"), required=False, choices=with_blank(ACTIVE_CHOICES))


def audit_model_choices() -> list[tuple[str, str]]:
    """Every kind of object the audit trail can name ("app.model" → its name), in name order."""
    from django.apps import apps

    skip = {"core.auditevent", "core.searchentry"}
    choices = [(m._meta.label_lower, capfirst(str(m._meta.verbose_name)))
               for m in apps.get_models() if m.__module__.startswith("eiso.") and m._meta.label_lower not in skip]
    return sorted(choices, key=lambda c: fold(c[1]))


class AuditEventFilterForm(AgencyScopedFilter):
    action = forms.ChoiceField(label=_("Action"), required=False)
    model = forms.ChoiceField(label=_("Object type"), required=False)
    actor = forms.ChoiceField(label=_("Person"), required=False)
    date_from = forms.DateField(label=_("From date"), required=False)
    date_to = forms.DateField(label=_("To date"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["action"].choices = with_blank(sorted(((k, capfirst(str(v))) for k, v in ACTION_LABELS.items()),
                                                      key=lambda c: fold(c[1])))
        self.fields["model"].choices = with_blank(audit_model_choices())
        agency = self.data.get("agency", "") if "agency" in self.fields else ""
        people = selectors.users_for_user(user, agency=agency if is_id(agency) else "")
        self.fields["actor"].choices = with_blank([(str(pk), name or username) for pk, name, username
                                               in people.values_list("pk", "full_name", "username")])


# --- agencies ---------------------------------------------------------------------------------


class ServiceModelForm(BootstrapMixin, forms.ModelForm):
    """A ModelForm used for its labels, widgets and field checks only.

    It never touches ``self.instance`` (so the service sees the true "before" values) and
    never saves: model validation and uniqueness are checked by the service, whose
    ``ValidationFailed`` errors are put back on the fields with ``apply_domain_error``.
    """

    def _post_clean(self):
        pass

    def save(self, commit=True):  # pragma: no cover - a guard, views call services
        raise NotImplementedError("Call a service from eiso.organizations.services.")


class AgencyForm(ServiceModelForm):
    class Meta:
        model = Agency
        fields = [
            "code",
            "name",
            "short_name",
            "level",
            "parent",
            "province",
            "address",
            "valid_from",
            "valid_to",
        ]
        widgets = {
            "valid_from": forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
            "valid_to": forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        parents = selectors.agencies_for_user(user)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        provinces = selectors.provinces_for_user(user)
        self.fields["province"].queryset = provinces
        self.fields["province"].empty_label = None
        self.fields["valid_to"].help_text = _("Leave empty while the agency exists.")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("The end date cannot be before the start date."))
        return cleaned


class AgencyMergeForm(BootstrapMixin, forms.Form):
    sources = forms.ModelMultipleChoiceField(
        label=_("Agencies to merge"),
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose at least two active agencies of the same province."),
    )
    code = forms.CharField(label=_("Code of the new agency"), max_length=40)
    name = forms.CharField(label=_("Name of the new agency"), max_length=300)
    short_name = forms.CharField(label=_("Short name"), max_length=100, required=False)
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("Same as the first agency")), *AgencyLevel.choices]
    )
    effective_date = date_field(
        _("Effective date"),
        help_text=_("The new agency starts on this day; the merged ones end the day before."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sources"].queryset = permitted(
            user, "organizations.change_agency", selectors.agencies_for_user(user, status="active")
        )

    def clean_sources(self):
        sources = self.cleaned_data["sources"]
        if len(sources) < 2:
            raise forms.ValidationError(_("Choose at least two agencies to merge."))
        return sources


# --- units ------------------------------------------------------------------------------------


class UnitCreateForm(ServiceModelForm):
    class Meta:
        model = Unit
        fields = ["agency", "code", "name", "kind"]

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class UnitForm(ServiceModelForm):
    class Meta:
        model = Unit
        fields = ["code", "name", "kind", "is_active"]


# --- people -----------------------------------------------------------------------------------


def _role_field(**kwargs):
    return forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple, **kwargs
    )


class _MembershipFields(BootstrapMixin, forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)
    roles = _role_field()

    def setup_membership(self, *, agencies, units) -> None:
        self.fields["agency"].queryset = agencies
        self._units = {unit.pk: unit for unit in units}
        self.fields["unit"].choices = grouped_unit_choices(self._units.values())

    def clean_unit(self):
        pk = self.cleaned_data.get("unit")
        if pk is None:
            return None
        unit = self._units.get(pk)
        if unit is None:  # pragma: no cover - the choices already refuse unknown ids
            raise forms.ValidationError(_("Select a valid choice."))
        return unit

    def clean(self):
        cleaned = super().clean()
        agency, unit = cleaned.get("agency"), cleaned.get("unit")
        if agency is not None and unit is not None and unit.agency_id != agency.pk:
            self.add_error("unit", _("The unit does not belong to the chosen agency."))
        return cleaned


class PersonCreateForm(_MembershipFields):
    username = forms.CharField(
        label=_("Username"), max_length=150, help_text=_("Letters, digits and @/./+/-/_ only.")
    )
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), required=False)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Leave empty to create the account without a password: the person cannot log in until one is set."
        ),
    )
    field_order = [
        "username",
        "full_name",
        "email",
        "password",
        "position",
        "phone",
        "agency",
        "unit",
        "roles",
    ]


LANGUAGE_CHOICES = [("", _("Default")), *settings.LANGUAGES]


class PersonEditForm(_MembershipFields):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), required=False)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    preferred_language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES, required=False)
    is_active = forms.BooleanField(label=_("Account active"), required=False)
    new_password = forms.CharField(
        label=_("New password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to keep the current password."),
    )
    field_order = [
        "full_name",
        "email",
        "position",
        "phone",
        "preferred_language",
        "is_active",
        "agency",
        "unit",
        "roles",
        "new_password",
    ]

    DETAIL_FIELDS = ["full_name", "email", "position", "phone", "preferred_language", "is_active"]

    @classmethod
    def initial_for(cls, person: User) -> dict:
        membership = person.membership
        initial = {name: getattr(person, name) for name in cls.DETAIL_FIELDS}
        if membership is not None:
            initial.update(
                agency=membership.agency_id, unit=membership.unit_id, roles=sorted(membership.roles)
            )
        return initial


# --- job descriptions, steering committees --------------------------------------------------------


class JobDescriptionForm(ServiceModelForm):
    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)

    class Meta:
        model = JobDescription
        fields = ["agency", "unit", "code", "position", "reports_to", "duties", "authority", "competence"]

    def __init__(self, *args, agencies, units, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is None:
            del self.fields["agency"]
            if self.instance.pk:
                self.initial["unit"] = self.instance.unit_id
        else:
            self.fields["agency"].queryset = agencies
        self._units = {unit.pk: unit for unit in units}
        self.fields["unit"].choices = grouped_unit_choices(self._units.values())

    def clean_unit(self):
        pk = self.cleaned_data.get("unit")
        return None if pk is None else self._units[pk]

    def clean(self):
        cleaned = super().clean()
        agency = cleaned.get("agency") if "agency" in self.fields else self.instance.agency
        unit = cleaned.get("unit")
        if agency is not None and unit is not None and unit.agency_id != agency.pk:
            self.add_error("unit", _("The unit does not belong to the chosen agency."))
        return cleaned


class SteeringCommitteeCreateForm(ServiceModelForm):
    class Meta:
        model = SteeringCommittee
        fields = ["agency", "name", "decision_number", "decision_date", "decision_signer"]
        widgets = {"decision_date": forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d")}

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["agency"].help_text = _("A new committee replaces the agency's current one.")


class SteeringCommitteeForm(ServiceModelForm):
    class Meta:
        model = SteeringCommittee
        fields = ["name", "decision_number", "decision_date", "decision_signer", "is_active"]
        widgets = {"decision_date": forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d")}


class SteeringMemberForm(ServiceModelForm):
    class Meta:
        model = SteeringMember
        fields = ["user", "role", "duties"]

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people
        self.fields["role"].choices = SteeringRole.choices


# --- accounts ---------------------------------------------------------------------------------


class LoginForm(BootstrapMixin, auth_forms.AuthenticationForm):
    pass


class PasswordChangeForm(BootstrapMixin, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(BootstrapMixin, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(BootstrapMixin, auth_forms.SetPasswordForm):
    pass


# --- working calendar -------------------------------------------------------------------------


TIME_INPUT: dict = {}  # 24-hour text inputs: BootstrapMixin gives them core.formfields.TimeInput


class CalendarExceptionForm(ServiceModelForm):
    class Meta:
        model = CalendarException
        fields = ["agency", "date", "kind", "reason", "decision"]
        widgets = {"date": forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d")}

    def __init__(self, *args, agencies, fixed_agency: Agency | None = None, **kwargs):
        """``agencies``: those whose calendar the user may change. With ``fixed_agency`` (the
        calendar page) the agency is a hidden field; a tampered value still fails the choice."""
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        if fixed_agency is not None:
            self.fields["agency"].widget = forms.HiddenInput()
            self.initial["agency"] = fixed_agency.pk


class NationalDayForm(ServiceModelForm):
    class Meta:
        model = NationalCalendarDay
        fields = ["date", "kind", "replaces", "decision"]
        widgets = {"date": forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
                   "replaces": forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d")}


class OfficeHoursForm(ServiceModelForm):
    class Meta:
        model = AgencyCalendar
        fields = ["morning_start", "morning_end", "afternoon_start", "afternoon_end"]
        widgets = {name: forms.TimeInput(attrs=TIME_INPUT, format="%H:%M") for name in fields}


class DueDateForm(BootstrapMixin, forms.Form):
    """The calculator of the calendar page (a GET form: nothing is written)."""

    start = forms.DateTimeField(
        label=_("Received at"),
    )
    days = forms.DecimalField(label=_("Working days"), required=False, min_value=0, max_value=10_000,
                              decimal_places=2)
    hours = forms.DecimalField(label=_("Working hours"), required=False, min_value=0, max_value=100_000,
                               decimal_places=2)

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("days") and not data.get("hours"):
            self.add_error("days", _("Give a number of working days or hours."))
        return data


class SessionSettingsForm(BootstrapMixin, forms.Form):
    session_idle_hours = forms.IntegerField(
        label=_("Sign out after idle hours"), min_value=1, max_value=72,
        help_text=_("A person of this agency who does nothing for this many hours is signed out (1 to 72)."))
