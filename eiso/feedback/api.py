"""The feedback API (django-ninja), mounted by eiso.api: citizen satisfaction (the import of
evaluations, the figures of a period, the yearly SIPAS benchmark) and complaints (list, record,
read, hand to a unit, answer, reject, record as a nonconformity; the agency's days to answer).

Reads go through the selectors (another agency's id reads as not found), writes through the
services (permission, workflow rule, audit row); a move the workflow refuses answers 409.
"""

from decimal import Decimal
from typing import Annotated, Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from eiso.dossiers.selectors import dossiers_for_user
from eiso.feedback import selectors, services
from eiso.feedback.calculations import parse_period, period_containing
from eiso.feedback.choices import INDICATORS, ComplaintChannel, ComplaintStatus, Indicator, PeriodKind
from eiso.feedback.imports import satisfaction_import_rows
from eiso.feedback.models import Complaint
from eiso.organizations.api import ERRORS, MAX_PAGE, AgencyRef, Body, Day, Pagination, Text, UnitRef, field_error
from eiso.organizations.selectors import agencies_for_user
from eiso.procedures.api import procedure_and_unit_by_code

router = Router(tags=["feedback"])
INDICATOR_NAMES = dict(Indicator.choices)


def _agency(user, code: str):
    agency = agencies_for_user(user).filter(code=code).first() if code else user.agency
    if agency is None:
        raise field_error("agency", _("Unknown agency: %(code)s") % {"code": code} if code
                       else _("Name the agency (its code)."))
    return agency


# --- satisfaction ---------------------------------------------------------------------------------


class EvaluationsIn(Body):
    agency: Text = Field("", description="The agency's code (default: your own).")
    rows: list[dict[str, Any]] = Field(description=(
        "The rows of the file: {dossier_code, indicator (1–9), score (0–2)} or {dossier_code, indicator_1 … "
        "indicator_9}, optionally evaluated_on (YYYY-MM-DD or dd/mm/yyyy). Any bad row refuses the whole body."))


class ImportOut(Schema):
    created: int
    updated: int
    unchanged: int


class IndicatorOut(Schema):
    indicator: int
    name: str
    score: Decimal | None = Field(description="Mean score over the dossiers evaluated (0–2); null: not scored.")


class SatisfactionOut(Schema):
    agency: AgencyRef | None = Field(description="Null: every agency you read (the province for an overseer).")
    period: str
    period_start: Day
    period_end: Day
    evaluations: int
    score: Decimal | None = Field(description="The total, sum of the indicator scores (0–18); null without data.")
    grade: str | None = Field(description="excellent ≥ 15, good ≥ 12, fair ≥ 9, average ≥ 6, poor below.")
    indicators: list[IndicatorOut]
    sipas: Decimal | None = Field(description="The provincial SIPAS index (%) of the period's year or the latest "
                                              "year before it, as entered by the agency.")


@router.post("/satisfaction/evaluations", response={200: ImportOut, **ERRORS},
             summary="Import satisfaction evaluations (TT 01/2018/TT-VPCP)")
def satisfaction_evaluations_import(request, payload: EvaluationsIn):
    user = request.auth
    agency = _agency(user, payload.agency)
    result = satisfaction_import_rows(actor=user, agency=agency, rows=payload.rows)
    return ImportOut(created=result.created, updated=result.updated, unchanged=result.unchanged)


@router.get("/satisfaction", response={200: SatisfactionOut, **ERRORS}, summary="Satisfaction score of a period")
def satisfaction(
    request,
    agency: Annotated[Text, Query("", description="Agency code (default: your own; none for an overseer: "
                                                  "every agency you read).")] = "",
    period: Annotated[Text, Query("", description="YYYY, YYYY-Qn or YYYY-MM (default: this quarter).")] = "",
):
    user = request.auth
    try:
        chosen = parse_period(period) if period else period_containing(timezone.localdate(), PeriodKind.QUARTER)
    except ValueError:
        raise field_error("period", _("Give the period as YYYY, YYYY-Qn or YYYY-MM."))
    if agency:
        focus = _agency(user, agency)
    else:  # one's own agency, or every agency one reads (an overseer's province)
        focus = user.agency if agencies_for_user(user).count() <= 1 else None
    figures = selectors.satisfaction_figures(user, period=chosen, agency=str(focus.pk) if focus else "")
    benchmarks = selectors.latest_benchmarks(user, agency=str(focus.pk) if focus else "", year=chosen.start.year)
    return SatisfactionOut(
        agency=AgencyRef(id=focus.pk, code=focus.code, name=focus.name) if focus else None,
        period=chosen.key, period_start=chosen.start, period_end=chosen.end, evaluations=figures.evaluations,
        score=figures.score, grade=figures.grade,
        indicators=[IndicatorOut(indicator=i, name=str(INDICATOR_NAMES[i]), score=figures.indicators[i])
                    for i in INDICATORS],
        sipas=benchmarks[0].sipas if len(benchmarks) == 1 else None)


class BenchmarkIn(Body):
    agency: Text = Field("", description="The agency's code (default: your own).")
    year: int = Field(ge=2017, le=2999)
    sipas: Decimal = Field(ge=0, le=100, max_digits=5, decimal_places=2,
                           description="The provincial SIPAS index (%) published for the year.")
    note: Text = Field("", max_length=300, description="Where the figure comes from (the decision, the report).")


class BenchmarkOut(Schema):
    agency: AgencyRef
    year: int
    sipas: Decimal
    note: str


@router.get("/satisfaction/sipas", response={200: list[BenchmarkOut], **ERRORS},
            summary="The yearly provincial SIPAS figures entered beside the agencies' scores")
def benchmark_list(request, agency: Annotated[Text, Query("", description="Agency code.")] = "",
                   year: Annotated[int | None, Query(None, ge=2017, le=2999)] = None):
    user = request.auth
    focus = _agency(user, agency) if agency else None
    return list(selectors.benchmarks_for_user(user, agency=str(focus.pk) if focus else "", year=year)
                .select_related("agency"))


@router.post("/satisfaction/sipas", response={200: BenchmarkOut, **ERRORS},
             summary="Enter (or correct) the provincial SIPAS figure of a year")
def benchmark_set(request, payload: BenchmarkIn):
    user = request.auth
    agency = _agency(user, payload.agency)
    benchmark = services.benchmark_set(actor=user, agency=agency, year=payload.year, sipas=payload.sipas,
                                       note=payload.note)
    return selectors.benchmarks_for_user(user).select_related("agency").get(pk=benchmark.pk)


# --- complaints -----------------------------------------------------------------------------------


class FeedbackNonconformityRef(Schema):
    id: int
    code: str
    status: str


class ComplaintOut(Schema):
    id: int
    code: str
    agency: AgencyRef
    received_on: Day
    channel: str = Field(description=f"One of: {', '.join(ComplaintChannel.values)}.")
    person: str
    content: str
    dossier_code: str | None
    procedure_code: str | None
    unit: UnitRef | None
    due_on: Day
    status: str = Field(description=f"One of: {', '.join(ComplaintStatus.values)}.")
    overdue: bool
    answer: str
    answered_on: Day | None
    justified: bool | None
    nonconformity: FeedbackNonconformityRef | None
    url: str

    @staticmethod
    def resolve_dossier_code(obj: Complaint):
        return obj.dossier.code if obj.dossier_id else None

    @staticmethod
    def resolve_procedure_code(obj: Complaint):
        return obj.admin_procedure.code if obj.admin_procedure_id else None

    @staticmethod
    def resolve_overdue(obj: Complaint) -> bool:
        return obj.answered_on is None and obj.status in ("received", "in_progress") \
            and obj.due_on < timezone.localdate()

    @staticmethod
    def resolve_url(obj: Complaint) -> str:
        return reverse("feedback:complaint-detail", args=[obj.pk])


class ComplaintIn(Body):
    received_on: Day
    channel: ComplaintChannel = ComplaintChannel.DIRECT
    person: Text = Field(min_length=1, max_length=200)
    contact: Text = Field("", max_length=200)
    content: Text = Field(min_length=1)
    dossier_code: Text = Field("", description="The dossier it is about (one-stop code), if any.")
    procedure_code: Text = Field("", description="The TTHC it is about (national code), if any.")
    unit: Text = Field("", description="The handling unit's code, if already known.")


class AnswerIn(Body):
    # Optional in the schema and checked by the service after the lookup: another agency's id is a
    # 404 whatever the body.
    answer: Text = Field("", description="Required: the answer given.")
    justified: bool | None = Field(None, description="Required: whether the complaint was justified.")
    answered_on: Day | None = Field(None, description="Default: today.")


class RejectIn(Body):
    answer: Text = Field("", description="Required: why the complaint is not accepted (outside the remit, "
                                         "anonymous, already answered…).")
    answered_on: Day | None = Field(None, description="Default: today.")


class AssignIn(Body):
    unit: Text = Field("", description="Required: the code of the unit that answers it.")


class ComplaintSettingsIn(Body):
    agency: Text = Field("", description="The agency's code (default: your own).")
    complaint_due_days: int = Field(ge=1, le=60, description="Working days to answer a complaint (new ones).")


class ComplaintSettingsOut(Schema):
    agency: AgencyRef
    complaint_due_days: int


@router.get("/complaints/settings", response={200: ComplaintSettingsOut, **ERRORS},
            summary="The working days an agency gives itself to answer a complaint")
def complaint_settings(request, agency: Annotated[Text, Query("", description="Agency code.")] = ""):
    focus = _agency(request.auth, agency)
    return ComplaintSettingsOut(agency=AgencyRef(id=focus.pk, code=focus.code, name=focus.name),
                                complaint_due_days=services.due_days_of(focus))


@router.post("/complaints/settings", response={200: ComplaintSettingsOut, **ERRORS},
             summary="Change the working days to answer a complaint (applies to new complaints)")
def complaint_settings_update(request, payload: ComplaintSettingsIn):
    focus = _agency(request.auth, payload.agency)
    row = services.feedback_settings_update(actor=request.auth, agency=focus,
                                            complaint_due_days=payload.complaint_due_days)
    return ComplaintSettingsOut(agency=AgencyRef(id=focus.pk, code=focus.code, name=focus.name),
                                complaint_due_days=row.complaint_due_days)


@router.get("/complaints", response={200: list[ComplaintOut], **ERRORS},
            summary="Complaints and recommendations I can read")
@paginate(Pagination, max_limit=MAX_PAGE)
def complaint_list(
    request,
    q: Text = "",
    state: Annotated[Text, Query("", description=f"One of: {', '.join(selectors.COMPLAINT_STATES)}.")] = "",
    status: ComplaintStatus | None = None,
    agency: Annotated[Text, Query("", description="Agency code.")] = "",
):
    return selectors.complaints_for_user(request.auth, q=q, state=state, status=status or "", agency=agency)


@router.post("/complaints", response={201: ComplaintOut, **ERRORS}, summary="Record a complaint or recommendation")
def complaint_create(request, payload: ComplaintIn):
    user = request.auth
    agency = user.agency
    if agency is None:
        raise field_error("agency", _("You do not belong to an agency, so you cannot record complaints in one."))
    links = {}
    if payload.dossier_code:
        links["dossier"] = dossiers_for_user(user).filter(agency=agency, code=payload.dossier_code).first()
        if links["dossier"] is None:
            raise field_error("dossier_code", _("No dossier with this code in your agency."))
    links.update(procedure_and_unit_by_code(user, agency, procedure_code=payload.procedure_code or "",
                                            unit_code=payload.unit or ""))
    complaint = services.complaint_create(
        actor=user, agency=agency, received_on=payload.received_on, channel=payload.channel, person=payload.person,
        contact=payload.contact, content=payload.content, **links)
    return Status(201, selectors.complaint_get_for_user(user, complaint.pk))


@router.get("/complaints/{complaint_id}", response={200: ComplaintOut, **ERRORS}, summary="One complaint")
def complaint_detail(request, complaint_id: int):
    return selectors.complaint_get_for_user(request.auth, complaint_id)


@router.post("/complaints/{complaint_id}/answer", response={200: ComplaintOut, **ERRORS},
             summary="Answer a complaint (409 once answered or not accepted)")
def complaint_answer(request, complaint_id: int, payload: AnswerIn):
    complaint = selectors.complaint_get_for_user(request.auth, complaint_id)
    services.complaint_answer(actor=request.auth, complaint=complaint, answer=payload.answer,
                              justified=payload.justified, answered_on=payload.answered_on)
    return selectors.complaint_get_for_user(request.auth, complaint_id)


@router.post("/complaints/{complaint_id}/reject", response={200: ComplaintOut, **ERRORS},
             summary="Refuse a complaint, saying why (409 once answered)")
def complaint_reject(request, complaint_id: int, payload: RejectIn):
    complaint = selectors.complaint_get_for_user(request.auth, complaint_id)
    services.complaint_reject(actor=request.auth, complaint=complaint, answer=payload.answer,
                              answered_on=payload.answered_on)
    return selectors.complaint_get_for_user(request.auth, complaint_id)


@router.post("/complaints/{complaint_id}/assign", response={200: ComplaintOut, **ERRORS},
             summary="Hand a complaint to the unit that answers it (409 once answered)")
def complaint_assign(request, complaint_id: int, payload: AssignIn):
    user = request.auth
    complaint = selectors.complaint_get_for_user(user, complaint_id)
    if not payload.unit:
        raise field_error("unit", _("Choose the unit that answers it."))
    links = procedure_and_unit_by_code(user, complaint.agency, unit_code=payload.unit)
    services.complaint_assign(actor=user, complaint=complaint, unit=links.get("unit"))
    return selectors.complaint_get_for_user(user, complaint_id)


@router.post("/complaints/{complaint_id}/nonconformity", response={200: ComplaintOut, **ERRORS},
             summary="Record a justified complaint as a nonconformity (409 unless justified)")
def complaint_nonconformity(request, complaint_id: int):
    complaint = selectors.complaint_get_for_user(request.auth, complaint_id)
    services.complaint_to_nonconformity(actor=request.auth, complaint=complaint)
    return selectors.complaint_get_for_user(request.auth, complaint_id)
