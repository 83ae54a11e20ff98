"""The working calendar page (a year of an agency's working days, its exceptions and a due-date
calculator), its exceptions and the agency's office hours."""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eiso.core import calendar_grid, workcalendar
from eiso.core.errors import Forbidden, NotFound
from eiso.core.pages import form_page, require
from eiso.core.pages import run_form as run
from eiso.organizations import selectors, services
from eiso.organizations.agency_choices import agencies_for, initial_agency
from eiso.organizations.forms import CalendarExceptionForm, DueDateForm, NationalDayForm, OfficeHoursForm


def _calendar_url(agency, year) -> str:
    params = {"year": year, **({"agency": agency.pk} if agency is not None else {})}
    return f"{reverse('organizations:calendar')}?{urlencode(params)}"


def _calendar_year(request) -> int:
    value = request.GET.get("year", "")
    year = (
        int(value) if value.isascii() and value.isdigit() and len(value) == 4 else timezone.localdate().year
    )
    return min(max(year, workcalendar.FIRST_YEAR), workcalendar.LAST_YEAR)


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
            "css": calendar_grid.KIND_CSS[kind],
            "label": calendar_grid.KIND_LABELS[kind],
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
        "months": calendar_grid.year_grid(calendar, year, language, timezone.localdate()),
        "weekdays": calendar_grid.weekday_headers(language),
        "legend": calendar_grid.legend(),
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
    agencies = agencies_for(request, "organizations.change_calendar")
    if not agencies.exists():
        raise Forbidden()
    form = CalendarExceptionForm(
        request.POST or None, agencies=agencies, initial=initial_agency(request, agencies)
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

        ok, exception = run(form, add)
        if ok:
            messages.success(
                request,
                _("%(day)s was added to the calendar of %(agency)s.")
                % {"day": exception.date.strftime("%d/%m/%Y"), "agency": exception.agency.name},
            )
            return redirect(_calendar_url(exception.agency, exception.date.year))
    return form_page(
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
    require(request, "organizations.change_calendar", exception)
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
    require(request, "organizations.change_calendar", agency)
    form = OfficeHoursForm(request.POST or None, instance=selectors.office_hours_for(agency))
    if request.method == "POST":
        ok, _hours = run(
            form,
            lambda: services.agency_office_hours_set(actor=request.user, agency=agency, **form.cleaned_data),
        )
        if ok:
            messages.success(request, _("The changes were saved."))
            return redirect(_calendar_url(agency, timezone.localdate().year))
    return form_page(
        request,
        form,
        title=_("Office hours of %(name)s") % {"name": agency.name},
        cancel_url=_calendar_url(agency, timezone.localdate().year),
        intro=_("A limit of N working days is N times the hours of these two periods."),
    )


@login_required
def national_calendar(request):
    """The decreed national days of a year: those shipped with eISO and those an administrator
    entered, who adds next year's here (audited, for every agency, no release needed)."""
    user = request.user
    year = _calendar_year(request)
    can_change = user.has_perm("organizations.change_national_calendar")
    form = NationalDayForm(request.POST or None) if can_change else None
    if request.method == "POST":
        if form is None:
            raise Forbidden()
        ok, day = run(form, lambda: services.national_day_add(actor=user, **form.cleaned_data))
        if ok:
            messages.success(request, _("%(day)s was added to the national calendar.")
                             % {"day": day.date.strftime("%d/%m/%Y")})
            return redirect(f"{reverse('organizations:nationalcalendar')}?year={day.date.year}")
        year = form.cleaned_data.get("date").year if form.cleaned_data.get("date") else year
    entered = {d.date: d for d in selectors.national_days(year=year)}
    calendar = selectors.work_calendar_for(None)
    rows = []
    for day in sorted({*entered, *(d.date for d in workcalendar.shipped_makeup_workdays() if d.date.year == year),
                       *(d.date for d in workcalendar.shipped_days_off() if d.date.year == year)}):
        kind = calendar.day_kind(day)
        rows.append({"date": day, "kind": kind, "label": calendar_grid.KIND_LABELS[kind],
                     "css": calendar_grid.KIND_CSS[kind],
                     # a decreed day off's name repeats its document, shown beside it
                     "name": "" if kind == workcalendar.DECREED_OFF else calendar.day_name(day),
                     "document": calendar.decision_of(day), "entered": entered.get(day)})
    return render(request, "organizations/national_calendar.html", {
        "year": year, "rows": rows, "form": form, "can_change": can_change,
        "years": [y for y in (year - 1, year + 1) if workcalendar.FIRST_YEAR <= y <= workcalendar.LAST_YEAR],
    }, status=400 if form is not None and form.is_bound else 200)


@login_required
@require_POST
def national_day_remove(request):
    require(request, "organizations.change_national_calendar")
    day = selectors.national_days().filter(date=request.POST.get("date") or None).first()
    if day is None:
        raise NotFound()
    services.national_day_remove(actor=request.user, day=day)
    messages.success(request, _("%(day)s was removed from the national calendar.")
                     % {"day": day.date.strftime("%d/%m/%Y")})
    return redirect(f"{reverse('organizations:nationalcalendar')}?year={day.date.year}")


urlpatterns = [
    path("calendar/", calendar_year, name="calendar"),
    path("calendar/exceptions/new/", calendar_exception_add, name="calendarexception-add"),
    path("calendar/exceptions/<int:pk>/remove/", calendar_exception_remove, name="calendarexception-remove"),
    path("calendar/office-hours/", office_hours_update, name="officehours-update"),
    path("calendar/national/", national_calendar, name="nationalcalendar"),
    path("calendar/national/remove/", national_day_remove, name="nationalcalendar-remove"),
]
