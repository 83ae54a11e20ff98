"""The objectives API (django-ninja), mounted by eiso.api: quality objectives and their
measurements. Reads through the selectors, writes through the services."""

import datetime
from decimal import Decimal
from typing import Annotated

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from eiso.objectives import selectors, services
from eiso.objectives.choices import Comparator, Frequency, IndicatorCode
from eiso.objectives.models import QualityObjective
from eiso.organizations.api import ERRORS, MAX_PAGE, AgencyRef, Body, Pagination, Text, UnitRef, field_error
from eiso.procedures.api import procedure_and_unit_by_code

router = Router(tags=["objectives"])


class ObjectiveOut(Schema):
    id: int
    agency: AgencyRef
    unit: UnitRef | None
    year: int
    title: str
    indicator: str = Field(description=f"One of: {', '.join(IndicatorCode.values)}.")
    comparator: str = Field(description="gte (≥), lte (≤) or eq (=).")
    target: Decimal
    unit_of_measure: str
    frequency: str = Field(description=f"One of: {', '.join(Frequency.values)}.")
    procedure_code: str | None
    status: str
    url: str

    @staticmethod
    def resolve_procedure_code(obj: QualityObjective):
        return obj.admin_procedure.code if obj.admin_procedure_id else None

    @staticmethod
    def resolve_url(obj: QualityObjective) -> str:
        return reverse("objectives:objective-detail", args=[obj.pk])


class MeasurementOut(Schema):
    period_start: datetime.date
    period_end: datetime.date
    value: Decimal
    numerator: int | None
    denominator: int | None
    met: bool


class ObjectiveIn(Body):
    year: int = Field(ge=2000, le=2999)
    title: Text = Field(min_length=1, max_length=300)
    indicator: IndicatorCode
    comparator: Comparator = Comparator.GTE
    target: Decimal
    unit_of_measure: Text = Field("%", max_length=30)
    frequency: Frequency = Frequency.QUARTER
    procedure_code: Text = Field("", description="Only for the dossier indicators: one TTHC.")
    unit: Text = Field("", description="The unit's code, for a unit's objective.")


@router.get("/objectives", response={200: list[ObjectiveOut], **ERRORS}, summary="Quality objectives I can read")
@paginate(Pagination, max_limit=MAX_PAGE)
def objective_list(request, year: int | None = None,
                   agency: Annotated[Text, Query("", description="Agency code.")] = ""):
    return selectors.objectives_for_user(request.auth, year=year, agency=agency)


@router.post("/objectives", response={201: ObjectiveOut, **ERRORS}, summary="Draft a quality objective")
def objective_create(request, payload: ObjectiveIn):
    user = request.auth
    agency = user.agency
    if agency is None:
        raise field_error("agency", _("You do not belong to an agency, so you cannot set objectives in one."))
    links = procedure_and_unit_by_code(user, agency, procedure_code=payload.procedure_code or "",
                                       unit_code=payload.unit or "")
    objective = services.objective_create(
        actor=user, agency=agency, year=payload.year, title=payload.title, indicator=payload.indicator,
        comparator=payload.comparator, target=payload.target, unit_of_measure=payload.unit_of_measure,
        frequency=payload.frequency, **links)
    services.measurements_refresh(actor=user, objective=objective)
    return Status(201, selectors.objective_get_for_user(user, objective.pk))


@router.get("/objectives/{objective_id}", response={200: ObjectiveOut, **ERRORS}, summary="One quality objective")
def objective_detail(request, objective_id: int):
    return selectors.objective_get_for_user(request.auth, objective_id)


@router.get("/objectives/{objective_id}/measurements", response={200: list[MeasurementOut], **ERRORS},
            summary="The measurements of an objective (no row for a period without data)")
def objective_measurements(request, objective_id: int):
    objective = selectors.objective_get_for_user(request.auth, objective_id)
    return list(selectors.measurements_for_user(request.auth, objective))
