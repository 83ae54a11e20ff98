"""The management review API (django-ninja), mounted by eiso.api: reviews with their inputs
(compiled live until the meeting starts, then the frozen snapshot) and outputs, and every move
the pages offer. Reads through the selectors, writes through the services."""

import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from eiso.documents.api import PersonRef
from eiso.objectives.choices import Comparator, Frequency, IndicatorCode
from eiso.organizations import selectors as org_selectors
from eiso.organizations.api import ERRORS, MAX_PAGE, AgencyRef, Body, Day, Pagination, Text, field_error
from eiso.reviews import selectors, services
from eiso.reviews.choices import OutputKind, OutputStatus, ReviewStatus
from eiso.reviews.inputs import compile_inputs
from eiso.reviews.models import ManagementReview, ReviewOutput

router = Router(tags=["management reviews"])


class OutputOut(Schema):
    id: int
    review_id: int
    kind: str = Field(description=f"One of: {', '.join(OutputKind.values)} (ISO 9001 9.3.3 a–c).")
    description: str
    owner: PersonRef | None
    due_on: datetime.date
    status: str = Field(description=f"One of: {', '.join(OutputStatus.values)}.")
    done_on: datetime.date | None
    note: str
    nonconformity_code: str | None
    objective_id: int | None

    @staticmethod
    def resolve_nonconformity_code(obj: ReviewOutput):
        return obj.nonconformity.code if obj.nonconformity_id else None


class ReviewOut(Schema):
    id: int
    agency: AgencyRef
    meeting_on: datetime.date
    period_start: datetime.date
    location: str
    chair: PersonRef | None
    participants: list[str]
    status: str = Field(description=f"One of: {', '.join(ReviewStatus.values)}.")
    no_action_needed: bool
    frozen_at: datetime.datetime | None
    approved_on: datetime.date | None
    url: str

    @staticmethod
    def resolve_participants(obj: ManagementReview) -> list[str]:
        return [p.strip() for p in obj.participants.splitlines() if p.strip()]

    @staticmethod
    def resolve_url(obj: ManagementReview) -> str:
        return reverse("reviews:review-detail", args=[obj.pk])


class ReviewDetailOut(ReviewOut):
    resources_note: str
    providers_note: str
    conclusions: str
    frozen: bool = Field(description="True once the meeting started: ``inputs`` is then the stored snapshot.")
    inputs: dict[str, Any] = Field(description=(
        "Compiled by the system, grouped as ISO 9001 9.3.2: a_previous (outputs of earlier reviews and their "
        "status), b_changes, c1_satisfaction … c7_providers, d_resources, e_risks, f_opportunities."))
    outputs: list[OutputOut]

    @staticmethod
    def resolve_outputs(obj: ManagementReview):
        return obj.outputs_list


class ReviewIn(Body):
    meeting_on: Day
    period_start: Day | None = Field(None, description="Default: the day after the last review, or a year before.")
    location: Text = Field("", max_length=200)
    chair_id: int | None = Field(None, description="A person of your agency (user id).")
    participants: list[Text] = Field(default_factory=list, max_length=200)
    resources_note: Text = Field("", max_length=8000, description="Adequacy of resources (9.3.2 d).")
    providers_note: Text = Field("", max_length=8000, description="Consultant and other external providers.")


class ReviewPatch(Body):
    meeting_on: Day | None = None
    period_start: Day | None = None
    location: Text | None = Field(None, max_length=200)
    chair_id: int | None = None
    participants: list[Text] | None = Field(None, max_length=200)
    resources_note: Text | None = Field(None, max_length=8000)
    providers_note: Text | None = Field(None, max_length=8000)
    conclusions: Text | None = Field(None, max_length=20000)


class OutputIn(Body):
    kind: OutputKind | None = Field(None, description="Required.")
    description: Text = Field("", max_length=4000, description="Required: the decision.")
    owner_id: int | None = Field(None, description="A person of the agency (user id).")
    due_on: Day | None = Field(None, description="Required, on or after the meeting date.")


class CloseIn(Body):
    no_action_needed: bool = Field(False, description="Required true when the review has no output.")
    conclusions: Text | None = Field(None, max_length=20000)


class OutputStatusIn(Body):
    status: OutputStatus | None = Field(None, description="Required.")
    note: Text = Field("", max_length=4000, description="Required to cancel.")
    done_on: Day | None = Field(None, description="When done; default today.")


class CorrectiveActionIn(Body):
    root_cause: Text = Field("", max_length=4000, description="Required: the cause the action removes.")


class ObjectiveIn(Body):
    indicator: IndicatorCode | None = Field(None, description="Required.")
    comparator: Comparator = Comparator.GTE
    target: Decimal | None = Field(None, max_digits=9, decimal_places=2, description="Required.")
    unit_of_measure: Text = Field("%", max_length=30)
    frequency: Frequency = Frequency.QUARTER
    year: int | None = Field(None, ge=2000, le=2999, description="Default: the year of the output's due date.")


def _person(user, agency, person_id: int | None, field: str):
    if person_id is None:
        return None
    person = org_selectors.users_for_user(user, agency=str(agency.pk), active="1").filter(pk=person_id).first()
    if person is None:
        raise field_error(field, _("This person does not work in the agency."))
    return person


def _detail(user, review: ManagementReview) -> ManagementReview:
    review = selectors.review_get_for_user(user, review.pk)
    review.frozen = review.inputs is not None
    if not review.frozen:
        review.inputs = compile_inputs(user, review)
    review.outputs_list = list(selectors.outputs_of(review))
    return review


@router.get("/management-reviews", response={200: list[ReviewOut], **ERRORS}, summary="Management reviews I can read")
@paginate(Pagination, max_limit=MAX_PAGE)
def review_list(request, year: Annotated[int | None, Query(None, ge=2000, le=2999)] = None,
                status: Annotated[ReviewStatus | None, Query(None)] = None,
                agency: Annotated[Text, Query("", description="Agency code or id.")] = ""):
    return selectors.reviews_for_user(request.auth, year=year, status=status or "", agency=agency)


@router.post("/management-reviews", response={201: ReviewDetailOut, **ERRORS}, summary="Prepare a management review")
def review_create(request, payload: ReviewIn):
    user = request.auth
    agency = user.agency
    if agency is None:
        raise field_error("agency", _("You do not belong to an agency, so you cannot prepare its review."))
    review = services.review_create(
        actor=user, agency=agency, meeting_on=payload.meeting_on, period_start=payload.period_start,
        location=payload.location, chair=_person(user, agency, payload.chair_id, "chair_id"),
        participants="\n".join(payload.participants), resources_note=payload.resources_note,
        providers_note=payload.providers_note)
    return Status(201, _detail(user, review))


@router.get("/management-reviews/{review_id}", response={200: ReviewDetailOut, **ERRORS},
            summary="One management review with its inputs and outputs")
def review_detail(request, review_id: int):
    return _detail(request.auth, selectors.review_get_for_user(request.auth, review_id))


@router.patch("/management-reviews/{review_id}", response={200: ReviewDetailOut, **ERRORS},
              summary="Change a review's details (the inputs' fields only before the meeting starts)")
def review_update(request, review_id: int, payload: ReviewPatch):
    user = request.auth
    review = selectors.review_get_for_user(user, review_id)
    data = payload.model_dump(exclude_unset=True)
    if "chair_id" in data:
        data["chair"] = _person(user, review.agency, data.pop("chair_id"), "chair_id")
    if data.get("participants") is not None:
        data["participants"] = "\n".join(data["participants"])
    for name in ("meeting_on", "location", "participants", "resources_note", "providers_note", "conclusions"):
        if name in data and data[name] is None:
            raise field_error(name, _("This field cannot be empty."))
    services.review_update(actor=user, review=review, **data)
    return _detail(user, review)


@router.post("/management-reviews/{review_id}/start", response={200: ReviewDetailOut, **ERRORS},
             summary="Start the meeting: the inputs are compiled and frozen")
def review_start(request, review_id: int):
    review = selectors.review_get_for_user(request.auth, review_id)
    services.review_start(actor=request.auth, review=review)
    return _detail(request.auth, review)


@router.post("/management-reviews/{review_id}/outputs", response={201: OutputOut, **ERRORS},
             summary="Record an output of the review (9.3.3)")
def review_addoutput(request, review_id: int, payload: OutputIn):
    user = request.auth
    review = selectors.review_get_for_user(user, review_id)
    if payload.kind is None:
        raise field_error("kind", _("Choose the kind of output."))
    if not payload.description.strip():
        raise field_error("description", _("State the decision."))
    if payload.due_on is None:
        raise field_error("due_on", _("Enter the due date."))
    output = services.output_create(actor=user, review=review, kind=payload.kind, description=payload.description,
                                    owner=_person(user, review.agency, payload.owner_id, "owner_id"),
                                    due_on=payload.due_on)
    return Status(201, selectors.output_get_for_user(user, output.pk))


@router.post("/management-reviews/{review_id}/close", response={200: ReviewDetailOut, **ERRORS},
             summary="Close the meeting (≥ 1 output or no_action_needed): the minutes await approval")
def review_close(request, review_id: int, payload: CloseIn):
    review = selectors.review_get_for_user(request.auth, review_id)
    services.review_close(actor=request.auth, review=review, no_action_needed=payload.no_action_needed,
                          conclusions=payload.conclusions)
    return _detail(request.auth, review)


@router.post("/management-reviews/{review_id}/approve", response={200: ReviewDetailOut, **ERRORS},
             summary="Approve the minutes (the agency head)")
def review_approve(request, review_id: int):
    review = selectors.review_get_for_user(request.auth, review_id)
    services.review_approve(actor=request.auth, review=review)
    return _detail(request.auth, review)


@router.get("/review-outputs/{output_id}", response={200: OutputOut, **ERRORS}, summary="One output of a review")
def output_detail(request, output_id: int):
    return selectors.output_get_for_user(request.auth, output_id)


@router.post("/review-outputs/{output_id}/status", response={200: OutputOut, **ERRORS},
             summary="Move an output on: in progress, done or cancelled")
def output_status(request, output_id: int, payload: OutputStatusIn):
    user = request.auth
    output = selectors.output_get_for_user(user, output_id)
    if payload.status is None:
        raise field_error("status", _("Choose one of the statuses."))
    services.output_set_status(actor=user, output=output, status=payload.status, note=payload.note,
                               done_on=payload.done_on)
    return selectors.output_get_for_user(user, output_id)


@router.post("/review-outputs/{output_id}/corrective-action", response={200: OutputOut, **ERRORS},
             summary="Open a corrective action (with its nonconformity) from an output")
def output_corrective_action(request, output_id: int, payload: CorrectiveActionIn):
    user = request.auth
    output = selectors.output_get_for_user(user, output_id)
    services.output_open_corrective_action(actor=user, output=output, root_cause=payload.root_cause)
    return selectors.output_get_for_user(user, output_id)


@router.post("/review-outputs/{output_id}/objective", response={200: OutputOut, **ERRORS},
             summary="Draft a quality objective from an output")
def output_objective(request, output_id: int, payload: ObjectiveIn):
    user = request.auth
    output = selectors.output_get_for_user(user, output_id)
    if payload.indicator is None:
        raise field_error("indicator", _("Choose the indicator."))
    if payload.target is None:
        raise field_error("target", _("Enter the target."))
    services.output_open_objective(actor=user, output=output, indicator=payload.indicator, target=payload.target,
                                   comparator=payload.comparator, frequency=payload.frequency, year=payload.year,
                                   unit_of_measure=payload.unit_of_measure)
    return selectors.output_get_for_user(user, output_id)
