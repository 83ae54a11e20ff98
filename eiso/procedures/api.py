"""The procedures API (django-ninja), mounted by eiso.api: the TTHC catalogue with the current
process of each TTHC's operational procedure. Reads go through the scoped selectors: another
agency's TTHC reads exactly like one that does not exist (404)."""

import datetime
from decimal import Decimal
from typing import Annotated

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from eiso.organizations.api import ERRORS, MAX_PAGE, AgencyRef, Pagination, Text, UnitRef, field_error
from eiso.organizations.selectors import units_for_user
from eiso.procedures import selectors, services
from eiso.procedures.choices import Coverage, OnlineLevel, ProcedureLevel
from eiso.procedures.models import AdminProcedure

router = Router(tags=["procedures"])


class ProcessDocumentRef(Schema):
    id: int
    code: str
    title: str


class LegalBasisRef(Schema):
    id: int
    number: str
    title: str
    status: str


class AdminProcedureOut(Schema):
    id: int
    code: str = Field(description="National TTHC code, e.g. 1.004227.")
    name: str
    field: str
    level: str = Field(description=f"One of: {', '.join(ProcedureLevel.values)}.")
    time_limit_days: Decimal = Field(description="Statutory time limit in working days.")
    fees: str
    online_level: str = Field(description=f"One of: {', '.join(OnlineLevel.values)}.")
    is_active: bool = Field(description="Published (false: abolished).")
    agency: AgencyRef
    process_document: ProcessDocumentRef | None = Field(description="The operational procedure that resolves it.")
    coverage: str = Field(description=f"One of: {', '.join(Coverage.values)}.")
    created_at: datetime.datetime
    url: str

    @staticmethod
    def resolve_url(obj: AdminProcedure) -> str:
        return reverse("procedures:adminprocedure-detail", args=[obj.pk])


class ProcessStepOut(Schema):
    number: int
    name: str
    unit: UnitRef | None
    responsible: str
    allowance_hours: Decimal = Field(description="Time allowance in working hours.")
    form_code: str
    result: str


def _definition(obj: AdminProcedure):
    """The current process, read once per object."""
    if not hasattr(obj, "_current_definition"):
        obj._current_definition = selectors.current_definition(obj.process_document)
    return obj._current_definition


class AdminProcedureDetailOut(AdminProcedureOut):
    legal_basis: list[LegalBasisRef]
    process_version: int | None = Field(description="Version of the current process, if any.")
    steps: list[ProcessStepOut] = Field(description="The current process of the operational procedure, in order.")
    total_hours: Decimal | None = Field(description="Sum of the step allowances (working hours).")
    allowance_gap_hours: Decimal | None = Field(
        description="Step allowances minus the statutory limit × 8 h: positive means the steps exceed the limit; "
                    "null without a process.")

    @staticmethod
    def resolve_legal_basis(obj: AdminProcedure):
        return list(obj.legal_basis.order_by("number"))

    @staticmethod
    def resolve_process_version(obj: AdminProcedure):
        definition = _definition(obj)
        return definition.version if definition else None

    @staticmethod
    def resolve_steps(obj: AdminProcedure):
        definition = _definition(obj)
        return list(definition.steps.all()) if definition else []

    @staticmethod
    def resolve_total_hours(obj: AdminProcedure):
        definition = _definition(obj)
        return definition.total_hours if definition else None

    @staticmethod
    def resolve_allowance_gap_hours(obj: AdminProcedure):
        return services.allowance_gap(_definition(obj), obj)


@router.get("/admin-procedures", response={200: list[AdminProcedureOut], **ERRORS},
            summary="The TTHC catalogue I can read")
@paginate(Pagination, max_limit=MAX_PAGE)
def admin_procedure_list(
    request,
    q: Text = "",
    field: Text = "",
    level: ProcedureLevel | None = None,
    online_level: OnlineLevel | None = None,
    coverage: Annotated[Coverage | None, Query(None, description="Only TTHC with this coverage status.")] = None,
    active: bool | None = None,
    agency: Annotated[Text, Query("", description="Agency code.")] = "",
):
    return selectors.admin_procedures_for_user(
        request.auth, q=q, field=field, level=level or "", online_level=online_level or "",
        coverage=coverage or "", agency=agency, active="" if active is None else ("1" if active else "0"))


@router.get("/admin-procedures/{procedure_id}", response={200: AdminProcedureDetailOut, **ERRORS},
            summary="One TTHC with the current steps of its process and the allowance check")
def admin_procedure_detail(request, procedure_id: int):
    return selectors.admin_procedure_get_for_user(request.auth, procedure_id)


def procedure_and_unit_by_code(user, agency, *, procedure_code: str = "", unit_code: str = "") -> dict:
    """The TTHC and unit a payload names by code, read through the caller's scope in ``agency``:
    ``{"admin_procedure": …, "unit": …}`` for those given; an unknown code is a field error."""
    links = {}
    if procedure_code:
        links["admin_procedure"] = selectors.admin_procedures_for_user(user, agency=str(agency.pk)).filter(
            code=procedure_code).first()
        if links["admin_procedure"] is None:
            raise field_error("procedure_code", _("Unknown procedure: %(code)s") % {"code": procedure_code})
    if unit_code:
        links["unit"] = units_for_user(user, agency=str(agency.pk)).filter(code=unit_code).first()
        if links["unit"] is None:
            raise field_error("unit", _("Unknown unit %(unit)s in %(agency)s.") % {"unit": unit_code,
                                                                                 "agency": agency.code})
    return links
