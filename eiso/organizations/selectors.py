"""Reads of organisation data, always through the user's scope (``organizations.permissions.policy``).

``*_get_for_user`` raise ``NotFound`` for an object outside it (an id of another agency reads
exactly like an id that does not exist).
"""

import datetime

from django.conf import settings
from django.db.models import (
    CharField,
    Count,
    DateField,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone

from eiso.core.errors import NotFound
from eiso.core.models import AuditEvent
from eiso.core.selectors import by_agency, get_or_404
from eiso.core.text import fold, is_id
from eiso.core.workcalendar import DEFAULT_PERIODS, DecreedDay, WorkCalendar
from eiso.organizations.choices import CalendarExceptionKind, NationalDayKind
from eiso.organizations.models import (
    Agency,
    AgencyCalendar,
    CalendarException,
    JobDescription,
    Membership,
    MembershipRole,
    NationalCalendarDay,
    Province,
    SteeringCommittee,
    SteeringMember,
    Unit,
    User,
)
from eiso.organizations.permissions import policy


def visible_agencies(user) -> QuerySet[Agency]:
    """Agencies ``user`` may read: their own and every agency it succeeded, or their province for
    overseers and admins, or all for a superuser (the policy's ``view_agency``)."""
    return policy.filter(user, "view_agency", Agency.objects)


# --- provinces ----------------------------------------------------------------------------------

def provinces_for_user(user) -> QuerySet[Province]:
    """Provinces ``user`` may refer to: all for a superuser, else those of the agencies they read."""
    if user.is_authenticated and user.is_active and user.is_superuser:
        return Province.objects.all()
    return Province.objects.filter(pk__in=visible_agencies(user).values("province_id"))


# --- agencies -----------------------------------------------------------------------------------

def agencies_for_user(user, *, q: str = "", level: str = "", province: str = "", status: str = ""):
    qs = visible_agencies(user).select_related("province", "parent")
    if q:
        qs = qs.filter(Q(name_folded__contains=fold(q)) | Q(code__icontains=q))
    if level:
        qs = qs.filter(level=level)
    if province:
        qs = qs.filter(province__code=province)
    if status == "active":
        qs = qs.active()
    elif status == "ended":
        qs = qs.exclude(pk__in=Agency.objects.active().values("pk"))
    return qs.order_by("level", "name")


def agency_get_for_user(user, pk) -> Agency:
    return get_or_404(agencies_for_user(user).prefetch_related("predecessors", "successors"), pk)


# --- units ----------------------------------------------------------------------------------------

def units_for_user(user, *, q: str = "", agency: str = "", kind: str = "", active: str = ""):
    qs = policy.filter(user, "view_unit", Unit.objects).select_related("agency")
    if q:
        qs = qs.filter(name_folded__contains=fold(q))
    qs = by_agency(qs, agency)
    if kind:
        qs = qs.filter(kind=kind)
    if active in ("1", "0"):
        qs = qs.filter(is_active=active == "1")
    return qs.order_by("agency__name", "name")


def unit_get_for_user(user, pk) -> Unit:
    return get_or_404(units_for_user(user), pk)


# --- people ---------------------------------------------------------------------------------------

def _active_memberships():
    return Membership.objects.filter(valid_to__isnull=True).select_related("agency", "unit").prefetch_related(
        Prefetch("role_rows", queryset=MembershipRole.objects.all())
    )


def users_for_user(user, *, q: str = "", agency: str = "", unit: str = "", role: str = "",
                   active: str = ""):
    """People with a membership (current or past) in an agency ``user`` may read."""
    qs = policy.filter(user, "view_user", User.objects)
    current = Membership.objects.filter(user=OuterRef("pk"), valid_to__isnull=True)
    if agency:
        key = "agency_id" if is_id(agency) else "agency__code"
        qs = qs.filter(Exists(current.filter(**{key: agency})))
    if unit:
        qs = qs.filter(Exists(current.filter(unit_id=unit))) if is_id(unit) else qs.none()
    if role:
        qs = qs.filter(Exists(current.filter(role_rows__role=role)))
    if q:
        qs = qs.filter(name_folded__contains=fold(q))
    if active in ("1", "0"):
        qs = qs.filter(is_active=active == "1")
    # Only a current membership the viewer may read: a person who moved to another agency shows
    # without that agency's unit and roles.
    current_visible = _active_memberships().filter(agency__in=visible_agencies(user))
    return qs.prefetch_related(Prefetch("memberships", queryset=current_visible, to_attr="active_memberships"))\
        .order_by("full_name", "username")


def user_get_for_user(user, pk) -> User:
    return get_or_404(users_for_user(user), pk)


def membership_history(person: User, viewer=None):
    """A person's memberships, newest first; with ``viewer``, only those in agencies they may read."""
    qs = person.memberships.select_related("agency", "unit").prefetch_related("role_rows")
    if viewer is not None:
        qs = qs.filter(agency__in=visible_agencies(viewer))
    return qs.order_by("-valid_from", "-id")


def person_history_for_user(viewer, person: User):
    """Audit events about a person, limited to the agencies the viewer may read."""
    from eiso.core.audit import history_for

    return policy.filter(viewer, "view_auditevent", history_for(person))


# --- job descriptions and steering committees ---------------------------------------------------------

def job_descriptions_for_user(user, *, q: str = "", agency: str = "", unit: str = ""):
    qs = policy.filter(user, "view_jobdescription", JobDescription.objects).select_related("agency", "unit")
    if q:
        qs = qs.filter(Q(position__icontains=q) | Q(code__icontains=q) | Q(duties__icontains=q))
    qs = by_agency(qs, agency)
    if unit and is_id(unit):
        qs = qs.filter(unit_id=unit)
    return qs.order_by("agency__name", "code")


def job_description_get_for_user(user, pk) -> JobDescription:
    return get_or_404(job_descriptions_for_user(user), pk)


def steering_committees_for_user(user, *, q: str = "", agency: str = "", active: str = ""):
    qs = policy.filter(user, "view_steeringcommittee", SteeringCommittee.objects).select_related("agency")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(decision_number__icontains=q))
    qs = by_agency(qs, agency)
    if active in ("1", "0"):
        qs = qs.filter(is_active=active == "1")
    return qs.prefetch_related(
        Prefetch("members", queryset=SteeringMember.objects.select_related("user").order_by("role", "id"))
    ).order_by("agency__name", "-decision_date")


def steering_committee_get_for_user(user, pk) -> SteeringCommittee:
    return get_or_404(steering_committees_for_user(user), pk)


# --- audit trail ----------------------------------------------------------------------------------

def audit_events_for_user(user, *, q: str = "", action: str = "", agency: str = "", model: str = "",
                          actor: str = "", date_from=None, date_to=None):
    """The audit events ``user`` may read; ``model`` is "app.model" (or a bare model name), the
    dates bound the day the change was made (both included, in the local time zone)."""
    qs = policy.filter(user, "view_auditevent", AuditEvent.objects).select_related("agency", "content_type")
    if q:
        qs = qs.filter(Q(object_repr__icontains=q) | Q(actor_repr__icontains=q) | Q(note__icontains=q))
    if action:
        qs = qs.filter(action=action)
    if agency and is_id(agency):
        qs = qs.filter(agency_id=agency)
    if model:
        app_label, _dot, name = model.rpartition(".")
        qs = qs.filter(content_type__model=name, **({"content_type__app_label": app_label} if app_label else {}))
    if actor:
        qs = qs.filter(actor_id=actor) if is_id(actor) else qs.none()
    if date_from:
        qs = qs.filter(at__gte=_day_start(date_from))
    if date_to:
        qs = qs.filter(at__lt=_day_start(date_to + datetime.timedelta(days=1)))
    return qs.order_by("-at", "-id")


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# --- counts for list pages and dashboards (added for the web UI) ---------------------------------------

def _count_per(model, key: str, **filters):
    """A correlated ``COUNT(*)`` of ``model`` rows whose ``key`` is the outer row (0 when none)."""
    rows = model.objects.filter(**{key: OuterRef("pk")}, **filters).order_by().values(key)
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1]), 0)


def agencies_with_counts_for_user(user, **filters):
    """``agencies_for_user`` with ``unit_count`` (active units), ``people_count`` (current
    memberships) and ``has_committee`` (an active steering committee), in one query."""
    return agencies_for_user(user, **filters).annotate(
        unit_count=_count_per(Unit, "agency", is_active=True),
        people_count=_count_per(Membership, "agency", valid_to__isnull=True),
        has_committee=Exists(SteeringCommittee.objects.filter(agency=OuterRef("pk"), is_active=True)),
    )


def units_with_counts_for_user(user, **filters):
    """``units_for_user`` with ``people_count`` (current memberships in the unit)."""
    return units_for_user(user, **filters).annotate(
        people_count=_count_per(Membership, "unit", valid_to__isnull=True),
    )



# --- working calendar ---------------------------------------------------------------------------------

def work_calendar_for(agency: Agency | None) -> WorkCalendar:
    """The working calendar of ``agency`` (the national one for None): its office hours and
    exceptions on top of the public holidays and the decreed days (shipped, and entered by an
    administrator); results in TIME_ZONE.

    Cheap to build (two small queries; the day tables are cached per process by the calendar's
    content, so a changed exception simply makes a different calendar). For many agencies at
    once use ``work_calendars_for``.
    """
    if agency is None:
        off, makeup = _decreed(_national_rows())
        return WorkCalendar(output_tz=settings.TIME_ZONE, decreed_days_off=off, decreed_makeup_days=makeup)
    return work_calendars_for([agency])[agency.pk]


NATIONAL = "national"  # the kind prefix of the national days in the exceptions' query


def _national_rows():
    return NationalCalendarDay.objects.annotate(
        agency_id=Value(None, output_field=IntegerField()),
        row_kind=Concat(Value(f"{NATIONAL}:"), "kind", output_field=CharField())).order_by().values_list(
        "agency_id", "date", "row_kind", "decision", "replaces")


def _decreed(rows) -> tuple[tuple, tuple]:
    """The national rows as (days off, make-up days) of ``DecreedDay``, sorted (a stable calendar)."""
    off, makeup = [], []
    for _agency, day, kind, decision, replaces in rows:
        decreed = DecreedDay(date=day, document=decision, replaces=replaces)
        (makeup if kind == f"{NATIONAL}:{NationalDayKind.MAKEUP}" else off).append(decreed)
    return tuple(sorted(off, key=lambda d: d.date)), tuple(sorted(makeup, key=lambda d: d.date))


def work_calendars_for(agencies) -> dict[int, WorkCalendar]:
    """``{agency id: WorkCalendar}`` for several agencies, in two queries (the agencies' exceptions
    and the national days come in one)."""
    ids = [a.pk if isinstance(a, Agency) else int(a) for a in agencies]
    hours = {h.agency_id: h for h in AgencyCalendar.objects.filter(agency_id__in=ids)}
    off: dict[int, dict] = {pk: {} for pk in ids}
    work: dict[int, dict] = {pk: {} for pk in ids}
    own = CalendarException.objects.filter(agency_id__in=ids).order_by().annotate(
        replaces=Value(None, output_field=DateField())).values_list("agency_id", "date", "kind", "reason",
                                                                    "replaces")
    rows = list(own.union(_national_rows(), all=True))
    national = [r for r in rows if r[2].startswith(f"{NATIONAL}:")]
    decreed_off, decreed_makeup = _decreed(national)
    for agency_id, day, kind, reason, _replaces in rows:
        if agency_id is None:
            continue
        (off if kind == CalendarExceptionKind.EXTRA_DAY_OFF else work)[agency_id][day] = reason
    return {
        pk: WorkCalendar(periods=hours[pk].periods if pk in hours else DEFAULT_PERIODS,
                         extra_days_off=off[pk], extra_working_days=work[pk], output_tz=settings.TIME_ZONE,
                         decreed_days_off=decreed_off, decreed_makeup_days=decreed_makeup)
        for pk in ids
    }


def national_days(*, year: int | None = None):
    """The decreed days an administrator entered (the shipped ones are in the calendar itself)."""
    qs = NationalCalendarDay.objects.all()
    return qs.filter(date__year=year) if year is not None else qs


def calendar_agency_for_user(user, value) -> Agency:
    """The agency whose calendar ``user`` asked for, by id or code, inside their scope (else NotFound)."""
    value = str(value or "").strip()
    qs = agencies_for_user(user)
    if not value:
        raise NotFound()
    agency = by_agency(qs, value, field="").first()
    if agency is None:
        raise NotFound()
    return agency


def calendar_exceptions_for_user(user, *, agency: str = "", year: int | None = None):
    qs = policy.filter(user, "view_calendarexception", CalendarException.objects).select_related("agency")
    qs = by_agency(qs, agency)
    if year is not None:
        qs = qs.filter(date__year=year)
    return qs.order_by("agency__name", "date")


def calendar_exception_get_for_user(user, pk) -> CalendarException:
    return get_or_404(calendar_exceptions_for_user(user), pk)


def office_hours_for(agency: Agency) -> AgencyCalendar:
    """The agency's office hours (an unsaved default row when it has none)."""
    return AgencyCalendar.objects.filter(agency=agency).first() or AgencyCalendar(agency=agency)
