"""API endpoints of the organisation area (agencies, units, users).

Endpoints parse input, read through the selectors (so an object of another agency reads exactly
like one that does not exist) and write through the services (which check permissions and leave
audit rows). Foreign keys in bodies are codes, resolved through the same selectors.
"""

import datetime
import re
from typing import Annotated, Literal

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import AfterValidator, BeforeValidator, ConfigDict

from eiso.core.errors import ValidationFailed
from eiso.organizations import selectors, services
from eiso.organizations.choices import AgencyLevel, Role, UnitKind
from eiso.organizations.models import Agency, Membership, Province, Unit, User

router = Router(tags=["organisation"])

MAX_PAGE = 100


class Pagination(LimitOffsetPagination):
    """limit/offset with both bounded, so no request asks the database for an absurd slice."""

    class Input(Schema):
        limit: int = Field(settings.EISO_PAGE_SIZE, ge=1, le=MAX_PAGE)
        offset: int = Field(0, ge=0, le=10**9)


# --- output --------------------------------------------------------------------------------------

class Error(Schema):
    message: str
    code: str
    errors: dict | list | None = None


ERRORS = dict.fromkeys((400, 401, 403, 404, 409, 422), Error)


def _iso_day(value):
    """A date is written YYYY-MM-DD: pydantic would also take a number (``0`` → 1970-01-01) or a
    date-time, and a client sending one has made a mistake to report, not to store."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    raise ValueError("Enter a date as YYYY-MM-DD.")


# Every date of the API, in and out: ISO 8601 text only.
Day = Annotated[datetime.date, BeforeValidator(_iso_day)]


def _sorted_roles(roles) -> list[str]:
    order = list(Role.values)
    return sorted(roles, key=lambda r: order.index(r) if r in order else len(order))


def _current_membership(person: User) -> Membership | None:
    """The active membership, from the selectors' prefetch when there is one."""
    prefetched = getattr(person, "active_memberships", None)
    if prefetched is not None:
        return prefetched[0] if prefetched else None
    return person.membership


class AgencyRef(Schema):
    id: int
    code: str
    name: str


class UnitRef(Schema):
    id: int
    code: str
    name: str


class ProvinceRef(Schema):
    code: str
    name: str


class AgencyOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    level: str
    province: str = Field(description="Province code.")
    parent: str | None = Field(description="Parent agency code.")
    valid_from: Day | None
    valid_to: Day | None
    is_active: bool

    @staticmethod
    def resolve_province(obj: Agency) -> str:
        return obj.province.code

    @staticmethod
    def resolve_parent(obj: Agency) -> str | None:
        return obj.parent.code if obj.parent_id else None


class AgencyDetailOut(AgencyOut):
    address: str
    province_name: str
    parent_name: str | None
    predecessors: list[str] = Field(description="Codes of the agencies this one replaced.")
    successors: list[str] = Field(description="Codes of the agencies that replaced this one.")

    @staticmethod
    def resolve_province_name(obj: Agency) -> str:
        return obj.province.name

    @staticmethod
    def resolve_parent_name(obj: Agency) -> str | None:
        return obj.parent.name if obj.parent_id else None

    @staticmethod
    def resolve_predecessors(obj: Agency) -> list[str]:
        return sorted(a.code for a in obj.predecessors.all())

    @staticmethod
    def resolve_successors(obj: Agency) -> list[str]:
        return sorted(a.code for a in obj.successors.all())


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    is_active: bool
    agency: AgencyRef


class MembershipOut(Schema):
    agency: AgencyRef
    unit: UnitRef | None
    roles: list[str]
    valid_from: Day
    valid_to: Day | None

    @staticmethod
    def resolve_roles(obj: Membership) -> list[str]:
        return _sorted_roles(obj.roles)


class UserOut(Schema):
    id: int
    username: str
    full_name: str
    email: str
    position: str
    is_active: bool
    agency: AgencyRef | None
    unit: UnitRef | None
    roles: list[str]

    @staticmethod
    def resolve_agency(obj: User):
        m = _current_membership(obj)
        return m.agency if m else None

    @staticmethod
    def resolve_unit(obj: User):
        m = _current_membership(obj)
        return m.unit if m else None

    @staticmethod
    def resolve_roles(obj: User) -> list[str]:
        m = _current_membership(obj)
        return _sorted_roles(m.roles) if m else []


class UserDetailOut(UserOut):
    phone: str
    memberships: list[MembershipOut] = Field(description="Every membership, newest first.")

    @staticmethod
    def resolve_memberships(obj: User, context):
        return list(selectors.membership_history(obj, viewer=context["request"].auth))


class MeOut(UserOut):
    is_superuser: bool


# --- input ---------------------------------------------------------------------------------------

def _no_nul(value: str) -> str:
    if "\x00" in value:  # PostgreSQL cannot store it, and no person types it
        raise ValueError("NUL characters are not allowed.")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]



class Body(Schema):
    model_config = ConfigDict(extra="forbid")  # a misspelt field is an error, not a silent no-op


class AgencyIn(Body):
    code: Text
    name: Text
    short_name: Text = ""
    level: AgencyLevel
    province: Text = Field(description="Province code.")
    parent: Text | None = Field(None, description="Parent agency code.")
    address: Text = ""
    valid_from: Day | None = None
    valid_to: Day | None = None


class AgencyPatch(Body):
    code: Text | None = None
    name: Text | None = None
    short_name: Text | None = None
    level: AgencyLevel | None = None
    province: Text | None = Field(None, description="Province code.")
    parent: Text | None = Field(None, description="Parent agency code; null removes the parent.")
    address: Text | None = None
    valid_from: Day | None = None
    valid_to: Day | None = None


class AgencyMergeIn(Body):
    sources: list[Text] = Field(description="Codes of the agencies that merge (at least two).")
    code: Text
    name: Text
    effective_date: Day = Field(
        description="First day of the new agency; the sources end the day before.")
    short_name: Text = ""
    level: AgencyLevel | None = None
    parent: Text | None = Field(None, description="Parent agency code (default: that of the first source).")
    address: Text = ""


class UnitIn(Body):
    agency: Text = Field(description="Agency code.")
    code: Text
    name: Text
    kind: UnitKind = UnitKind.SPECIALIST


class UnitPatch(Body):
    code: Text | None = None
    name: Text | None = None
    kind: UnitKind | None = None
    is_active: bool | None = None


class UserIn(Body):
    username: Text
    full_name: Text
    email: Text = ""
    password: Text | None = Field(None, description="Without one the person cannot log in until it is set.")
    agency: Text = Field(description="Agency code.")
    unit: Text | None = Field(None, description="Unit code inside the agency.")
    roles: list[Text] = Field(description=f"Role codes: {', '.join(Role.values)}.")
    position: Text = ""
    phone: Text = ""


class UserPatch(Body):
    full_name: Text | None = None
    email: Text | None = None
    position: Text | None = None
    phone: Text | None = None
    is_active: bool | None = None
    preferred_language: Text | None = None
    agency: Text | None = Field(
        None, description="Agency code: moves the person (their membership there ends today).")
    unit: Text | None = Field(None, description="Unit code inside the (new) agency; null for none.")
    roles: list[Text] | None = Field(None, description=f"Role codes: {', '.join(Role.values)}.")


USER_DETAIL_FIELDS = ["full_name", "email", "position", "phone", "is_active", "preferred_language"]


# --- looking up codes given in bodies, always inside the caller's scope ----------------------------

def _unknown(field: str, message: str):
    return ValidationFailed(message, errors={field: [message]})


def _agency_by_code(user, code: str, field: str = "agency") -> Agency:
    agency = selectors.agencies_for_user(user).filter(code=code).first()
    if agency is None:
        raise _unknown(field, _("Unknown agency: %(code)s") % {"code": code})
    return agency


def _province_by_code(user, code: str) -> Province:
    province = selectors.provinces_for_user(user).filter(code=code).first()
    if province is None:
        raise _unknown("province", _("Unknown province: %(code)s") % {"code": code})
    return province


def _unit_by_code(user, agency: Agency, code: str) -> Unit:
    unit = selectors.units_for_user(user, agency=str(agency.pk)).filter(code=code).first()
    if unit is None:
        message = _("Unknown unit %(unit)s in %(agency)s.") % {"unit": code, "agency": agency.code}
        raise _unknown("unit", message)
    return unit


# --- me ------------------------------------------------------------------------------------------

@router.get("/me", response={200: MeOut, **ERRORS}, summary="The user of the token")
def me(request):
    return request.auth


# --- agencies ------------------------------------------------------------------------------------

@router.get("/agencies", response={200: list[AgencyOut], **ERRORS}, summary="Agencies I can read")
@paginate(Pagination, max_limit=MAX_PAGE)
def agency_list(request, q: Text = "", level: AgencyLevel | None = None,
                status: Literal["active", "ended"] | None = None, province: Text = ""):
    return selectors.agencies_for_user(request.auth, q=q, level=level or "", status=status or "",
                                       province=province)


@router.post("/agencies/merge", response={201: AgencyDetailOut, **ERRORS},
             summary="Merge agencies into a new one")
def agency_merge(request, payload: AgencyMergeIn):
    codes = list(dict.fromkeys(payload.sources))
    sources = list(selectors.agencies_for_user(request.auth).filter(code__in=codes))
    missing = sorted(set(codes) - {a.code for a in sources})
    if missing:
        raise _unknown("sources", _("Unknown agency: %(code)s") % {"code": ", ".join(missing)})
    parent = _agency_by_code(request.auth, payload.parent, "parent") if payload.parent else None
    agency = services.agencies_merge(
        actor=request.auth, sources=sources, code=payload.code, name=payload.name,
        effective_date=payload.effective_date, short_name=payload.short_name, level=payload.level,
        parent=parent, address=payload.address,
    )
    return Status(201, selectors.agency_get_for_user(request.auth, agency.pk))


@router.post("/agencies", response={201: AgencyDetailOut, **ERRORS}, summary="Create an agency")
def agency_create(request, payload: AgencyIn):
    data = payload.dict()
    data["province"] = _province_by_code(request.auth, payload.province)
    data["parent"] = _agency_by_code(request.auth, payload.parent, "parent") if payload.parent else None
    agency = services.agency_create(actor=request.auth, **data)
    return Status(201, selectors.agency_get_for_user(request.auth, agency.pk))


@router.get("/agencies/{agency_id}", response={200: AgencyDetailOut, **ERRORS}, summary="One agency")
def agency_detail(request, agency_id: int):
    return selectors.agency_get_for_user(request.auth, agency_id)


@router.patch("/agencies/{agency_id}", response={200: AgencyDetailOut, **ERRORS}, summary="Change an agency")
def agency_update(request, agency_id: int, payload: AgencyPatch):
    agency = selectors.agency_get_for_user(request.auth, agency_id)
    data = payload.dict(exclude_unset=True)
    if "province" in data:
        data["province"] = _province_by_code(request.auth, data["province"] or "")
    if "parent" in data:
        data["parent"] = _agency_by_code(request.auth, data["parent"], "parent") if data["parent"] else None
    services.agency_update(actor=request.auth, agency=agency, **data)
    return selectors.agency_get_for_user(request.auth, agency.pk)


# --- units ---------------------------------------------------------------------------------------

@router.get("/units", response={200: list[UnitOut], **ERRORS}, summary="Units I can read")
@paginate(Pagination, max_limit=MAX_PAGE)
def unit_list(request, agency: Annotated[Text, Query("", description="Agency code.")] = "",
              kind: UnitKind | None = None, q: Text = "", active: bool | None = None):
    return selectors.units_for_user(
        request.auth, q=q, agency=agency, kind=kind or "",
        active="" if active is None else ("1" if active else "0"),
    )


@router.post("/units", response={201: UnitOut, **ERRORS}, summary="Create a unit")
def unit_create(request, payload: UnitIn):
    agency = _agency_by_code(request.auth, payload.agency)
    unit = services.unit_create(actor=request.auth, agency=agency, code=payload.code, name=payload.name,
                                kind=payload.kind)
    return Status(201, selectors.unit_get_for_user(request.auth, unit.pk))


@router.get("/units/{unit_id}", response={200: UnitOut, **ERRORS}, summary="One unit")
def unit_detail(request, unit_id: int):
    return selectors.unit_get_for_user(request.auth, unit_id)


@router.patch("/units/{unit_id}", response={200: UnitOut, **ERRORS}, summary="Change a unit")
def unit_update(request, unit_id: int, payload: UnitPatch):
    unit = selectors.unit_get_for_user(request.auth, unit_id)
    services.unit_update(actor=request.auth, unit=unit, **payload.dict(exclude_unset=True))
    return selectors.unit_get_for_user(request.auth, unit.pk)


# --- users ---------------------------------------------------------------------------------------

@router.get("/users", response={200: list[UserOut], **ERRORS}, summary="People I can read")
@paginate(Pagination, max_limit=MAX_PAGE)
def user_list(request, q: Text = "", agency: Annotated[Text, Query("", description="Agency code.")] = "",
              unit: Annotated[int | None, Query(description="Unit id.")] = None, role: Role | None = None,
              active: bool | None = None):
    return selectors.users_for_user(
        request.auth, q=q, agency=agency, unit="" if unit is None else str(unit), role=role or "",
        active="" if active is None else ("1" if active else "0"),
    )


@router.post("/users", response={201: UserDetailOut, **ERRORS}, summary="Create a person")
def user_create(request, payload: UserIn):
    agency = _agency_by_code(request.auth, payload.agency)
    unit = _unit_by_code(request.auth, agency, payload.unit) if payload.unit else None
    person = services.user_create(
        actor=request.auth, username=payload.username, full_name=payload.full_name, email=payload.email,
        password=payload.password, agency=agency, unit=unit, roles=payload.roles, position=payload.position,
        phone=payload.phone,
    )
    return Status(201, selectors.user_get_for_user(request.auth, person.pk))


@router.get("/users/{user_id}", response={200: UserDetailOut, **ERRORS}, summary="One person")
def user_detail(request, user_id: int):
    return selectors.user_get_for_user(request.auth, user_id)


@router.patch("/users/{user_id}", response={200: UserDetailOut, **ERRORS},
              summary="Change a person's details, unit, roles or agency")
def user_update(request, user_id: int, payload: UserPatch):
    person = selectors.user_get_for_user(request.auth, user_id)
    data = payload.dict(exclude_unset=True)
    details = {k: v for k, v in data.items() if k in USER_DETAIL_FIELDS}
    membership = None
    if {"agency", "unit", "roles"} & data.keys():
        current = _current_membership(person)
        if data.get("agency"):
            agency = _agency_by_code(request.auth, data["agency"])
        elif current is not None:
            agency = current.agency
        else:
            raise _unknown("agency", _("Choose an agency."))
        if "unit" in data:
            unit = _unit_by_code(request.auth, agency, data["unit"]) if data["unit"] else None
        elif current is not None and current.agency_id == agency.pk:
            unit = current.unit
        else:
            unit = None
        roles = data["roles"] if data.get("roles") is not None else (sorted(current.roles) if current else [])
        membership = {"agency": agency, "unit": unit, "roles": roles}
    with transaction.atomic():  # details and membership change together or not at all
        services.user_update(actor=request.auth, user=person, **details)
        if membership is not None:
            services.membership_change(actor=request.auth, user=person, **membership)
    return selectors.user_get_for_user(request.auth, person.pk)


def field_error(field: str, message: str) -> ValidationFailed:
    """A refusal of one request field, in the one error shape of pages and API."""
    return ValidationFailed(message, errors={field: [message]})
