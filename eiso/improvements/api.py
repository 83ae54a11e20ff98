"""The improvements API (django-ninja), mounted by eiso.api: nonconformities, corrective actions
with their verify and close transitions, risks and opportunities.

Reads go through the selectors (another agency's id reads as not found), writes through the
services (permission, workflow rule, audit row); a move the workflow refuses answers 409.
"""

from typing import Annotated

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from eiso.core.errors import ValidationFailed
from eiso.core.glossary import codes_described
from eiso.documents.api import PersonRef  # one schema per name in the OpenAPI document
from eiso.improvements import selectors, services
from eiso.improvements.choices import NonconformitySource, NonconformityStatus, RiskKind, RiskLevel
from eiso.improvements.models import CorrectiveAction, Nonconformity, Risk
from eiso.organizations.api import ERRORS, MAX_PAGE, AgencyRef, Body, Day, Pagination, Text, UnitRef

router = Router(tags=["improvements"])


class ActionRef(Schema):
    id: int
    owner: PersonRef
    due_on: Day


class NonconformityOut(Schema):
    id: int
    code: str
    agency: AgencyRef
    source: str = Field(description=f"One of: {', '.join(NonconformitySource.values)}.")
    clause: str = Field(description="ISO 9001:2015 clause, e.g. 8.5.1.")
    unit: UnitRef | None
    description: str
    detected_on: Day
    status: str = Field(description=codes_described(NonconformityStatus))
    corrective_action: ActionRef | None = Field(description="The corrective action request, if issued.")
    url: str

    @staticmethod
    def resolve_corrective_action(obj: Nonconformity):
        return getattr(obj, "action", None)

    @staticmethod
    def resolve_url(obj: Nonconformity) -> str:
        return reverse("improvements:nonconformity-detail", args=[obj.pk])


class NonconformityDetailOut(NonconformityOut):
    admin_procedure_code: str | None
    document_code: str | None
    finding_id: int | None
    dossier_step: int | None

    @staticmethod
    def resolve_admin_procedure_code(obj: Nonconformity):
        return obj.admin_procedure.code if obj.admin_procedure_id else None

    @staticmethod
    def resolve_document_code(obj: Nonconformity):
        return obj.document.code if obj.document_id else None


class NonconformityRef(Schema):
    id: int
    code: str
    clause: str
    status: str


class VerificationOut(Schema):
    verified_on: Day
    verified_by: PersonRef | None
    effective: bool
    note: str


class CorrectiveActionOut(Schema):
    id: int
    agency: AgencyRef
    nonconformity: NonconformityRef
    status: str = Field(description="The nonconformity's status.")
    correction: str
    root_cause_method: str
    whys: list[str]
    root_cause: str
    action_plan: str
    owner: PersonRef
    due_on: Day
    evidence: str
    implemented_on: Day | None
    verifier: PersonRef | None
    verification_due_on: Day | None
    closed_on: Day | None
    url: str

    @staticmethod
    def resolve_status(obj: CorrectiveAction) -> str:
        return obj.nonconformity.status

    @staticmethod
    def resolve_url(obj: CorrectiveAction) -> str:
        return reverse("improvements:corrective-action-detail", args=[obj.pk])


class CorrectiveActionDetailOut(CorrectiveActionOut):
    verifications: list[VerificationOut]

    @staticmethod
    def resolve_verifications(obj: CorrectiveAction):
        return list(selectors.verifications_of(obj))


class RiskOut(Schema):
    id: int
    agency: AgencyRef
    kind: str
    description: str
    cause: str
    likelihood: int
    impact: int
    score: int
    level: str = Field(description=f"One of: {', '.join(RiskLevel.values)}.")
    treatment: str
    unit: UnitRef | None
    document_code: str | None
    owner: PersonRef | None
    review_on: Day | None
    url: str

    @staticmethod
    def resolve_document_code(obj: Risk):
        return obj.document.code if obj.document_id else None

    @staticmethod
    def resolve_url(obj: Risk) -> str:
        return reverse("improvements:risk-detail", args=[obj.pk])


class RiskDetailOut(RiskOut):
    corrective_actions: list[int]

    @staticmethod
    def resolve_corrective_actions(obj: Risk):
        return [a.pk for a in obj.actions.all()]


class VerifyIn(Body):
    effective: bool | None = Field(None, description="Required: whether the action was effective.")
    note: Text = ""
    verified_on: Day | None = None
    new_due_on: Day | None = Field(None, description="When not effective: the action's new due date.")


# --- nonconformities ------------------------------------------------------------------------------


@router.get("/nonconformities", response={200: list[NonconformityOut], **ERRORS}, summary="Nonconformities I can read")
@paginate(Pagination, max_limit=MAX_PAGE)
def nonconformity_list(
    request,
    q: Text = "",
    status: NonconformityStatus | None = None,
    source: NonconformitySource | None = None,
    clause: Annotated[Text, Query("", max_length=12)] = "",
    agency: Annotated[Text, Query("", description="Agency code.")] = "",
    without_action: Annotated[bool, Query(False, description="Only those without a corrective action request.")]
    = False,
):
    return selectors.nonconformities_for_user(request.auth, q=q, status=status or "", source=source or "",
                                              clause=clause, agency=agency, without_action=without_action)


@router.get("/nonconformities/{nonconformity_id}", response={200: NonconformityDetailOut, **ERRORS},
            summary="One nonconformity")
def nonconformity_detail(request, nonconformity_id: int):
    return selectors.nonconformity_get_for_user(request.auth, nonconformity_id)


# --- corrective actions ---------------------------------------------------------------------------


@router.get("/corrective-actions", response={200: list[CorrectiveActionOut], **ERRORS},
            summary="Corrective actions I can read")
@paginate(Pagination, max_limit=MAX_PAGE)
def corrective_action_list(
    request,
    q: Text = "",
    state: Annotated[Text, Query("", description=f"One of: {', '.join(selectors.ACTION_STATES)}.")] = "",
    agency: Annotated[Text, Query("", description="Agency code.")] = "",
):
    return selectors.corrective_actions_for_user(request.auth, q=q, state=state, agency=agency)


@router.get("/corrective-actions/{action_id}", response={200: CorrectiveActionDetailOut, **ERRORS},
            summary="One corrective action and its verifications")
def corrective_action_detail(request, action_id: int):
    return selectors.corrective_action_get_for_user(request.auth, action_id)


@router.post("/corrective-actions/{action_id}/verify", response={200: CorrectiveActionDetailOut, **ERRORS},
             summary="Verify effectiveness (not effective: the action is reopened)")
def corrective_action_verify(request, action_id: int, payload: VerifyIn):
    action = selectors.corrective_action_get_for_user(request.auth, action_id)
    if payload.effective is None:  # checked after the lookup: another agency's id is a 404 whatever the body
        message = _("Say whether the action was effective (true or false).")
        raise ValidationFailed(message, errors={"effective": [message]})
    services.corrective_action_verify(actor=request.auth, action=action, effective=payload.effective,
                                     note=payload.note, verified_on=payload.verified_on,
                                     new_due_on=payload.new_due_on)
    return selectors.corrective_action_get_for_user(request.auth, action_id)


@router.post("/corrective-actions/{action_id}/close", response={200: CorrectiveActionDetailOut, **ERRORS},
             summary="Close (409 unless a verification found it effective)")
def corrective_action_close(request, action_id: int):
    action = selectors.corrective_action_get_for_user(request.auth, action_id)
    services.corrective_action_close(actor=request.auth, action=action)
    return selectors.corrective_action_get_for_user(request.auth, action_id)


# --- risks ----------------------------------------------------------------------------------------


@router.get("/risks", response={200: list[RiskOut], **ERRORS}, summary="Risks and opportunities I can read")
@paginate(Pagination, max_limit=MAX_PAGE)
def risk_list(request, q: Text = "", kind: RiskKind | None = None, level: RiskLevel | None = None,
              agency: Annotated[Text, Query("", description="Agency code.")] = ""):
    return selectors.risks_for_user(request.auth, q=q, kind=kind or "", level=level or "", agency=agency)


@router.get("/risks/{risk_id}", response={200: RiskDetailOut, **ERRORS}, summary="One risk or opportunity")
def risk_detail(request, risk_id: int):
    return selectors.risk_get_for_user(request.auth, risk_id)
