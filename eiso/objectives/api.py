"""The objectives API (django-ninja), mounted by eiso.api: quality objectives (list, draft, edit,
approve, compute again) and their measurements (read, record a manual one, confirm a closed
period, record a missed one as a nonconformity). Reads through the selectors, writes through the
services, the same ones the pages call; a move the rules refuse answers 409."""

import datetime
from decimal import Decimal
from typing import Annotated

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from eiso.objectives import selectors, services
from eiso.objectives.choices import Comparator, Frequency, IndicatorCode
from eiso.objectives.models import Measurement, QualityObjective
from eiso.organizations.api import ERRORS, MAX_PAGE, AgencyRef, Body, Day, Pagination, Text, UnitRef, field_error
from eiso.organizations.selectors import users_for_user
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
    status: str = Field(description="draft, or approved (by the agency head).")
    owner: str | None = Field(description="The owner's user name.")
    plan_what: str
    plan_who: str
    plan_when: str
    plan_resources: str
    url: str

    @staticmethod
    def resolve_owner(obj: QualityObjective):
        return obj.owner.username if obj.owner_id else None

    @staticmethod
    def resolve_procedure_code(obj: QualityObjective):
        return obj.admin_procedure.code if obj.admin_procedure_id else None

    @staticmethod
    def resolve_url(obj: QualityObjective) -> str:
        return reverse("objectives:objective-detail", args=[obj.pk])


class MeasurementNonconformityRef(Schema):
    id: int
    code: str


class MeasurementOut(Schema):
    id: int
    period_start: datetime.date
    period_end: datetime.date
    value: Decimal
    numerator: int | None = Field(description="Null for a manual value or the satisfaction score.")
    denominator: int | None
    met: bool
    evidence: str = Field(description="Where a manual value comes from.")
    evidence_file_name: str = Field(description="The name of its evidence file, if one was attached.")
    evidence_file_url: str | None = Field(description="Where to download the evidence file.")
    confirmed_on: datetime.date | None = Field(description="Set once the secretary confirmed the closed period: "
                                                           "the figure no longer changes.")
    nonconformity: MeasurementNonconformityRef | None = Field(
        description="The nonconformity a missed period was recorded as.")

    @staticmethod
    def resolve_evidence_file_url(obj: Measurement):
        return reverse("objectives:measurement-evidence", args=[obj.pk]) if obj.evidence_file else None


class ObjectiveIn(Body):
    year: int = Field(ge=2000, le=2999)
    title: Text = Field(min_length=1, max_length=300)
    indicator: IndicatorCode
    comparator: Comparator = Comparator.GTE
    target: Decimal = Field(ge=-9999999, le=9999999, max_digits=9, decimal_places=2)
    unit_of_measure: Text = Field("%", min_length=1, max_length=30)
    frequency: Frequency = Frequency.QUARTER
    procedure_code: Text = Field("", description="Only for the dossier indicators: one TTHC.")
    unit: Text = Field("", description="The unit's code, for a unit's objective.")
    owner: Text = Field("", description="The owner's user name (who records a manual value).")
    plan_what: Text = Field("", max_length=5000)
    plan_who: Text = Field("", max_length=300)
    plan_when: Text = Field("", max_length=200)
    plan_resources: Text = Field("", max_length=300)


class ObjectivePatch(Body):
    """Only the fields given change. A draft changes anything; an approved objective only its owner
    and plan (409 otherwise)."""

    year: int | None = Field(None, ge=2000, le=2999)
    title: Text | None = Field(None, min_length=1, max_length=300)
    indicator: IndicatorCode | None = None
    comparator: Comparator | None = None
    target: Decimal | None = Field(None, ge=-9999999, le=9999999, max_digits=9, decimal_places=2)
    unit_of_measure: Text | None = Field(None, min_length=1, max_length=30)
    frequency: Frequency | None = None
    procedure_code: Text | None = Field(None, description="Empty: no longer narrowed to one TTHC.")
    unit: Text | None = Field(None, description="Empty: the agency's objective, not a unit's.")
    owner: Text | None = Field(None, description="Empty: no owner.")
    plan_what: Text | None = Field(None, max_length=5000)
    plan_who: Text | None = Field(None, max_length=300)
    plan_when: Text | None = Field(None, max_length=200)
    plan_resources: Text | None = Field(None, max_length=300)


def _owner(user, agency, username: str):
    if not username:
        return None
    owner = users_for_user(user, agency=str(agency.pk), active="1").filter(username=username).first()
    if owner is None:
        raise field_error("owner", _("No active person %(name)s in %(agency)s.") % {"name": username,
                                                                                   "agency": agency.code})
    return owner


@router.get("/objectives", response={200: list[ObjectiveOut], **ERRORS}, summary="Quality objectives I can read")
@paginate(Pagination, max_limit=MAX_PAGE)
def objective_list(request, year: Annotated[int | None, Query(None, ge=2000, le=2999)] = None,
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
        frequency=payload.frequency, owner=_owner(user, agency, payload.owner), plan_what=payload.plan_what,
        plan_who=payload.plan_who, plan_when=payload.plan_when, plan_resources=payload.plan_resources, **links)
    services.measurements_refresh(actor=user, objective=objective)
    return Status(201, selectors.objective_get_for_user(user, objective.pk))


@router.get("/objectives/{objective_id}", response={200: ObjectiveOut, **ERRORS}, summary="One quality objective")
def objective_detail(request, objective_id: int):
    return selectors.objective_get_for_user(request.auth, objective_id)


@router.get("/objectives/{objective_id}/measurements", response={200: list[MeasurementOut], **ERRORS},
            summary="The measurements of an objective (no row for a period without data)")
def objective_measurements(request, objective_id: int):
    objective = selectors.objective_get_for_user(request.auth, objective_id)
    return list(selectors.measurements_for_user(request.auth, objective).select_related("nonconformity"))


@router.patch("/objectives/{objective_id}", response={200: ObjectiveOut, **ERRORS},
              summary="Edit an objective (a draft: anything; approved: its owner and plan)")
def objective_update(request, objective_id: int, payload: ObjectivePatch):
    user = request.auth
    objective = selectors.objective_get_for_user(user, objective_id)
    data = payload.dict(exclude_unset=True)
    links = procedure_and_unit_by_code(user, objective.agency, procedure_code=data.pop("procedure_code", "") or "",
                                       unit_code=data.get("unit") or "")
    changes = {k: v for k, v in data.items() if v is not None and k not in ("unit", "owner")}
    if "procedure_code" in payload.model_fields_set:
        changes["admin_procedure"] = links.get("admin_procedure")
    if "unit" in data:
        changes["unit"] = links.get("unit")
    if "owner" in data:
        changes["owner"] = _owner(user, objective.agency, data["owner"] or "")
    services.objective_update(actor=user, objective=objective, **changes)
    return selectors.objective_get_for_user(user, objective_id)


@router.post("/objectives/{objective_id}/approve", response={200: ObjectiveOut, **ERRORS},
             summary="Approve a drafted objective (the agency head only; 409 once approved)")
def objective_approve(request, objective_id: int):
    objective = selectors.objective_get_for_user(request.auth, objective_id)
    services.objective_approve(actor=request.auth, objective=objective)
    return selectors.objective_get_for_user(request.auth, objective_id)


@router.post("/objectives/{objective_id}/refresh", response={200: list[MeasurementOut], **ERRORS},
             summary="Compute the measurements again from the data (confirmed periods stay as they are)")
def objective_refresh(request, objective_id: int):
    objective = selectors.objective_get_for_user(request.auth, objective_id)
    services.measurements_refresh(actor=request.auth, objective=objective)
    return list(selectors.measurements_for_user(request.auth, objective).select_related("nonconformity"))


@router.post("/objectives/{objective_id}/measurements", response={201: MeasurementOut, **ERRORS},
             summary="Record the value of a manual objective for one of its periods, with its evidence (multipart)")
def objective_measure(
    request,
    objective_id: int,
    # Optional in the schema and checked by the service after the lookup: another agency's id is a
    # 404 whatever the body.
    period_start: Annotated[Day | None, Form(None, description="Required: the first day of one of the "
                                                               "objective's periods (YYYY-MM-DD).")] = None,
    value: Annotated[Decimal | None, Form(None, ge=-9999999, le=9999999, max_digits=9, decimal_places=2,
                                          description="Required: the value measured.")] = None,
    evidence: Annotated[Text, Form("", max_length=2000, description="Where the figure comes from (a record, a "
                                                                    "report…); required without a file.")] = "",
    evidence_file: Annotated[UploadedFile | None, File(None, description="The evidence: a .pdf, .docx or .xlsx "
                                                                         "file, checked by content.")] = None,
):
    objective = selectors.objective_get_for_user(request.auth, objective_id)
    row = services.measurement_record(actor=request.auth, objective=objective, period_start=period_start,
                                      value=value, evidence=evidence, evidence_file=evidence_file)
    return Status(201, selectors.measurement_get_for_user(request.auth, row.pk))


@router.post("/measurements/{measurement_id}/confirm", response={200: MeasurementOut, **ERRORS},
             summary="Confirm the figure of a closed period: it no longer changes (409 while the period is open)")
def measurement_confirm(request, measurement_id: int):
    measurement = selectors.measurement_get_for_user(request.auth, measurement_id)
    services.measurement_confirm(actor=request.auth, measurement=measurement)
    return selectors.measurement_get_for_user(request.auth, measurement_id)


@router.post("/measurements/{measurement_id}/nonconformity", response={200: MeasurementOut, **ERRORS},
             summary="Record a period closed with its target missed as a nonconformity (409 otherwise)")
def measurement_nonconformity(request, measurement_id: int):
    measurement = selectors.measurement_get_for_user(request.auth, measurement_id)
    services.measurement_nonconformity(actor=request.auth, measurement=measurement)
    return selectors.measurement_get_for_user(request.auth, measurement_id)
