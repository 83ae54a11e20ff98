"""What every collector needs: the agency heading, signers and names, today, and the agency a
register is printed for."""

import datetime

from django.utils import timezone

from eiso.core.errors import NotFound
from eiso.organizations.choices import AgencyLevel, Role
from eiso.organizations.selectors import agencies_for_user, agency_get_for_user, users_for_user
from eiso.reports.content import AgencyHeading, Signer

# People's Committees issue in their own name; other agencies print the body they belong to above it.
_NO_PARENT_LINE = {
    AgencyLevel.PROVINCE_PC,
    AgencyLevel.COMMUNE_PC,
    AgencyLevel.DISTRICT_PC,
    AgencyLevel.MINISTRY,
}


def agency_heading(agency) -> AgencyHeading:
    parent = agency.parent if agency.level not in _NO_PARENT_LINE else None
    province = agency.province.name if agency.province_id else ""
    place = province.removeprefix("Tỉnh ").removeprefix("Thành phố ").strip()
    return AgencyHeading(
        name=agency.name, parent_name=(parent.short_name or parent.name) if parent else "", place=place,
        code=agency.code,
    )


def signer(user) -> Signer:
    if user is None:
        return Signer()
    return Signer(name=user.full_name or user.get_username(), position=user.position)


def name(user) -> str:
    return (user.full_name or user.get_username()) if user else ""


def agency_head(user, agency) -> Signer:
    """The head of ``agency`` among the people ``user`` may see."""
    head = users_for_user(user, agency=str(agency.pk), role=Role.AGENCY_HEAD).first()
    return signer(head)


def today() -> datetime.date:
    return timezone.localdate()


def heading_agency(user, agency: str = ""):
    """The agency a register is printed for: the one asked for (id or code), else the user's own."""
    agency = str(agency or "").strip()
    if not agency:
        own = user.agency
        if own is None:
            raise NotFound()
        return own
    if agency.isascii() and agency.isdigit():
        return agency_get_for_user(user, agency)
    found = agencies_for_user(user).filter(code=agency).first()
    if found is None:
        raise NotFound()
    return found
