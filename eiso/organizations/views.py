"""Pages of the organisation area.

Views parse input, call a service (writes) and render. Scoped data is read only through
``selectors``, which raise ``NotFound`` (404) outside the user's scope; services raise
``Forbidden`` (403 page via ``DomainErrorMiddleware``) and ``ValidationFailed``/``Conflict``,
which the forms show on their fields so nothing changes and the user sees why.
"""

import calendar as pycalendar
import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.dates import MONTHS, WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from eiso.core import workcalendar
from eiso.core.audit import history_for
from eiso.core.errors import Forbidden, NotFound, ValidationFailed

# --- shared helpers ------------------------------------------------------------------------------
from eiso.core.pages import form_page as _form_page
from eiso.core.pages import paged as _paged
from eiso.core.pages import render_list as _render_list
from eiso.core.pages import require as _require
from eiso.core.pages import run_form as _run
from eiso.core.pages import tab_of as _tab
from eiso.core.policy import permitted
from eiso.core.text import is_id
from eiso.organizations import selectors, services
from eiso.organizations.forms import (
    AgencyFilterForm,
    AgencyForm,
    AgencyMergeForm,
    AuditEventFilterForm,
    CalendarExceptionForm,
    DueDateForm,
    JobDescriptionFilterForm,
    JobDescriptionForm,
    OfficeHoursForm,
    PasswordChangeForm,
    PersonCreateForm,
    PersonEditForm,
    PersonFilterForm,
    SteeringCommitteeCreateForm,
    SteeringCommitteeFilterForm,
    SteeringCommitteeForm,
    SteeringMemberForm,
    UnitCreateForm,
    UnitFilterForm,
    UnitForm,
)


def _visible_agency_ids(request, agencies) -> set[int]:
    ids = {a.pk for a in agencies if a is not None}
    if not ids:
        return set()
    return set(selectors.agencies_for_user(request.user).filter(pk__in=ids).values_list("pk", flat=True))


# --- password change ---------------------------------------------------------------------------------


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, with the write going through ``services.user_set_password`` so
    it leaves an audit event."""

    form_class = PasswordChangeForm
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        user = form.user
        try:
            services.user_set_password(actor=user, user=user, password=form.cleaned_data["new_password1"])
        except ValidationFailed as exc:
            form.add_error("new_password2", str(exc.message))
            return self.form_invalid(form)
        update_session_auth_hash(self.request, user)
        return HttpResponseRedirect(self.get_success_url())


# --- agencies ------------------------------------------------------------------------------------

AGENCY_TABS = [
    ("info", gettext_lazy("Overview")),
    ("units", gettext_lazy("Units")),
    ("people", gettext_lazy("People")),
    ("committee", gettext_lazy("Steering committee")),
    ("history", gettext_lazy("History")),
]


@login_required
def agency_list(request):
    filters = AgencyFilterForm(request.GET or None)
    agencies = selectors.agencies_with_counts_for_user(request.user, **filters.selector_kwargs())
    return _render_list(
        request,
        "organizations/agency_list.html",
        {
            "filters": filters,
            **_paged(request, agencies),
            "can_add": request.user.has_perm("organizations.add_agency"),
            "can_merge": request.user.has_perm("organizations.merge_agencies"),
        },
    )


@login_required
def agency_detail(request, pk):
    agency = selectors.agency_get_for_user(request.user, pk)
    user = request.user
    tab = _tab(request, AGENCY_TABS)
    context = {
        "agency": agency,
        "tab": tab,
        "tabs": AGENCY_TABS,
        "can_edit": user.has_perm("organizations.change_agency", agency),
        "can_add_unit": agency.is_active and user.has_perm("organizations.add_unit", agency),
        "can_add_user": agency.is_active and user.has_perm("organizations.add_user", agency),
        "can_add_committee": agency.is_active
        and user.has_perm("organizations.add_steeringcommittee", agency),
    }
    if tab == "info":
        predecessors, successors = list(agency.predecessors.all()), list(agency.successors.all())
        context.update(
            predecessors=predecessors,
            successors=successors,
            visible_ids=_visible_agency_ids(request, [*predecessors, *successors, agency.parent]),
            counts=selectors.agencies_with_counts_for_user(user).filter(pk=agency.pk).first(),
        )
    elif tab == "units":
        context.update(_paged(request, selectors.units_with_counts_for_user(user, agency=str(agency.pk))))
    elif tab == "people":
        context.update(_paged(request, selectors.users_for_user(user, agency=str(agency.pk))))
    elif tab == "committee":
        context["committees"] = list(selectors.steering_committees_for_user(user, agency=str(agency.pk)))
    else:
        context.update(_paged(request, history_for(agency)))
    return render(request, "organizations/agency_detail.html", context)


@login_required
def agency_create(request):
    _require(request, "organizations.add_agency")
    initial = {"province": request.user.agency.province_id} if request.user.agency else {}
    form = AgencyForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST":
        ok, agency = _run(form, lambda: services.agency_create(actor=request.user, **form.cleaned_data))
        if ok:
            messages.success(request, _("The agency %(name)s was created.") % {"name": agency.name})
            return redirect("organizations:agency-detail", agency.pk)
    return _form_page(request, form, title=_("New agency"), cancel_url=reverse("organizations:agency-list"))


@login_required
def agency_update(request, pk):
    agency = selectors.agency_get_for_user(request.user, pk)
    _require(request, "organizations.change_agency", agency)
    form = AgencyForm(request.POST or None, user=request.user, instance=agency)
    if request.method == "POST":
        ok, _agency = _run(
            form, lambda: services.agency_update(actor=request.user, agency=agency, **form.cleaned_data)
        )
        if ok:
            messages.success(request, _("The changes were saved."))
            return redirect("organizations:agency-detail", agency.pk)
    return _form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": agency.name},
        cancel_url=reverse("organizations:agency-detail", args=[agency.pk]),
    )


@login_required
def agency_merge(request):
    _require(request, "organizations.merge_agencies")
    form = AgencyMergeForm(request.POST or None, user=request.user)
    if request.method == "POST":

        def merge():
            data = form.cleaned_data
            return services.agencies_merge(
                actor=request.user,
                sources=list(data["sources"]),
                code=data["code"],
                name=data["name"],
                short_name=data["short_name"],
                level=data["level"] or None,
                effective_date=data["effective_date"],
            )

        ok, agency = _run(form, merge)
        if ok:
            messages.success(request, _("The agencies were merged into %(name)s.") % {"name": agency.name})
            return redirect("organizations:agency-detail", agency.pk)
    return _form_page(
        request,
        form,
        title=_("Merge agencies"),
        cancel_url=reverse("organizations:agency-list"),
        submit_label=_("Merge"),
        intro=_(
            "The chosen agencies end the day before the effective date. Their active units and people move "
            "to the new agency, which records them as its predecessors; old documents and dossiers keep "
            "pointing at the agency that existed then."
        ),
    )


# --- units ------------------------------------------------------------------------------------------

UNIT_TABS = [
    ("info", gettext_lazy("Overview")),
    ("people", gettext_lazy("People")),
    ("jobs", gettext_lazy("Job descriptions")),
    ("history", gettext_lazy("History")),
]


def _agencies_for(request, perm: str):
    """Active agencies in which the user may ``perm`` (a form's agency choices)."""
    return permitted(request.user, perm, selectors.agencies_for_user(request.user, status="active"))


def _initial_agency(request, agencies) -> dict:
    wanted = request.GET.get("agency", "")
    if is_id(wanted) and agencies.filter(pk=int(wanted)).exists():
        return {"agency": int(wanted)}
    if request.user.agency and agencies.filter(pk=request.user.agency.pk).exists():
        return {"agency": request.user.agency.pk}
    return {}


@login_required
def unit_list(request):
    filters = UnitFilterForm(request.GET or None, user=request.user)
    units = selectors.units_with_counts_for_user(request.user, **filters.selector_kwargs())
    return _render_list(
        request,
        "organizations/unit_list.html",
        {
            "filters": filters,
            **_paged(request, units),
            "can_add": request.user.agency is not None
            and request.user.has_perm("organizations.add_unit", request.user.agency),
        },
    )


@login_required
def unit_detail(request, pk):
    unit = selectors.unit_get_for_user(request.user, pk)
    tab = _tab(request, UNIT_TABS)
    context = {
        "unit": unit,
        "tab": tab,
        "tabs": UNIT_TABS,
        "can_edit": request.user.has_perm("organizations.change_unit", unit),
        "can_add_job": unit.is_active
        and unit.agency.is_active
        and request.user.has_perm("organizations.add_jobdescription", unit.agency),
    }
    if tab == "info":
        context["counts"] = selectors.units_with_counts_for_user(request.user).filter(pk=unit.pk).first()
    elif tab == "people":
        context.update(_paged(request, selectors.users_for_user(request.user, unit=str(unit.pk))))
    elif tab == "jobs":
        context.update(_paged(request, selectors.job_descriptions_for_user(request.user, unit=str(unit.pk))))
    else:
        context.update(_paged(request, history_for(unit)))
    return render(request, "organizations/unit_detail.html", context)


@login_required
def unit_create(request):
    agencies = _agencies_for(request, "organizations.add_unit")
    if not agencies.exists():
        raise Forbidden()
    form = UnitCreateForm(request.POST or None, agencies=agencies, initial=_initial_agency(request, agencies))
    if request.method == "POST":

        def create():
            data = form.cleaned_data
            return services.unit_create(
                actor=request.user,
                agency=data["agency"],
                code=data["code"],
                name=data["name"],
                kind=data["kind"],
            )

        ok, unit = _run(form, create)
        if ok:
            messages.success(request, _("The unit %(name)s was created.") % {"name": unit.name})
            return redirect("organizations:unit-detail", unit.pk)
    return _form_page(request, form, title=_("New unit"), cancel_url=reverse("organizations:unit-list"))


@login_required
def unit_update(request, pk):
    unit = selectors.unit_get_for_user(request.user, pk)
    _require(request, "organizations.change_unit", unit)
    form = UnitForm(request.POST or None, instance=unit)
    if request.method == "POST":
        ok, _unit = _run(
            form, lambda: services.unit_update(actor=request.user, unit=unit, **form.cleaned_data)
        )
        if ok:
            messages.success(request, _("The changes were saved."))
            return redirect("organizations:unit-detail", unit.pk)
    return _form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": unit.name},
        cancel_url=reverse("organizations:unit-detail", args=[unit.pk]),
    )


# --- people -----------------------------------------------------------------------------------------

PERSON_TABS = [
    ("info", gettext_lazy("Overview")),
    ("memberships", gettext_lazy("Agencies and roles")),
    ("history", gettext_lazy("History")),
]


@login_required
def user_list(request):
    filters = PersonFilterForm(request.GET or None, user=request.user)
    people = selectors.users_for_user(request.user, **filters.selector_kwargs())
    return _render_list(
        request,
        "organizations/user_list.html",
        {
            "filters": filters,
            **_paged(request, people),
            "can_add": request.user.agency is not None
            and request.user.has_perm("organizations.add_user", request.user.agency),
        },
    )


@login_required
def user_detail(request, pk):
    person = selectors.user_get_for_user(request.user, pk)
    tab = _tab(request, PERSON_TABS)
    context = {
        "person": person,
        "tab": tab,
        "tabs": PERSON_TABS,
        "membership": person.active_memberships[0] if person.active_memberships else None,
        "can_edit": request.user.has_perm("organizations.change_user", person),
    }
    if tab == "info":
        context["committees"] = list(
            selectors.steering_committees_for_user(request.user).filter(members__user=person).distinct()
        )
    elif tab == "memberships":
        memberships = list(selectors.membership_history(person, viewer=request.user))
        context.update(
            memberships=memberships, visible_ids=_visible_agency_ids(request, [m.agency for m in memberships])
        )
    else:
        context.update(_paged(request, selectors.person_history_for_user(request.user, person)))
    return render(request, "organizations/user_detail.html", context)


def _membership_choices(request):
    agencies = _agencies_for(request, "organizations.add_user")
    if not agencies.exists():
        raise Forbidden()
    units = selectors.units_for_user(request.user, active="1").filter(agency__in=agencies)
    return agencies, units


@login_required
def user_create(request):
    agencies, units = _membership_choices(request)
    form = PersonCreateForm(request.POST or None, initial=_initial_agency(request, agencies))
    form.setup_membership(agencies=agencies, units=units)
    if request.method == "POST":

        def create():
            data = form.cleaned_data
            return services.user_create(
                actor=request.user,
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                password=data["password"] or None,
                agency=data["agency"],
                unit=data["unit"],
                roles=data["roles"],
                position=data["position"],
                phone=data["phone"],
            )

        ok, person = _run(form, create)
        if ok:
            messages.success(request, _("%(name)s was added.") % {"name": person})
            return redirect("organizations:user-detail", person.pk)
    return _form_page(request, form, title=_("New person"), cancel_url=reverse("organizations:user-list"))


@login_required
def user_update(request, pk):
    person = selectors.user_get_for_user(request.user, pk)
    _require(request, "organizations.change_user", person)
    agencies, units = _membership_choices(request)
    form = PersonEditForm(request.POST or None, initial=PersonEditForm.initial_for(person))
    form.setup_membership(agencies=agencies, units=units)
    if request.method == "POST":

        def save():
            data = form.cleaned_data
            # One transaction: details, membership and password change together or not at all.
            with transaction.atomic():
                services.user_update(
                    actor=request.user,
                    user=person,
                    **{name: data[name] for name in PersonEditForm.DETAIL_FIELDS},
                )
                services.membership_change(
                    actor=request.user,
                    user=person,
                    roles=data["roles"],
                    unit=data["unit"],
                    agency=data["agency"],
                )
                if data["new_password"]:
                    services.user_set_password(actor=request.user, user=person, password=data["new_password"])
            return person

        ok, _person = _run(form, save)
        if ok:
            messages.success(request, _("The changes were saved."))
            return redirect("organizations:user-detail", person.pk)
    return _form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": person},
        cancel_url=reverse("organizations:user-detail", args=[person.pk]),
    )


# --- job descriptions -------------------------------------------------------------------------------

JOB_TABS = [("info", gettext_lazy("Overview")), ("history", gettext_lazy("History"))]


@login_required
def jobdescription_list(request):
    filters = JobDescriptionFilterForm(request.GET or None, user=request.user)
    jobs = selectors.job_descriptions_for_user(request.user, **filters.selector_kwargs())
    return _render_list(
        request,
        "organizations/jobdescription_list.html",
        {
            "filters": filters,
            **_paged(request, jobs),
            "can_add": request.user.agency is not None
            and request.user.has_perm("organizations.add_jobdescription", request.user.agency),
        },
    )


@login_required
def jobdescription_detail(request, pk):
    job = selectors.job_description_get_for_user(request.user, pk)
    tab = _tab(request, JOB_TABS)
    context = {
        "job": job,
        "tab": tab,
        "tabs": JOB_TABS,
        "can_edit": request.user.has_perm("organizations.change_jobdescription", job),
    }
    if tab == "history":
        context.update(_paged(request, history_for(job)))
    return render(request, "organizations/jobdescription_detail.html", context)


@login_required
def jobdescription_create(request):
    agencies = _agencies_for(request, "organizations.add_jobdescription")
    if not agencies.exists():
        raise Forbidden()
    units = selectors.units_for_user(request.user, active="1").filter(agency__in=agencies)
    initial = _initial_agency(request, agencies)
    if is_id(request.GET.get("unit", "")):
        initial["unit"] = int(request.GET["unit"])
    form = JobDescriptionForm(request.POST or None, agencies=agencies, units=units, initial=initial)
    if request.method == "POST":

        def create():
            data = dict(form.cleaned_data)
            return services.job_description_create(actor=request.user, agency=data.pop("agency"), **data)

        ok, job = _run(form, create)
        if ok:
            messages.success(request, _("The job description %(code)s was created.") % {"code": job.code})
            return redirect("organizations:jobdescription-detail", job.pk)
    return _form_page(
        request, form, title=_("New job description"), cancel_url=reverse("organizations:jobdescription-list")
    )


@login_required
def jobdescription_update(request, pk):
    job = selectors.job_description_get_for_user(request.user, pk)
    _require(request, "organizations.change_jobdescription", job)
    units = selectors.units_for_user(request.user, agency=str(job.agency_id))
    form = JobDescriptionForm(request.POST or None, agencies=None, units=units, instance=job)
    if request.method == "POST":
        ok, _job = _run(
            form, lambda: services.job_description_update(actor=request.user, job=job, **form.cleaned_data)
        )
        if ok:
            messages.success(request, _("The changes were saved."))
            return redirect("organizations:jobdescription-detail", job.pk)
    return _form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": job},
        cancel_url=reverse("organizations:jobdescription-detail", args=[job.pk]),
    )


# --- steering committees ----------------------------------------------------------------------------

COMMITTEE_TABS = [("members", gettext_lazy("Members")), ("history", gettext_lazy("History"))]


@login_required
def steeringcommittee_list(request):
    filters = SteeringCommitteeFilterForm(request.GET or None, user=request.user)
    committees = selectors.steering_committees_for_user(request.user, **filters.selector_kwargs())
    return _render_list(
        request,
        "organizations/steeringcommittee_list.html",
        {
            "filters": filters,
            **_paged(request, committees),
            "can_add": request.user.agency is not None
            and request.user.has_perm("organizations.add_steeringcommittee", request.user.agency),
        },
    )


def _member_form(request, committee, data=None):
    people = selectors.users_for_user(request.user, agency=str(committee.agency_id), active="1")
    return SteeringMemberForm(data, people=people)


@login_required
def steeringcommittee_detail(request, pk):
    committee = selectors.steering_committee_get_for_user(request.user, pk)
    tab = _tab(request, COMMITTEE_TABS)
    can_edit = request.user.has_perm("organizations.change_steeringcommittee", committee)
    context = {"committee": committee, "tab": tab, "tabs": COMMITTEE_TABS, "can_edit": can_edit}
    if tab == "members":
        context["members"] = list(committee.members.all())
        if can_edit and committee.is_active:
            context["member_form"] = _member_form(request, committee)
    else:
        context.update(_paged(request, history_for(committee)))
    return render(request, "organizations/steeringcommittee_detail.html", context)


@login_required
def steeringcommittee_create(request):
    agencies = _agencies_for(request, "organizations.add_steeringcommittee")
    if not agencies.exists():
        raise Forbidden()
    form = SteeringCommitteeCreateForm(
        request.POST or None, agencies=agencies, initial=_initial_agency(request, agencies)
    )
    if request.method == "POST":
        ok, committee = _run(
            form, lambda: services.steering_committee_create(actor=request.user, **form.cleaned_data)
        )
        if ok:
            messages.success(request, _("The steering committee was created. Now add its members."))
            return redirect("organizations:steeringcommittee-detail", committee.pk)
    return _form_page(
        request,
        form,
        title=_("New ISO steering committee"),
        cancel_url=reverse("organizations:steeringcommittee-list"),
    )


@login_required
def steeringcommittee_update(request, pk):
    committee = selectors.steering_committee_get_for_user(request.user, pk)
    _require(request, "organizations.change_steeringcommittee", committee)
    form = SteeringCommitteeForm(request.POST or None, instance=committee)
    if request.method == "POST":
        ok, _committee = _run(
            form,
            lambda: services.steering_committee_update(
                actor=request.user, committee=committee, **form.cleaned_data
            ),
        )
        if ok:
            messages.success(request, _("The changes were saved."))
            return redirect("organizations:steeringcommittee-detail", committee.pk)
    return _form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": committee.name},
        cancel_url=reverse("organizations:steeringcommittee-detail", args=[committee.pk]),
    )


@login_required
def steeringmember_add(request, pk):
    committee = selectors.steering_committee_get_for_user(request.user, pk)
    _require(request, "organizations.change_steeringcommittee", committee)
    form = _member_form(request, committee, request.POST or None)
    if request.method == "POST":
        ok, member = _run(
            form,
            lambda: services.steering_member_add(
                actor=request.user, committee=committee, **form.cleaned_data
            ),
        )
        if ok:
            messages.success(request, _("%(name)s joined the committee.") % {"name": member.user})
            return redirect(
                reverse("organizations:steeringcommittee-detail", args=[committee.pk]) + "?tab=members"
            )
    return _form_page(
        request,
        form,
        title=_("Add a member to %(name)s") % {"name": committee.name},
        cancel_url=reverse("organizations:steeringcommittee-detail", args=[committee.pk]),
        submit_label=_("Add"),
    )


@login_required
@require_POST
def steeringmember_remove(request, pk, member_pk):
    committee = selectors.steering_committee_get_for_user(request.user, pk)
    _require(request, "organizations.change_steeringcommittee", committee)
    member = next((m for m in committee.members.all() if m.pk == member_pk), None)
    if member is None:
        raise NotFound()
    services.steering_member_remove(actor=request.user, member=member)
    messages.success(request, _("%(name)s left the committee.") % {"name": member.user})
    return redirect(reverse("organizations:steeringcommittee-detail", args=[committee.pk]) + "?tab=members")


# --- audit trail ------------------------------------------------------------------------------------


@login_required
def auditevent_list(request):
    _require(request, "organizations.view_audit_trail")
    filters = AuditEventFilterForm(request.GET or None, user=request.user)
    events = selectors.audit_events_for_user(request.user, **filters.selector_kwargs())
    return _render_list(
        request, "organizations/auditevent_list.html", {"filters": filters, **_paged(request, events)}
    )


# --- working calendar -------------------------------------------------------------------------------

CALENDAR_CSS = {
    workcalendar.WORKING: "eiso-cal-working",
    workcalendar.WEEKEND: "eiso-cal-weekend",
    workcalendar.HOLIDAY: "eiso-cal-holiday",
    workcalendar.MAKEUP: "eiso-cal-makeup",
    workcalendar.DECREED_OFF: "eiso-cal-holiday",
    workcalendar.AGENCY_OFF: "eiso-cal-agency-off",
    workcalendar.AGENCY_WORK: "eiso-cal-agency-work",
}
CALENDAR_LABELS = {
    workcalendar.WORKING: gettext_lazy("Working day"),
    workcalendar.WEEKEND: gettext_lazy("Weekend"),
    workcalendar.HOLIDAY: gettext_lazy("Public holiday"),
    workcalendar.MAKEUP: gettext_lazy("Make-up working day"),
    workcalendar.DECREED_OFF: gettext_lazy("Decreed day off"),
    workcalendar.AGENCY_OFF: gettext_lazy("Agency day off"),
    workcalendar.AGENCY_WORK: gettext_lazy("Agency working day"),
}
LEGEND = [
    workcalendar.WORKING,
    workcalendar.WEEKEND,
    workcalendar.HOLIDAY,
    workcalendar.MAKEUP,
    workcalendar.AGENCY_OFF,
    workcalendar.AGENCY_WORK,
]


def _weekday_headers(language: str) -> list[str]:
    """Column headings of a month grid, Monday first ("Thứ 2" is too wide there: T2 … CN)."""
    if language.startswith("vi"):
        return ["T2", "T3", "T4", "T5", "T6", "T7", "CN"]
    return [str(WEEKDAYS_ABBR[i]) for i in range(7)]


def _calendar_url(agency, year) -> str:
    params = {"year": year, **({"agency": agency.pk} if agency is not None else {})}
    return f"{reverse('organizations:calendar')}?{urlencode(params)}"


def _calendar_year(request) -> int:
    value = request.GET.get("year", "")
    year = (
        int(value) if value.isascii() and value.isdigit() and len(value) == 4 else timezone.localdate().year
    )
    return min(max(year, workcalendar.FIRST_YEAR), workcalendar.LAST_YEAR)


def _year_months(calendar, year: int, language: str) -> list[dict]:
    """Twelve month grids (weeks from Monday) with each day's kind, CSS class and name."""
    today = timezone.localdate()
    grid = pycalendar.Calendar(firstweekday=0)
    months = []
    for month in range(1, 13):
        weeks = []
        for week in grid.monthdatescalendar(year, month):
            cells = []
            for day in week:
                if day.month != month:
                    cells.append(None)
                    continue
                kind = calendar.day_kind(day)
                cells.append(
                    {
                        "date": day,
                        "kind": kind,
                        "css": CALENDAR_CSS[kind],
                        "label": CALENDAR_LABELS[kind],
                        "name": calendar.day_name(day, language),
                        "today": day == today,
                    }
                )
            weeks.append(cells)
        months.append({"number": month, "name": MONTHS[month], "weeks": weeks})
    return months


@login_required
def calendar_year(request):
    """A year of an agency's working calendar, its exceptions and a due-date calculator."""
    user = request.user
    wanted = request.GET.get("agency", "")
    if wanted:
        agency = selectors.calendar_agency_for_user(user, wanted)
    else:
        own = user.agency
        agency = (
            own if own is not None and selectors.agencies_for_user(user).filter(pk=own.pk).exists() else None
        )
    year = _calendar_year(request)
    language = translation.get_language() or "vi"
    calendar = selectors.work_calendar_for(agency)
    exceptions = (
        {e.date: e for e in selectors.calendar_exceptions_for_user(user, agency=str(agency.pk), year=year)}
        if agency
        else {}
    )
    can_change = (
        agency is not None and agency.is_active and user.has_perm("organizations.change_calendar", agency)
    )
    days = [
        {
            "date": day,
            "kind": kind,
            "css": CALENDAR_CSS[kind],
            "label": CALENDAR_LABELS[kind],
            "name": name,
            "document": exceptions[day].decision if day in exceptions else calendar.decision_of(day),
            "exception": exceptions.get(day),
        }
        for day, kind, name in calendar.special_days(year, language)
    ]
    due_form = DueDateForm(request.GET if "due-start" in request.GET else None, prefix="due")
    due = None
    if due_form.is_bound and due_form.is_valid():
        data = due_form.cleaned_data
        total = (data["days"] or 0) * calendar.hours_per_day + (data["hours"] or 0)
        try:
            due = {
                "start": calendar.add_working_time(data["start"], 0),
                "due": calendar.add_working_time(data["start"], total),
                "hours": total,
            }
        except ValueError as exc:
            due_form.add_error(None, str(exc))
    context = {
        "agency": agency,
        "year": year,
        "years": [y for y in (year - 1, year + 1) if workcalendar.FIRST_YEAR <= y <= workcalendar.LAST_YEAR],
        "agencies": list(selectors.agencies_for_user(user).values_list("pk", "name")),
        "months": _year_months(calendar, year, language),
        "weekdays": _weekday_headers(language),
        "legend": [(CALENDAR_CSS[k], CALENDAR_LABELS[k]) for k in LEGEND],
        "days": days,
        "counts": {
            "working": len(calendar.working_days(datetime.date(year, 1, 1), datetime.date(year, 12, 31))),
            "off": sum(1 for d in days if d["kind"] not in workcalendar.WORKING_KINDS),
        },
        "office_hours": selectors.office_hours_for(agency) if agency else None,
        "hours_per_day": calendar.hours_per_day,
        "can_change": can_change,
        "exception_form": CalendarExceptionForm(
            agencies=selectors.agencies_for_user(user).filter(pk=agency.pk), fixed_agency=agency
        )
        if can_change
        else None,
        "due_form": due_form,
        "due": due,
        "calendar_url": _calendar_url(agency, year),
    }
    return render(request, "organizations/calendar.html", context)


@login_required
def calendar_exception_add(request):
    agencies = _agencies_for(request, "organizations.change_calendar")
    if not agencies.exists():
        raise Forbidden()
    form = CalendarExceptionForm(
        request.POST or None, agencies=agencies, initial=_initial_agency(request, agencies)
    )
    if request.method == "POST":

        def add():
            data = form.cleaned_data
            return services.calendar_exception_add(
                actor=request.user,
                agency=data["agency"],
                date=data["date"],
                kind=data["kind"],
                reason=data["reason"],
                decision=data["decision"],
            )

        ok, exception = _run(form, add)
        if ok:
            messages.success(
                request,
                _("%(day)s was added to the calendar of %(agency)s.")
                % {"day": exception.date.strftime("%d/%m/%Y"), "agency": exception.agency.name},
            )
            return redirect(_calendar_url(exception.agency, exception.date.year))
    return _form_page(
        request,
        form,
        title=_("New calendar exception"),
        cancel_url=reverse("organizations:calendar"),
        submit_label=_("Add"),
        intro=_(
            "An extra day off closes the agency on a working day; an extra working day opens it "
            "on a day off. Due dates of dossiers are counted with them."
        ),
    )


@login_required
@require_POST
def calendar_exception_remove(request, pk):
    exception = selectors.calendar_exception_get_for_user(request.user, pk)
    _require(request, "organizations.change_calendar", exception)
    services.calendar_exception_remove(actor=request.user, exception=exception)
    messages.success(
        request,
        _("%(day)s was removed from the calendar of %(agency)s.")
        % {"day": exception.date.strftime("%d/%m/%Y"), "agency": exception.agency.name},
    )
    return redirect(_calendar_url(exception.agency, exception.date.year))


@login_required
def office_hours_update(request):
    agency = selectors.calendar_agency_for_user(
        request.user, request.GET.get("agency") or (request.user.agency.pk if request.user.agency else "")
    )
    _require(request, "organizations.change_calendar", agency)
    form = OfficeHoursForm(request.POST or None, instance=selectors.office_hours_for(agency))
    if request.method == "POST":
        ok, _hours = _run(
            form,
            lambda: services.agency_office_hours_set(actor=request.user, agency=agency, **form.cleaned_data),
        )
        if ok:
            messages.success(request, _("The changes were saved."))
            return redirect(_calendar_url(agency, timezone.localdate().year))
    return _form_page(
        request,
        form,
        title=_("Office hours of %(name)s") % {"name": agency.name},
        cancel_url=_calendar_url(agency, timezone.localdate().year),
        intro=_("A limit of N working days is N times the hours of these two periods."),
    )
