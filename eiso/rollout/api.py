"""The rollout API (django-ninja), mounted by eiso.api: rollouts with their phases and progress,
the procedure registry (its decision, the fill from the TTHC catalogue, each procedure's status up
to its issued document) and gap surveys. Reads through the selectors, writes through the services:
every action of the pages is here too."""

import datetime
from typing import Annotated

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from eiso.documents.selectors.revisions import documents_for_user
from eiso.organizations.api import ERRORS, MAX_PAGE, AgencyRef, Body, Day, Pagination, Text, UnitRef, field_error
from eiso.organizations.selectors import units_for_user
from eiso.procedures.api import procedure_and_unit_by_code
from eiso.rollout import selectors, services
from eiso.rollout.choices import GapResult, ItemStatus, PhaseStatus, RolloutStatus
from eiso.rollout.models import RegistryItem, Rollout

router = Router(tags=["rollout"])


# --- output ----------------------------------------------------------------------------------------

class PhaseOut(Schema):
    id: int
    number: int
    name: str
    planned_start: datetime.date | None
    planned_end: datetime.date | None
    status: str = Field(description=f"One of: {', '.join(PhaseStatus.values)}.")
    started_on: datetime.date | None
    finished_on: datetime.date | None
    notes: str


class RolloutOut(Schema):
    id: int
    agency: AgencyRef
    title: str
    started_on: datetime.date
    target_on: datetime.date = Field(description="The planned announcement.")
    consultant: str
    consultant_contact: str
    registry_decision_number: str
    registry_decision_date: datetime.date | None
    registry_decision_signer: str
    status: str = Field(description=f"One of: {', '.join(RolloutStatus.values)}.")
    completed_on: datetime.date | None
    items: int = Field(description="Procedures in the registry.")
    issued: int
    overdue: int
    url: str

    @staticmethod
    def resolve_url(obj: Rollout) -> str:
        return reverse("rollout:rollout-detail", args=[obj.pk])


class UnitProgressOut(Schema):
    unit: UnitRef | None = Field(description="null: procedures with no drafting unit yet (or the whole registry).")
    total: int
    not_started: int
    drafting: int
    in_review: int
    issued: int
    overdue: int
    percent: int | None = Field(description="Share issued; null when the unit has no procedure.")
    behind: bool = Field(description="The unit has an overdue procedure.")


class ProgressOut(Schema):
    on: datetime.date
    overall: UnitProgressOut
    units: list[UnitProgressOut]


class RolloutDetailOut(RolloutOut):
    phases: list[PhaseOut] = Field(validation_alias="phase_rows")
    current_phase: PhaseOut | None
    progress: ProgressOut


class RegistryItemOut(Schema):
    id: int
    rollout_id: int
    number: int
    title: str
    procedure_code: str | None = Field(description="The TTHC the procedure resolves, if any.")
    drafting_unit: UnitRef | None
    deadline: datetime.date | None
    status: str = Field(description=f"One of: {', '.join(ItemStatus.values)}.")
    status_changed_on: datetime.date | None
    document_code: str | None = Field(description="The document the procedure was issued as.")
    issued_on: datetime.date | None
    overdue: bool
    notes: str

    @staticmethod
    def resolve_procedure_code(obj: RegistryItem):
        return obj.admin_procedure.code if obj.admin_procedure_id else None

    @staticmethod
    def resolve_document_code(obj: RegistryItem):
        return obj.document.code if obj.document_id else None

    @staticmethod
    def resolve_overdue(obj: RegistryItem) -> bool:
        return obj.is_overdue(timezone.localdate())


class GapSurveyOut(Schema):
    id: int
    rollout_id: int
    title: str
    surveyed_on: datetime.date
    notes: str
    summary: dict[str, int] = Field(description=f"Clauses per result ({', '.join(GapResult.values)}) and total.")

    @staticmethod
    def resolve_summary(obj) -> dict:
        return selectors.gap_summary(obj)


class GapAssessmentOut(Schema):
    id: int
    clause: str
    title: str
    result: str = Field(description=f"One of: {', '.join(GapResult.values)}.")
    notes: str

    @staticmethod
    def resolve_clause(obj) -> str:
        return obj.clause.code

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.clause.title


class GapSurveyDetailOut(GapSurveyOut):
    assessments: list[GapAssessmentOut] = Field(validation_alias="assessment_rows")


# --- input -----------------------------------------------------------------------------------------

class RolloutIn(Body):
    title: Text = Field(min_length=1, max_length=300)
    started_on: Day
    target_on: Day = Field(description="The planned announcement.")
    consultant: Text = Field("", max_length=300)
    consultant_contact: Text = Field("", max_length=300)
    phases: list[Annotated[Text, Field(min_length=1, max_length=200)]] | None = Field(
        None, max_length=20, description="The phases' names; default: the five usual phases.")


class RolloutPatch(Body):
    title: Text | None = Field(None, min_length=1, max_length=300)
    started_on: Day | None = None
    target_on: Day | None = None
    consultant: Text | None = Field(None, max_length=300)
    consultant_contact: Text | None = Field(None, max_length=300)


# Bodies of routes on an object are checked by the service after the object is found (all fields
# optional here): another agency's id is a 404 whatever the body says.
class DecisionIn(Body):
    decision_number: Text = Field("", max_length=60, description="Required, e.g. 12/QĐ-UBND")
    decision_date: Day | None = Field(None, description="Required.")
    signer: Text = Field("", max_length=200, description="Required.")


class CompleteIn(Body):
    completed_on: Day | None = None


class PhaseIn(Body):
    name: Text = Field("", max_length=200, description="Required.")
    planned_start: Day | None = None
    planned_end: Day | None = None
    notes: Text = Field("", max_length=10_000)


class PhasePatch(Body):
    name: Text | None = Field(None, min_length=1, max_length=200)
    planned_start: Day | None = None
    planned_end: Day | None = None
    notes: Text | None = Field(None, max_length=10_000)


class PhaseTransitionIn(Body):
    status: PhaseStatus | None = Field(None, description="Required.")
    on: Day | None = None


class FillIn(Body):
    drafting_unit: Text = Field("", description="The code of the unit given to every new procedure.")
    deadline: Day | None = None


class RegistryItemIn(Body):
    title: Text = Field("", max_length=500, description="Required.")
    procedure_code: Text = Field("", description="The TTHC the procedure resolves, if any.")
    drafting_unit: Text = Field("", description="The drafting unit's code.")
    deadline: Day | None = None
    notes: Text = Field("", max_length=10_000)


class RegistryItemPatch(Body):
    title: Text | None = Field(None, min_length=1, max_length=500)
    drafting_unit: Text | None = Field(None, description="The drafting unit's code; empty removes it.")
    deadline: Day | None = None
    notes: Text | None = Field(None, max_length=10_000)


class ItemTransitionIn(Body):
    status: ItemStatus | None = Field(None, description="Required.")
    document_code: Text = Field("", description="To issue: the code of the document in force.")
    issued_on: Day | None = Field(None, description="To issue; default: the effective date of the revision.")


class GapSurveyIn(Body):
    title: Text = Field("", max_length=300, description="Required.")
    surveyed_on: Day | None = Field(None, description="Required.")
    notes: Text = Field("", max_length=10_000)


class AssessmentIn(Body):
    clause: Text = Field(description="The clause number, e.g. 4.1.")
    result: GapResult
    notes: Text = Field("", max_length=10_000)


class AssessmentsIn(Body):
    assessments: list[AssessmentIn] = Field([], max_length=200)


# --- helpers ---------------------------------------------------------------------------------------

def _unit(user, agency_id: int, code: str, field: str = "drafting_unit"):
    if not code:
        return None
    unit = units_for_user(user, agency=str(agency_id)).filter(code=code).first()
    if unit is None:
        raise field_error(field, _("Unknown unit: %(code)s") % {"code": code})
    return unit


def _tally_out(t, units) -> dict:
    return {"unit": units.get(t.unit_id), "total": t.total, "not_started": t.not_started, "drafting": t.drafting,
            "in_review": t.in_review, "issued": t.issued, "overdue": t.overdue, "percent": t.percent,
            "behind": t.behind}


def _progress(rollout) -> dict:
    day = timezone.localdate()
    overall, per_unit = selectors.registry_progress(rollout, day)
    units = {u.pk: u for u in rollout.agency.units.filter(pk__in=[t.unit_id for t in per_unit if t.unit_id])}
    return {"on": day, "overall": _tally_out(overall, {}), "units": [_tally_out(t, units) for t in per_unit]}


def _detail(user, pk) -> Rollout:
    rollout = selectors.rollout_get_for_user(user, pk)
    rollout.phase_rows = selectors.phases_of(rollout)
    rollout.current_phase = selectors.current_phase(rollout.phase_rows)
    rollout.progress = _progress(rollout)
    return rollout


# --- rollouts --------------------------------------------------------------------------------------

@router.get("/rollouts", response={200: list[RolloutOut], **ERRORS}, summary="Rollouts I can read")
@paginate(Pagination, max_limit=MAX_PAGE)
def rollout_list(request, agency: Annotated[Text, Query("", description="Agency code.")] = "",
                 status: RolloutStatus | None = None, q: Text = ""):
    return selectors.rollouts_for_user(request.auth, agency=agency, status=status or "", q=q)


@router.post("/rollouts", response={201: RolloutDetailOut, **ERRORS},
             summary="Start the rollout of my agency's QMS (with its phases)")
def rollout_create(request, payload: RolloutIn):
    user = request.auth
    if user.agency is None:
        raise field_error("agency", _("You do not belong to an agency, so you cannot start a rollout."))
    rollout = services.rollout_create(actor=user, agency=user.agency, **payload.dict())
    return Status(201, _detail(user, rollout.pk))


@router.get("/rollouts/{rollout_id}", response={200: RolloutDetailOut, **ERRORS},
            summary="One rollout with its phases and its progress per drafting unit")
def rollout_detail(request, rollout_id: int):
    return _detail(request.auth, rollout_id)


@router.patch("/rollouts/{rollout_id}", response={200: RolloutDetailOut, **ERRORS}, summary="Change a rollout plan")
def rollout_update(request, rollout_id: int, payload: RolloutPatch):
    rollout = selectors.rollout_get_for_user(request.auth, rollout_id)
    services.rollout_update(actor=request.auth, rollout=rollout,
                            **{k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None})
    return _detail(request.auth, rollout.pk)


@router.post("/rollouts/{rollout_id}/complete", response={200: RolloutDetailOut, **ERRORS},
             summary="Close a rollout")
def rollout_complete(request, rollout_id: int, payload: CompleteIn):
    rollout = selectors.rollout_get_for_user(request.auth, rollout_id)
    services.rollout_complete(actor=request.auth, rollout=rollout, completed_on=payload.completed_on)
    return _detail(request.auth, rollout.pk)


@router.post("/rollouts/{rollout_id}/registry-decision", response={200: RolloutDetailOut, **ERRORS},
             summary="Record the decision adopting the procedure registry")
def rollout_decision(request, rollout_id: int, payload: DecisionIn):
    rollout = selectors.rollout_get_for_user(request.auth, rollout_id)
    services.registry_adopt(actor=request.auth, rollout=rollout, **payload.dict())
    return _detail(request.auth, rollout.pk)


@router.get("/rollouts/{rollout_id}/progress", response={200: ProgressOut, **ERRORS},
            summary="The registry's progress today, overall and per drafting unit")
def rollout_progress(request, rollout_id: int):
    return _progress(selectors.rollout_get_for_user(request.auth, rollout_id))


# --- phases ----------------------------------------------------------------------------------------

@router.post("/rollouts/{rollout_id}/phases", response={201: PhaseOut, **ERRORS}, summary="Add a phase")
def phase_create(request, rollout_id: int, payload: PhaseIn):
    rollout = selectors.rollout_get_for_user(request.auth, rollout_id)
    return Status(201, services.phase_add(actor=request.auth, rollout=rollout, **payload.dict()))


@router.patch("/rollout-phases/{phase_id}", response={200: PhaseOut, **ERRORS}, summary="Change a phase")
def phase_update(request, phase_id: int, payload: PhasePatch):
    phase = selectors.phase_get_for_user(request.auth, phase_id)
    data = payload.dict(exclude_unset=True)
    for key in ("name", "notes"):
        if key in data and data[key] is None:
            data.pop(key)
    return services.phase_update(actor=request.auth, phase=phase, **data)


@router.post("/rollout-phases/{phase_id}/transition", response={200: PhaseOut, **ERRORS},
             summary="Start, finish or reopen a phase")
def phase_transition(request, phase_id: int, payload: PhaseTransitionIn):
    phase = selectors.phase_get_for_user(request.auth, phase_id)
    if payload.status is None:
        raise field_error("status", _("Say which status the phase moves to."))
    return services.phase_transition(actor=request.auth, phase=phase, status=payload.status, on=payload.on)


# --- the procedure registry ------------------------------------------------------------------------

@router.get("/rollouts/{rollout_id}/registry", response={200: list[RegistryItemOut], **ERRORS},
            summary="The procedure registry of a rollout")
@paginate(Pagination, max_limit=MAX_PAGE)
def registry_list(request, rollout_id: int, q: Text = "", status: ItemStatus | None = None,
                  unit: Annotated[Text, Query("", description="A unit id, or none.")] = "",
                  overdue: bool = False):
    rollout = selectors.rollout_get_for_user(request.auth, rollout_id)
    return selectors.registry_items_for_user(request.auth, rollout=rollout, q=q, status=status or "", unit=unit,
                                             overdue=overdue)


@router.post("/rollouts/{rollout_id}/registry", response={201: RegistryItemOut, **ERRORS},
             summary="Add a procedure to the registry")
def registry_item_create(request, rollout_id: int, payload: RegistryItemIn):
    user = request.auth
    rollout = selectors.rollout_get_for_user(user, rollout_id)
    links = procedure_and_unit_by_code(user, rollout.agency, procedure_code=payload.procedure_code)
    item = services.registry_item_add(
        actor=user, rollout=rollout, title=payload.title, admin_procedure=links.get("admin_procedure"),
        drafting_unit=_unit(user, rollout.agency_id, payload.drafting_unit), deadline=payload.deadline,
        notes=payload.notes)
    return Status(201, selectors.registry_item_get_for_user(user, item.pk))


@router.post("/rollouts/{rollout_id}/registry/fill", response={201: list[RegistryItemOut], **ERRORS},
             summary="Fill the registry from the TTHC catalogue: one procedure per TTHC with none in force")
def registry_fill(request, rollout_id: int, payload: FillIn):
    user = request.auth
    rollout = selectors.rollout_get_for_user(user, rollout_id)
    created = services.registry_fill(actor=user, rollout=rollout, deadline=payload.deadline,
                                     drafting_unit=_unit(user, rollout.agency_id, payload.drafting_unit))
    return Status(201, list(selectors.registry_items_for_user(user, rollout=rollout).filter(
        pk__in=[i.pk for i in created])))


@router.get("/registry-items/{item_id}", response={200: RegistryItemOut, **ERRORS},
            summary="One procedure of a registry")
def registry_item_detail(request, item_id: int):
    return selectors.registry_item_get_for_user(request.auth, item_id)


@router.patch("/registry-items/{item_id}", response={200: RegistryItemOut, **ERRORS},
              summary="Change a procedure's title, drafting unit, deadline or notes")
def registry_item_update(request, item_id: int, payload: RegistryItemPatch):
    user = request.auth
    item = selectors.registry_item_get_for_user(user, item_id)
    data = payload.dict(exclude_unset=True)
    if "drafting_unit" in data:
        data["drafting_unit"] = _unit(user, item.rollout.agency_id, data["drafting_unit"] or "")
    for key in ("title", "notes"):
        if key in data and data[key] is None:
            data.pop(key)
    services.registry_item_update(actor=user, item=item, **data)
    return selectors.registry_item_get_for_user(user, item.pk)


@router.post("/registry-items/{item_id}/transition", response={200: RegistryItemOut, **ERRORS},
             summary="Move a procedure: drafting, in review, issued (with its document), or back")
def registry_item_transition(request, item_id: int, payload: ItemTransitionIn):
    user = request.auth
    item = selectors.registry_item_get_for_user(user, item_id)
    if payload.status is None:
        raise field_error("status", _("Say which status the procedure moves to."))
    document = None
    if payload.status == ItemStatus.ISSUED:
        if not payload.document_code:
            raise field_error("document_code", _("Give the code of the document the procedure was issued as."))
        document = documents_for_user(user, agency=str(item.rollout.agency_id)).filter(
            code=payload.document_code).first()
        if document is None:
            raise field_error("document_code", _("Unknown document: %(code)s") % {"code": payload.document_code})
    services.registry_item_transition(actor=user, item=item, status=payload.status, document=document,
                                      issued_on=payload.issued_on)
    return selectors.registry_item_get_for_user(user, item.pk)


@router.delete("/registry-items/{item_id}", response={204: None, **ERRORS},
               summary="Take a procedure not started yet out of the registry")
def registry_item_delete(request, item_id: int):
    item = selectors.registry_item_get_for_user(request.auth, item_id)
    services.registry_item_remove(actor=request.auth, item=item)
    return Status(204, None)


# --- gap surveys -----------------------------------------------------------------------------------

@router.get("/rollouts/{rollout_id}/gap-surveys", response={200: list[GapSurveyOut], **ERRORS},
            summary="The gap surveys of a rollout")
def gap_survey_list(request, rollout_id: int):
    return selectors.gap_surveys_of(selectors.rollout_get_for_user(request.auth, rollout_id))


@router.post("/rollouts/{rollout_id}/gap-surveys", response={201: GapSurveyDetailOut, **ERRORS},
             summary="Open a gap survey (one row per clause)")
def gap_survey_create(request, rollout_id: int, payload: GapSurveyIn):
    rollout = selectors.rollout_get_for_user(request.auth, rollout_id)
    survey = services.gap_survey_create(actor=request.auth, rollout=rollout, **payload.dict())
    return Status(201, _survey(request.auth, survey.pk))


def _survey(user, pk):
    survey = selectors.gap_survey_get_for_user(user, pk)
    survey.assessment_rows = list(selectors.gap_assessments_of(survey))
    return survey


@router.get("/gap-surveys/{survey_id}", response={200: GapSurveyDetailOut, **ERRORS},
            summary="One gap survey with each clause's result")
def gap_survey_detail(request, survey_id: int):
    return _survey(request.auth, survey_id)


@router.post("/gap-surveys/{survey_id}/assessments", response={200: GapSurveyDetailOut, **ERRORS},
             summary="Record clauses' results (conform, partly, not) with notes")
def gap_survey_assess(request, survey_id: int, payload: AssessmentsIn):
    user = request.auth
    survey = selectors.gap_survey_get_for_user(user, survey_id)
    rows = {a.clause.code: a.pk for a in selectors.gap_assessments_of(survey)}
    answers = {}
    for entry in payload.assessments:
        if entry.clause not in rows:
            raise field_error("clause", _("Clause %(code)s is not in the survey.") % {"code": entry.clause})
        answers[rows[entry.clause]] = (entry.result, entry.notes)
    services.gap_survey_assess(actor=user, survey=survey, answers=answers)
    return _survey(user, survey.pk)

