"""What both pages of the feedback area need: the agency a single-agency view is about, and the
unit and procedure choices of its filters."""

from eiso.core.text import is_id
from eiso.organizations import selectors as org_selectors
from eiso.procedures.selectors import admin_procedures_for_user


def focus_agency(user, agencies, chosen: str):
    """The one agency the page is about: the one chosen in the filter, the only one the user
    reads, or the user's own; None for an overseer looking at the province."""
    if is_id(chosen):
        return next((a for a in agencies if a.pk == int(chosen)), None)
    if len(agencies) == 1:
        return agencies[0]
    return None


def filter_choices(user, agency) -> dict:
    """The units and procedures of ``agency`` (none for the whole province: too many to list)."""
    if agency is None:
        return {"units": [], "procedures": []}
    units = org_selectors.units_for_user(user, agency=str(agency.pk), active="1").order_by("name")
    procedures = admin_procedures_for_user(user, agency=str(agency.pk), active="1").order_by("code")
    return {"units": list(units), "procedures": list(procedures.select_related(None).only("pk", "code", "name"))}
