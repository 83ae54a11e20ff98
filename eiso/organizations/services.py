"""Writes of organisation data. Each use case is one function; each leaves audit rows.

Views, API endpoints, commands and the demo loader only parse input and call these.
"""

import datetime
import hashlib
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from eiso.core import workcalendar
from eiso.core.audit import audit_record, snapshot
from eiso.core.errors import Conflict, Forbidden, ValidationFailed
from eiso.core.policy import require
from eiso.core.services import full_clean, model_create, model_update, save_checked
from eiso.organizations import selectors
from eiso.organizations.choices import CalendarExceptionKind, NationalDayKind, Role
from eiso.organizations.models import (
    Agency,
    AgencyCalendar,
    ApiToken,
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

AGENCY_FIELDS = ["code", "name", "short_name", "level", "parent", "province", "address", "valid_from", "valid_to"]
UNIT_FIELDS = ["code", "name", "kind", "is_active"]
USER_FIELDS = ["full_name", "email", "position", "phone", "is_active", "preferred_language"]
JOB_FIELDS = ["unit", "code", "position", "duties", "authority", "competence", "reports_to"]
COMMITTEE_FIELDS = ["name", "decision_number", "decision_date", "decision_signer", "is_active"]




def _require_active(agency: Agency) -> None:
    """Nothing new is attached to an agency that has ended; it goes to the successor."""
    if agency.valid_to is not None and agency.valid_to < timezone.localdate():
        raise Conflict(_("%(agency)s ended on %(date)s; make the change in its successor.")
                       % {"agency": agency.name, "date": agency.valid_to.strftime("%d/%m/%Y")})


# --- provinces and agencies ---------------------------------------------------------------------

@transaction.atomic
def province_ensure(*, code: str, name: str, actor=None) -> Province:
    province, created = Province.objects.get_or_create(code=code, defaults={"name": name})
    if created:
        audit_record(actor=actor, action="create", obj=province, agency=None, changes={"name": [None, name]})
    return province


@transaction.atomic
def agency_create(*, actor, **data) -> Agency:
    require(actor, "organizations.add_agency")
    if actor is not None and not actor.is_superuser and data.get("province") != actor.agency.province:
        raise Forbidden(_("You can only create agencies in your own province."))
    return model_create(model=Agency, data={k: v for k, v in data.items() if k in AGENCY_FIELDS}, actor=actor)


def _check_parent(agency: Agency, parent: Agency | None) -> None:
    """Refuse a parent that is the agency itself or one of its descendants (a cycle)."""
    seen: set[int] = set()
    while parent is not None and parent.pk not in seen:
        if parent.pk == agency.pk:
            message = _("An agency cannot be its own parent, directly or through its parents.")
            raise ValidationFailed(message, errors={"parent": [message]})
        seen.add(parent.pk)
        parent = parent.parent


@transaction.atomic
def agency_update(*, actor, agency: Agency, **data) -> Agency:
    require(actor, "organizations.change_agency", agency)
    if "province" in data and actor is not None and not actor.is_superuser \
            and data["province"] != actor.agency.province:
        raise Forbidden(_("You can only move agencies within your own province."))
    _check_parent(agency, data.get("parent"))
    agency, _changes = model_update(obj=agency, data=data, fields=AGENCY_FIELDS, actor=actor)
    return agency


def _free_code(wanted: str, taken: set[str], limit: int = 40) -> str:
    """``wanted`` cut to the code length, with -2, -3… until it is not ``taken``."""
    code, n = wanted[:limit], 2
    while code in taken:
        suffix = f"-{n}"
        code, n = wanted[: limit - len(suffix)] + suffix, n + 1
    return code


@transaction.atomic
def agencies_merge(*, actor, sources: list[Agency], code: str, name: str, effective_date: datetime.date,
                   short_name: str = "", level: str | None = None, parent: Agency | None = None,
                   address: str = "") -> Agency:
    """Agencies A, B… become C (the 2025 reorganisation).

    C starts on ``effective_date`` as the successor of every source; each source ends the day
    before. Active units are recreated in C, each active membership is ended in its source and
    a new one with the same roles opens in C, so history still shows who was where.
    """
    require(actor, "organizations.merge_agencies")
    sources = list(Agency.objects.select_for_update().filter(pk__in=[s.pk for s in sources]).order_by("pk"))
    if effective_date > timezone.localdate():
        raise ValidationFailed(_("Record a merger on or after the day it takes effect."),
                               errors={"effective_date": [_("Record a merger on or after the day it takes effect.")]})
    if len(sources) < 2:
        raise ValidationFailed(_("Choose at least two agencies to merge."), errors={"sources": [
            _("Choose at least two agencies to merge.")]})
    for source in sources:
        if actor is not None:
            require(actor, "organizations.change_agency", source)
        if source.valid_to is not None:
            raise Conflict(_("%(agency)s has already ended and cannot be merged.") % {"agency": source.name})
        if source.valid_from and source.valid_from >= effective_date:
            raise ValidationFailed(
                _("The merge date must be after %(agency)s started.") % {"agency": source.name},
                errors={"effective_date": [_("The merge date must be after every source agency started.")]},
            )
    if len({s.province_id for s in sources}) != 1:
        raise ValidationFailed(_("Only agencies of the same province can be merged."),
                               errors={"sources": [_("Only agencies of the same province can be merged.")]})
    first = sources[0]
    end = effective_date - datetime.timedelta(days=1)
    note = _("Merged from: %(sources)s") % {"sources": ", ".join(f"{s.code} {s.name}" for s in sources)}
    target = model_create(
        model=Agency,
        data={"code": code, "name": name, "short_name": short_name, "level": level or first.level,
              "parent": parent if parent is not None else first.parent, "province": first.province,
              "address": address or first.address, "valid_from": effective_date},
        actor=actor, action="merge", note=note,
    )
    target.predecessors.set(sources)
    unit_map: dict[int, Unit] = {}
    taken: set[str] = set()
    for source in sources:
        model_update(obj=source, data={"valid_to": end}, fields=["valid_to"], actor=actor, action="end",
                     note=_("Merged into %(agency)s") % {"agency": f"{target.code} {target.name}"})
        for unit in source.units.filter(is_active=True).order_by("pk"):
            unit_code = _free_code(unit.code if unit.code not in taken else f"{source.code}-{unit.code}", taken)
            taken.add(unit_code)
            unit_map[unit.pk] = Unit.objects.create(agency=target, code=unit_code, name=unit.name, kind=unit.kind)
            audit_record(actor=actor, action="create", obj=unit_map[unit.pk], note=note,
                         changes={"name": [None, unit.name], "code": [None, unit_code]})
            model_update(obj=unit, data={"is_active": False}, fields=["is_active"], actor=actor, action="end")
        for membership in source.memberships.filter(valid_to__isnull=True).select_related("user"):
            roles = sorted(membership.roles)
            membership.valid_to = end
            membership.save(update_fields=["valid_to"])
            moved = Membership.objects.create(
                user=membership.user, agency=target,
                unit=unit_map.get(membership.unit_id), valid_from=effective_date,
            )
            MembershipRole.objects.bulk_create(MembershipRole(membership=moved, role=r) for r in roles)
            audit_record(actor=actor, action="move", obj=membership.user, agency=target,
                         changes={"agency": [source.name, target.name]}, note=note)
    return target


# --- units ----------------------------------------------------------------------------------------

@transaction.atomic
def unit_create(*, actor, agency: Agency, code: str, name: str, kind: str) -> Unit:
    require(actor, "organizations.add_unit", agency)
    _require_active(agency)
    return model_create(model=Unit, data={"agency": agency, "code": code, "name": name, "kind": kind}, actor=actor)


@transaction.atomic
def unit_update(*, actor, unit: Unit, **data) -> Unit:
    require(actor, "organizations.change_unit", unit)
    unit, _changes = model_update(obj=unit, data=data, fields=UNIT_FIELDS, actor=actor)
    return unit


# --- people ---------------------------------------------------------------------------------------

def _clean_roles(roles) -> list[str]:
    roles = list(dict.fromkeys(roles or []))
    unknown = [r for r in roles if r not in Role.values]
    if unknown:
        raise ValidationFailed(_("Unknown role: %(roles)s") % {"roles": ", ".join(map(str, unknown))},
                               errors={"roles": [_("Unknown role: %(roles)s") % {"roles": ", ".join(unknown)}]})
    if not roles:
        raise ValidationFailed(_("Give the person at least one role."),
                               errors={"roles": [_("Give the person at least one role.")]})
    return roles


def _check_unit(agency: Agency, unit: Unit | None) -> None:
    if unit is not None and unit.agency_id != agency.pk:
        raise ValidationFailed(_("The unit does not belong to the chosen agency."),
                               errors={"unit": [_("The unit does not belong to the chosen agency.")]})


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(" ".join(exc.messages), errors={"password": list(exc.messages)})


@transaction.atomic
def user_create(*, actor, username: str, full_name: str, agency: Agency, roles, email: str = "",
                password: str | None = None, unit: Unit | None = None, position: str = "",
                phone: str = "", valid_from: datetime.date | None = None) -> User:
    """A new person with an active membership in ``agency``. Without a password they cannot log
    in until one is set."""
    require(actor, "organizations.add_user", agency)
    _require_active(agency)
    roles = _clean_roles(roles)
    _check_unit(agency, unit)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationFailed(_("This username is already taken."),
                               errors={"username": [_("This username is already taken.")]})
    user = User(username=username, full_name=full_name, email=email, position=position, phone=phone)
    if password:
        _check_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    full_clean(user, exclude=["password"])
    save_checked(user)
    membership = Membership.objects.create(user=user, agency=agency, unit=unit,
                                           valid_from=valid_from or timezone.localdate())
    MembershipRole.objects.bulk_create(MembershipRole(membership=membership, role=r) for r in roles)
    audit_record(actor=actor, action="create", obj=user, agency=agency, changes={
        "username": [None, username], "full_name": [None, full_name], "email": [None, email],
        "agency": [None, agency.name], "unit": [None, str(unit) if unit else None], "roles": [None, roles],
    })
    return user


@transaction.atomic
def user_update(*, actor, user: User, **data) -> User:
    require(actor, "organizations.change_user", user)
    if data.get("is_active") is False and actor is not None and actor.pk == user.pk:
        raise Conflict(_("You cannot deactivate your own account."))
    user, _changes = model_update(obj=user, data=data, fields=USER_FIELDS, actor=actor)
    return user


@transaction.atomic
def membership_change(*, actor, user: User, roles, unit: Unit | None = None,
                      agency: Agency | None = None) -> Membership:
    """Change a person's unit and roles in their agency, or move them to another agency (the
    old membership ends today and a new one starts)."""
    require(actor, "organizations.change_user", user)
    roles = _clean_roles(roles)
    current = Membership.objects.select_for_update().filter(user=user, valid_to__isnull=True).first()
    target_agency = agency or (current.agency if current else None)
    if target_agency is None:
        raise ValidationFailed(_("Choose an agency."), errors={"agency": [_("Choose an agency.")]})
    require(actor, "organizations.add_user", target_agency)
    if current is None or current.agency_id != target_agency.pk:
        _require_active(target_agency)
    _check_unit(target_agency, unit)
    if current is not None and current.agency_id == target_agency.pk:
        before = {"unit": str(current.unit) if current.unit else None, "roles": sorted(current.roles)}
        after = {"unit": str(unit) if unit else None, "roles": sorted(roles)}
        # Units are compared by identity: two units of an agency may share a name (after a merger).
        unit_codes = [current.unit.code if current.unit else None, unit.code if unit else None]
        if before == after and current.unit_id == (unit.pk if unit else None):
            return current
        current.unit = unit
        current.save(update_fields=["unit"])
        current.role_rows.exclude(role__in=roles).delete()
        MembershipRole.objects.bulk_create(
            [MembershipRole(membership=current, role=r) for r in roles if r not in before["roles"]]
        )
        changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
        if unit_codes[0] != unit_codes[1]:
            changes["unit_code"] = unit_codes
        audit_record(actor=actor, action="update", obj=user, agency=target_agency, changes=changes)
        membership = current
    else:
        today = timezone.localdate()
        if current is not None:
            current.valid_to = today
            current.save(update_fields=["valid_to"])
        membership = Membership.objects.create(user=user, agency=target_agency, unit=unit, valid_from=today)
        MembershipRole.objects.bulk_create(MembershipRole(membership=membership, role=r) for r in roles)
        audit_record(actor=actor, action="move", obj=user, agency=target_agency, changes={
            "agency": [current.agency.name if current else None, target_agency.name],
            "roles": [sorted(current.roles) if current else None, sorted(roles)],
        })
    if hasattr(user, "_membership_cache"):
        del user._membership_cache
    return membership


@transaction.atomic
def user_set_password(*, actor, user: User, password: str) -> None:
    if actor is None or actor.pk != user.pk:
        require(actor, "organizations.change_user", user)
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=actor, action="password", obj=user, agency=user.agency)


# --- job descriptions and the steering committee ------------------------------------------------------

@transaction.atomic
def job_description_create(*, actor, agency: Agency, **data) -> JobDescription:
    probe = JobDescription(agency=agency, unit=data.get("unit"))
    require(actor, "organizations.add_jobdescription", probe)
    _require_active(agency)
    if data.get("unit") is not None:
        _check_unit(agency, data["unit"])
    return model_create(model=JobDescription,
                        data={"agency": agency, **{k: v for k, v in data.items() if k in JOB_FIELDS}}, actor=actor)


@transaction.atomic
def job_description_update(*, actor, job: JobDescription, **data) -> JobDescription:
    require(actor, "organizations.change_jobdescription", job)
    if data.get("unit") is not None:
        _check_unit(job.agency, data["unit"])
    job, _changes = model_update(obj=job, data=data, fields=JOB_FIELDS, actor=actor)
    return job


@transaction.atomic
def steering_committee_create(*, actor, agency: Agency, name: str, decision_number: str,
                              decision_date: datetime.date, decision_signer: str = "") -> SteeringCommittee:
    """A new committee; the previous active one of the agency (if any) is stood down."""
    require(actor, "organizations.add_steeringcommittee", agency)
    _require_active(agency)
    for old in SteeringCommittee.objects.select_for_update().filter(agency=agency, is_active=True).order_by("pk"):
        model_update(obj=old, data={"is_active": False}, fields=["is_active"], actor=actor, action="end",
                     note=_("Replaced by decision %(number)s") % {"number": decision_number})
    return model_create(model=SteeringCommittee, actor=actor, data={
        "agency": agency, "name": name, "decision_number": decision_number, "decision_date": decision_date,
        "decision_signer": decision_signer,
    })


@transaction.atomic
def steering_committee_update(*, actor, committee: SteeringCommittee, **data) -> SteeringCommittee:
    require(actor, "organizations.change_steeringcommittee", committee)
    committee, _changes = model_update(obj=committee, data=data, fields=COMMITTEE_FIELDS, actor=actor)
    return committee


@transaction.atomic
def steering_member_add(*, actor, committee: SteeringCommittee, user: User, role: str,
                        duties: str = "") -> SteeringMember:
    require(actor, "organizations.change_steeringcommittee", committee)
    if user.agency is None or user.agency.pk != committee.agency_id:
        raise ValidationFailed(_("Only people of the agency can sit on its steering committee."),
                               errors={"user": [_("Only people of the agency can sit on its steering committee.")]})
    if committee.members.filter(user=user).exists():
        raise ValidationFailed(_("This person is already a member of the committee."),
                               errors={"user": [_("This person is already a member of the committee.")]})
    member = SteeringMember(committee=committee, user=user, role=role, duties=duties)
    full_clean(member)
    save_checked(member)
    # Recorded on the committee, so its history tab shows who joined and left.
    audit_record(actor=actor, action="member_add", obj=committee,
                 changes={"member": [None, f"{user} ({member.get_role_display()})"]})
    return member


@transaction.atomic
def steering_member_remove(*, actor, member: SteeringMember) -> None:
    require(actor, "organizations.change_steeringcommittee", member.committee)
    audit_record(actor=actor, action="member_remove", obj=member.committee,
                 changes={"member": [f"{member.user} ({member.get_role_display()})", None]})
    member.delete()


# --- API tokens -----------------------------------------------------------------------------------

def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, actor, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it with the plain text, which is never stored."""
    if actor is not None and actor.pk != user.pk:
        require(actor, "organizations.change_user", user)
    if not user.is_active:
        raise Conflict(_("The account is deactivated."))
    raw = "eiso_" + secrets.token_urlsafe(32)
    try:
        token = ApiToken.objects.create(user=user, name=name, prefix=raw[:12], digest=_digest(raw))
    except IntegrityError:  # pragma: no cover - a 256-bit collision
        raise Conflict()
    audit_record(actor=actor, action="token", obj=user, agency=user.agency, changes={"token": [None, token.prefix]})
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> None:
    if actor is not None and actor.pk != token.user_id:
        require(actor, "organizations.change_user", token.user)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="revoke", obj=token.user, agency=token.user.agency,
                 changes={"token": [token.prefix, None]})


def api_token_authenticate(raw: str) -> User | None:
    """The active user holding this unrevoked token, or None. Touches last_used_at at most once a minute."""
    if not raw or not raw.startswith("eiso_"):
        return None
    token = ApiToken.objects.select_related("user").filter(digest=_digest(raw), revoked_at__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# --- working calendar -------------------------------------------------------------------------------

OFFICE_HOURS_FIELDS = ["morning_start", "morning_end", "afternoon_start", "afternoon_end"]
EXCEPTION_FIELDS = ["date", "kind", "reason", "decision"]


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors={field: [message]})


@transaction.atomic
def calendar_exception_add(*, actor, agency: Agency, date: datetime.date, kind: str, reason: str,
                           decision: str) -> CalendarException:
    """An extra day off or extra working day of ``agency``, with the document that decided it.

    Refused when it would change nothing: an extra day off on a day that is already off (weekend,
    holiday), an extra working day on a day that is already worked.
    """
    require(actor, "organizations.change_calendar", agency)
    _require_active(agency)
    if kind not in CalendarExceptionKind.values:
        raise _invalid("kind", _("Choose an extra day off or an extra working day."))
    first, last = workcalendar.FIRST_YEAR, workcalendar.LAST_YEAR
    if not isinstance(date, datetime.date) or not first <= date.year <= last:
        raise _invalid("date", _("Choose a date between %(first)s and %(last)s.")
                       % {"first": first, "last": last})
    if CalendarException.objects.filter(agency=agency, date=date).exists():
        raise _invalid("date", _("The agency already has an exception on this date."))
    calendar = selectors.work_calendar_for(agency)
    working = calendar.is_working_day(date)
    shown = date.strftime("%d/%m/%Y")
    if kind == CalendarExceptionKind.EXTRA_DAY_OFF and not working:
        name = calendar.day_name(date, translation.get_language() or "vi")
        message = (_("%(date)s is already a day off (%(name)s).") % {"date": shown, "name": name} if name
                   else _("%(date)s is already a day off.") % {"date": shown})
        raise _invalid("date", message)
    if kind == CalendarExceptionKind.EXTRA_WORKING_DAY and working:
        raise _invalid("date", _("%(date)s is already a working day.") % {"date": shown})
    return model_create(model=CalendarException, actor=actor, data={
        "agency": agency, "date": date, "kind": kind, "reason": reason, "decision": decision})


@transaction.atomic
def calendar_exception_remove(*, actor, exception: CalendarException) -> None:
    require(actor, "organizations.change_calendar", exception)
    before = snapshot(exception, EXCEPTION_FIELDS)
    audit_record(actor=actor, action="delete", obj=exception,
                 changes={k: [v, None] for k, v in before.items()})
    exception.delete()


@transaction.atomic
def agency_office_hours_set(*, actor, agency: Agency, morning_start: datetime.time,
                            morning_end: datetime.time, afternoon_start: datetime.time,
                            afternoon_end: datetime.time) -> AgencyCalendar:
    """Set the agency's two office periods (N working days are N × their total hours)."""
    require(actor, "organizations.change_calendar", agency)
    data = {"morning_start": morning_start, "morning_end": morning_end,
            "afternoon_start": afternoon_start, "afternoon_end": afternoon_end}
    current = AgencyCalendar.objects.select_for_update().filter(agency=agency).first()
    if current is None:
        return model_create(model=AgencyCalendar, data={"agency": agency, **data}, actor=actor)
    current, _changes = model_update(obj=current, data=data, fields=OFFICE_HOURS_FIELDS, actor=actor)
    return current


# --- the national calendar ---------------------------------------------------------------------------

@transaction.atomic
def national_day_add(*, actor, date: datetime.date, kind: str, decision: str,
                     replaces: datetime.date | None = None) -> NationalCalendarDay:
    """A decreed national day off, or make-up working day (with the day off it makes up for),
    for every agency: next year's swaps are entered when the Government decides them, without a
    release. Refused when it would change nothing (a day off on a day already off, a make-up day
    on a working day)."""
    require(actor, "organizations.change_national_calendar")
    if kind not in NationalDayKind.values:
        raise _invalid("kind", _("Choose a national day off or a make-up working day."))
    first, last = workcalendar.FIRST_YEAR, workcalendar.LAST_YEAR
    if not isinstance(date, datetime.date) or not first <= date.year <= last:
        raise _invalid("date", _("Choose a date between %(first)s and %(last)s.")
                       % {"first": first, "last": last})
    if not (decision or "").strip():
        raise _invalid("decision", _("Name the document that decided it."))
    if NationalCalendarDay.objects.filter(date=date).exists():
        raise _invalid("date", _("This date is already in the national calendar."))
    calendar = selectors.work_calendar_for(None)
    shown = date.strftime("%d/%m/%Y")
    if kind == NationalDayKind.DAY_OFF:
        replaces = None
        if not calendar.is_working_day(date):
            raise _invalid("date", _("%(date)s is already a day off.") % {"date": shown})
    else:
        if calendar.is_working_day(date):
            raise _invalid("date", _("%(date)s is already a working day.") % {"date": shown})
        if replaces is not None and replaces == date:
            raise _invalid("replaces", _("A make-up day cannot make up for itself."))
    return model_create(model=NationalCalendarDay, actor=actor, data={
        "date": date, "kind": kind, "decision": decision.strip(), "replaces": replaces})


@transaction.atomic
def national_day_remove(*, actor, day: NationalCalendarDay) -> None:
    require(actor, "organizations.change_national_calendar")
    audit_record(actor=actor, action="delete", obj=day, changes={
        "date": [day.date.isoformat(), None], "kind": [day.kind, None], "decision": [day.decision, None]})
    day.delete()
