"""The 5S API (django-ninja), mounted by eiso.api: the checklist, programmes, areas, inspections
(plan, record with answers, photos of failed items, cancel), one-click nonconformities, the
ranking of a quarter and rewards. Reads go through the selectors (another agency's id reads as
not found), writes through the services, the same ones the pages call."""

import datetime
from decimal import Decimal
from typing import Annotated

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import model_validator

from eiso.fives import scoring, selectors, services
from eiso.fives.choices import AreaKind, InspectionStatus, RewardKind, S
from eiso.fives.models import Answer, Inspection
from eiso.organizations.api import ERRORS, MAX_PAGE, AgencyRef, Body, Day, Pagination, Text, UnitRef, field_error
from eiso.organizations.selectors import agencies_for_user, users_for_user
from eiso.procedures.api import procedure_and_unit_by_code

router = Router(tags=["5S"])
S_NAMES = dict(S.choices)


def _agency(user, code: str = ""):
    agency = agencies_for_user(user).filter(code=code).first() if code else user.agency
    if agency is None:
        raise field_error("agency", _("Unknown agency: %(code)s") % {"code": code} if code
                          else _("Name the agency (its code)."))
    return agency


def _own_agency(user):
    if user.agency is None:
        raise field_error("agency", _("You do not belong to an agency."))
    return user.agency


# --- checklist ------------------------------------------------------------------------------------

class ItemOut(Schema):
    id: int
    s: str = Field(description=f"One of: {', '.join(S.values)} (Sàng lọc, Sắp xếp, Sạch sẽ, Săn sóc, Sẵn sàng).")
    s_name: str
    text: str
    points: int
    graded: bool = Field(description="true: scored from 0 to its points; false: passed (all points) or failed (0).")
    own: bool = Field(description="false: an item of the shipped default set.")

    @staticmethod
    def resolve_s_name(obj):
        return str(S_NAMES.get(obj.s, obj.s))

    @staticmethod
    def resolve_own(obj):
        return obj.agency_id is not None


class ItemIn(Body):
    s: S
    text: Text = Field(min_length=1, max_length=400)
    points: int = Field(5, ge=1, le=100)
    graded: bool = False


class ItemPatch(Body):
    s: S | None = None
    text: Text | None = Field(None, min_length=1, max_length=400)
    points: int | None = Field(None, ge=1, le=100)
    graded: bool | None = None
    position: int | None = Field(None, ge=0, le=32767)


@router.get("/fives/checklist", response={200: list[ItemOut], **ERRORS},
            summary="The 5S checklist in use (the agency's own, else the default set), by S")
def checklist(request, agency: Annotated[Text, Query("", description="Agency code (default: your own).")] = ""):
    found = _agency(request.auth, agency) if agency or request.auth.agency else None
    return selectors.checklist_of(found.pk if found else None)


@router.post("/fives/checklist", response={201: ItemOut, **ERRORS}, summary="Add an item to the agency's checklist")
def checklist_item_create(request, payload: ItemIn):
    item = services.item_create(actor=request.auth, agency=_own_agency(request.auth), **payload.dict())
    return Status(201, item)


@router.patch("/fives/checklist/{item_id}", response={200: ItemOut, **ERRORS},
              summary="Change an item (a default item is copied into the agency's checklist first)")
def checklist_item_update(request, item_id: int, payload: ItemPatch):
    item = selectors.item_get_for_user(request.auth, item_id)
    return services.item_update(actor=request.auth, agency=_own_agency(request.auth), item=item,
                                **payload.dict(exclude_none=True))


@router.delete("/fives/checklist/{item_id}", response={204: None, **ERRORS},
               summary="Take an item out of the agency's checklist")
def checklist_item_remove(request, item_id: int):
    item = selectors.item_get_for_user(request.auth, item_id)
    services.item_remove(actor=request.auth, agency=_own_agency(request.auth), item=item)
    return Status(204, None)


# --- programmes and areas -------------------------------------------------------------------------

class ProgrammeOut(Schema):
    id: int
    agency: AgencyRef
    year: int
    title: str
    goals: str
    frequency: str


class ProgrammeIn(Body):
    year: int = Field(ge=2000, le=2999)
    title: Text = Field("", max_length=300)
    goals: Text = Field("", max_length=5000)
    frequency: Text = Field("", max_length=200)


class ProgrammePatch(Body):
    title: Text | None = Field(None, min_length=1, max_length=300)
    goals: Text | None = Field(None, max_length=5000)
    frequency: Text | None = Field(None, max_length=200)


@router.get("/fives/programmes", response={200: list[ProgrammeOut], **ERRORS}, summary="5S programmes I can read")
@paginate(Pagination, max_limit=MAX_PAGE)
def programme_list(request, agency: Annotated[Text, Query("", description="Agency code.")] = ""):
    return selectors.programmes_for_user(request.auth, agency=agency)


@router.post("/fives/programmes", response={201: ProgrammeOut, **ERRORS}, summary="Set up the 5S programme of a year")
def programme_create(request, payload: ProgrammeIn):
    return Status(201, services.programme_create(actor=request.auth, agency=_own_agency(request.auth),
                                                 **payload.dict()))


@router.patch("/fives/programmes/{programme_id}", response={200: ProgrammeOut, **ERRORS},
              summary="Change a 5S programme")
def programme_update(request, programme_id: int, payload: ProgrammePatch):
    programme = selectors.programme_get_for_user(request.auth, programme_id)
    return services.programme_update(actor=request.auth, programme=programme, **payload.dict(exclude_none=True))


class AreaOut(Schema):
    id: int
    agency: AgencyRef
    unit: UnitRef
    name: str
    kind: str = Field(description=f"One of: {', '.join(AreaKind.values)}.")
    location: str
    active: bool


class AreaIn(Body):
    unit: Text = Field(min_length=1, description="The unit's code.")
    name: Text = Field(min_length=1, max_length=200)
    kind: AreaKind = AreaKind.OFFICE
    location: Text = Field("", max_length=200)


class AreaPatch(Body):
    name: Text | None = Field(None, min_length=1, max_length=200)
    kind: AreaKind | None = None
    location: Text | None = Field(None, max_length=200)
    active: bool | None = None


@router.get("/fives/areas", response={200: list[AreaOut], **ERRORS}, summary="5S areas I can read")
@paginate(Pagination, max_limit=MAX_PAGE)
def area_list(request, agency: Annotated[Text, Query("", description="Agency code.")] = "", q: Text = ""):
    return selectors.areas_for_user(request.auth, agency=agency, q=q[:200])


@router.post("/fives/areas", response={201: AreaOut, **ERRORS}, summary="Add an area of a unit")
def area_create(request, payload: AreaIn):
    agency = _own_agency(request.auth)
    unit = procedure_and_unit_by_code(request.auth, agency, unit_code=payload.unit)["unit"]
    return Status(201, services.area_create(actor=request.auth, agency=agency, unit=unit, name=payload.name,
                                            kind=payload.kind, location=payload.location))


@router.patch("/fives/areas/{area_id}", response={200: AreaOut, **ERRORS}, summary="Change an area")
def area_update(request, area_id: int, payload: AreaPatch):
    area = selectors.area_get_for_user(request.auth, area_id)
    return services.area_update(actor=request.auth, area=area, **payload.dict(exclude_none=True))


# --- inspections ----------------------------------------------------------------------------------

class AnswerIn(Body):
    item: int = Field(description="The checklist item's id.")
    passed: bool | None = Field(None, description="Passed (all its points) or failed (none).")
    score: int | None = Field(None, ge=0, le=100, description="Or the points given, 0 to the item's points.")
    remark: Text = Field("", max_length=500)

    @model_validator(mode="after")
    def passed_or_score(self):
        if self.passed is None and self.score is None:
            raise ValueError("Give passed or score.")
        return self


class AnswerOut(Schema):
    id: int
    item: int
    s: str
    text: str
    points: int
    score: int
    passed: bool
    remark: str
    photo: bool
    nonconformity: str | None

    @staticmethod
    def resolve_item(obj: Answer):
        return obj.item_id

    @staticmethod
    def resolve_photo(obj: Answer):
        return bool(obj.photo)

    @staticmethod
    def resolve_nonconformity(obj: Answer):
        return obj.nonconformity.code if obj.nonconformity_id else None


class SScoreOut(Schema):
    s: str
    s_name: str
    scored: int
    possible: int
    percent: Decimal | None


class FivesInspectionOut(Schema):
    id: int
    agency: AgencyRef
    unit: UnitRef
    area: int
    area_name: str
    date: datetime.date = Field(description="The day it was done, else the day it is planned.")
    status: str = Field(description=f"One of: {', '.join(InspectionStatus.values)}.")
    inspector: str
    percent: Decimal | None = Field(description="Total score in percent; null until done.")
    points_scored: int | None
    points_max: int | None
    url: str

    @staticmethod
    def resolve_area(obj: Inspection):
        return obj.area_id

    @staticmethod
    def resolve_area_name(obj: Inspection):
        return obj.area.name

    @staticmethod
    def resolve_date(obj: Inspection):
        return obj.day

    @staticmethod
    def resolve_inspector(obj: Inspection):
        return obj.inspector.full_name or obj.inspector.username

    @staticmethod
    def resolve_url(obj: Inspection):
        return reverse("fives:inspection-detail", args=[obj.pk])


class FivesInspectionDetailOut(FivesInspectionOut):
    note: str
    by_s: list[SScoreOut]
    answers: list[AnswerOut]

    @staticmethod
    def resolve_by_s(obj: Inspection):
        return obj.score_by_s

    @staticmethod
    def resolve_answers(obj: Inspection):
        return obj.answer_rows


def _detail(inspection: Inspection) -> Inspection:
    """The inspection with its answers and its score per S, as FivesInspectionDetailOut reads them."""
    inspection.answer_rows = list(selectors.answers_of(inspection))
    inspection.score_by_s = [
        {"s": x.s, "s_name": str(S_NAMES[x.s]), "scored": x.scored, "possible": x.possible, "percent": x.percent}
        for x in scoring.scores_by_s((a.s, a.score, a.points) for a in inspection.answer_rows)]
    return inspection


class InspectionIn(Body):
    unit: Text = Field(min_length=1, description="The unit's code.")
    area: int = Field(description="The area's id (one of the unit's areas).")
    date: Day
    inspector: Text = Field("", description="The inspector's user name (default: you).")
    answers: list[AnswerIn] | None = Field(
        None, description="One per item of the checklist in use: {item, passed} or {item, score}. Without it the "
                          "inspection is only planned.")
    note: Text = Field("", max_length=5000)


class RecordIn(Body):
    answers: list[AnswerIn] = Field(default_factory=list, description="One per item of the checklist in use.")
    date: Day | None = Field(None, description="The day it was done (default: today).")
    note: Text = Field("", max_length=5000)


class CancelIn(Body):
    note: Text = Field("", max_length=2000)


def _answers(items: list[AnswerIn]) -> list[dict]:
    return [item.dict() for item in items]


@router.get("/fives/inspections", response={200: list[FivesInspectionOut], **ERRORS},
            summary="5S inspections I can read")
@paginate(Pagination, max_limit=MAX_PAGE)
def inspection_list(request, agency: Annotated[Text, Query("", description="Agency code.")] = "",
                    unit: Annotated[int | None, Query(None, description="The unit's id.")] = None,
                    status: InspectionStatus | None = None,
                    period: Annotated[Text, Query("", description="A quarter: YYYY-Qn.")] = ""):
    found = scoring.parse_period(period) if period else None
    if period and found is None:
        raise field_error("period", _("Give the quarter as YYYY-Qn, for example 2026-Q3."))
    return selectors.inspections_for_user(request.auth, agency=agency, unit=str(unit or ""), status=status or "",
                                          period=found)


@router.post("/fives/inspections", response={201: FivesInspectionDetailOut, **ERRORS},
             summary="Plan an inspection, or record one with its answers")
def inspection_create(request, payload: InspectionIn):
    user = request.auth
    agency = _own_agency(user)
    unit = procedure_and_unit_by_code(user, agency, unit_code=payload.unit)["unit"]
    area = selectors.areas_for_user(user, agency=str(agency.pk)).filter(pk=payload.area, unit=unit).first()
    if area is None:
        raise field_error("area", _("Choose one of the unit's areas."))
    inspector = user
    if payload.inspector:
        inspector = users_for_user(user, agency=str(agency.pk)).filter(username=payload.inspector).first()
        if inspector is None:
            raise field_error("inspector", _("Unknown person: %(name)s") % {"name": payload.inspector})
    if payload.answers is None:
        inspection = services.inspection_plan(actor=user, agency=agency, area=area, planned_on=payload.date,
                                              inspector=inspector, note=payload.note)
    else:
        inspection = services.inspection_create_done(actor=user, agency=agency, area=area, done_on=payload.date,
                                                     inspector=inspector, answers=_answers(payload.answers),
                                                     note=payload.note)
    return Status(201, _detail(selectors.inspection_get_for_user(user, inspection.pk)))


@router.get("/fives/inspections/{inspection_id}", response={200: FivesInspectionDetailOut, **ERRORS},
            summary="One inspection with its score per S and its answers")
def inspection_detail(request, inspection_id: int):
    return _detail(selectors.inspection_get_for_user(request.auth, inspection_id))


@router.post("/fives/inspections/{inspection_id}/answers", response={200: FivesInspectionDetailOut, **ERRORS},
             summary="Record a planned inspection with its answers")
def inspection_record(request, inspection_id: int, payload: RecordIn):
    inspection = selectors.inspection_get_for_user(request.auth, inspection_id)
    services.inspection_record(actor=request.auth, inspection=inspection, answers=_answers(payload.answers),
                               done_on=payload.date or timezone.localdate(), note=payload.note)
    return _detail(selectors.inspection_get_for_user(request.auth, inspection_id))


@router.post("/fives/inspections/{inspection_id}/cancel", response={200: FivesInspectionOut, **ERRORS},
             summary="Cancel a planned inspection")
def inspection_cancel(request, inspection_id: int, payload: CancelIn):
    inspection = selectors.inspection_get_for_user(request.auth, inspection_id)
    services.inspection_cancel(actor=request.auth, inspection=inspection, note=payload.note)
    return selectors.inspection_get_for_user(request.auth, inspection_id)


@router.post("/fives/answers/{answer_id}/photo", response={200: AnswerOut, **ERRORS},
             summary="Attach the photo of a failed item (multipart: a JPEG, PNG or WebP)")
def answer_photo(request, answer_id: int,
                 file: Annotated[UploadedFile | None, File(None, description="The photo (required).")] = None):
    answer = selectors.answer_get_for_user(request.auth, answer_id)  # another agency's id: 404 before anything
    if file is None:
        raise field_error("file", _("Choose or take a photo."))
    return services.answer_photo_attach(actor=request.auth, answer=answer, uploaded=file)


class FivesNonconformityOut(Schema):
    id: int
    code: str
    url: str


@router.post("/fives/answers/{answer_id}/nonconformity", response={201: FivesNonconformityOut, **ERRORS},
             summary="Record a failed item as a nonconformity (source 5S), to answer with a corrective action")
def answer_nonconformity(request, answer_id: int):
    answer = selectors.answer_get_for_user(request.auth, answer_id)
    nc = services.answer_nonconformity(actor=request.auth, answer=answer)
    return Status(201, {"id": nc.pk, "code": nc.code, "url": reverse("improvements:nonconformity-detail",
                                                                      args=[nc.pk])})


# --- ranking and rewards --------------------------------------------------------------------------

class RankOut(Schema):
    rank: int
    unit: UnitRef
    score: Decimal = Field(description="Mean of the unit's inspection percentages in the quarter.")
    inspections: int
    latest: Decimal = Field(description="Percentage of the unit's latest inspection in the quarter (breaks ties).")
    latest_date: datetime.date


class RankingOut(Schema):
    agency: AgencyRef
    period: str
    units: list[RankOut]


@router.get("/fives/ranking", response={200: RankingOut, **ERRORS},
            summary="The units of an agency ranked by their 5S score of a quarter, best first")
def ranking(request, period: Annotated[Text, Query("", description="A quarter: YYYY-Qn (default: this one).")] = "",
            agency: Annotated[Text, Query("", description="Agency code (default: your own).")] = ""):
    found = scoring.parse_period(period) if period else scoring.period_of(timezone.localdate())
    if found is None:
        raise field_error("period", _("Give the quarter as YYYY-Qn, for example 2026-Q3."))
    target = _agency(request.auth, agency)
    rows = selectors.ranking_for(request.auth, target.pk, found)
    return {"agency": target, "period": found.code,
            "units": [{"rank": r.rank, "unit": r.key, "score": r.score, "inspections": r.inspections,
                       "latest": r.latest, "latest_date": r.latest_day} for r in rows]}


class AgencyScoreOut(Schema):
    agency_id: int
    code: str
    name: str
    score: Decimal = Field(description="Mean of the percentages of all the agency's inspections in the quarter.")
    inspections: int
    units: int


@router.get("/fives/scores", response={200: list[AgencyScoreOut], **ERRORS},
            summary="The 5S score of each agency I read for a quarter, best first (overseers: the province)")
def agency_scores(request,
                  period: Annotated[Text, Query("", description="A quarter: YYYY-Qn (default: this one).")] = ""):
    found = scoring.parse_period(period) if period else scoring.period_of(timezone.localdate())
    if found is None:
        raise field_error("period", _("Give the quarter as YYYY-Qn, for example 2026-Q3."))
    return selectors.agency_scores(request.auth, found)


class RewardOut(Schema):
    id: int
    agency: AgencyRef
    unit: UnitRef
    period: str
    kind: str = Field(description=f"One of: {', '.join(RewardKind.values)}.")
    title: str
    decision: str
    given_on: datetime.date

    @staticmethod
    def resolve_period(obj):
        return f"{obj.year}-Q{obj.quarter}"


class RewardIn(Body):
    unit: Text = Field(min_length=1, description="The unit's code.")
    period: Text = Field(description="A quarter: YYYY-Qn.")
    kind: RewardKind = RewardKind.REWARD
    title: Text = Field(min_length=1, max_length=300)
    decision: Text = Field("", max_length=200)
    given_on: Day | None = None


@router.get("/fives/rewards", response={200: list[RewardOut], **ERRORS}, summary="5S rewards and recognition")
@paginate(Pagination, max_limit=MAX_PAGE)
def reward_list(request, agency: Annotated[Text, Query("", description="Agency code.")] = ""):
    return selectors.rewards_for_user(request.auth, agency=agency)


@router.post("/fives/rewards", response={201: RewardOut, **ERRORS}, summary="Record a reward given to a unit")
def reward_create(request, payload: RewardIn):
    agency = _own_agency(request.auth)
    period = scoring.parse_period(payload.period)
    if period is None:
        raise field_error("period", _("Give the quarter as YYYY-Qn, for example 2026-Q3."))
    unit = procedure_and_unit_by_code(request.auth, agency, unit_code=payload.unit)["unit"]
    return Status(201, services.reward_create(actor=request.auth, agency=agency, unit=unit, year=period.year,
                                              quarter=period.quarter, kind=payload.kind, title=payload.title,
                                              decision=payload.decision, given_on=payload.given_on))


@router.delete("/fives/rewards/{reward_id}", response={204: None, **ERRORS}, summary="Delete a reward")
def reward_delete(request, reward_id: int):
    services.reward_delete(actor=request.auth, reward=selectors.reward_get_for_user(request.auth, reward_id))
    return Status(204, None)
