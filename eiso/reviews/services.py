"""Writes of management reviews: prepare, start (freezing the inputs), record outputs, close the
meeting, approve the minutes; update an output's status, open a corrective action or an
objective from it. Each is atomic and audited; each checks the scope policy itself."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record
from eiso.core.errors import Conflict, ValidationFailed
from eiso.core.policy import require
from eiso.core.services import model_create, model_update
from eiso.improvements.choices import NonconformitySource
from eiso.improvements.services import corrective_action_create, nonconformity_create
from eiso.objectives.services import objective_create
from eiso.reviews.choices import (
    OPEN_OUTPUTS,
    REVIEW_TRANSITIONS,
    OutputStatus,
    ReviewAction,
    ReviewStatus,
)
from eiso.reviews.inputs import compile_inputs
from eiso.reviews.models import ManagementReview, ReviewOutput

REVIEW_CLAUSE = "9.3"
MEETING_FIELDS = ["location", "chair", "participants", "conclusions"]
INPUT_FIELDS = ["meeting_on", "period_start", "resources_note", "providers_note"]  # they feed the inputs
OUTPUT_MOVES = {
    OutputStatus.OPEN: frozenset({OutputStatus.IN_PROGRESS, OutputStatus.DONE, OutputStatus.CANCELLED}),
    OutputStatus.IN_PROGRESS: frozenset({OutputStatus.OPEN, OutputStatus.DONE, OutputStatus.CANCELLED}),
    OutputStatus.DONE: frozenset(),
    OutputStatus.CANCELLED: frozenset(),
}


def _invalid(field: str, message) -> ValidationFailed:
    return ValidationFailed(str(message), errors={field: [str(message)]})


def _person_of(agency, person, field: str):
    if person is not None and (person.agency is None or person.agency.pk != agency.pk):
        raise _invalid(field, _("This person does not work in the agency."))


def _strip(data: dict, *names) -> dict:
    return {k: (v.strip() if isinstance(v, str) and k in names else v) for k, v in data.items()}


def default_period_start(agency, meeting_on: datetime.date) -> datetime.date:
    """The day after the agency's previous review, or a year before the meeting without one."""
    previous = (ManagementReview.objects.filter(agency=agency, meeting_on__lt=meeting_on)
                .order_by("-meeting_on").values_list("meeting_on", flat=True).first())
    if previous is not None:
        return previous + datetime.timedelta(days=1)
    try:
        return meeting_on.replace(year=meeting_on.year - 1) + datetime.timedelta(days=1)
    except ValueError:  # 29 February
        return meeting_on.replace(year=meeting_on.year - 1, day=28) + datetime.timedelta(days=1)


def _check_dates(meeting_on, period_start):
    if meeting_on is None:
        raise _invalid("meeting_on", _("Enter the meeting date."))
    if not 2000 <= meeting_on.year <= 2999 or (period_start is not None and period_start.year < 2000):
        raise _invalid("meeting_on", _("Enter dates between 01/01/2000 and 31/12/2999."))
    if period_start is not None and period_start > meeting_on:
        raise _invalid("period_start", _("The inputs start on or before the meeting date."))
    if period_start is not None and (meeting_on - period_start).days > 3 * 366:
        raise _invalid("period_start", _("The inputs cover at most three years."))


@transaction.atomic
def review_create(*, actor, agency, meeting_on: datetime.date, period_start: datetime.date | None = None,
                  location: str = "", chair=None, participants: str = "", resources_note: str = "",
                  providers_note: str = "") -> ManagementReview:
    """Prepare the agency's management review: its inputs are compiled live until it starts."""
    require(actor, "reviews.add_review", agency)
    _check_dates(meeting_on, period_start)  # before the default start is computed from the meeting date
    _person_of(agency, chair, "chair")
    if ManagementReview.objects.filter(agency=agency).exclude(status=ReviewStatus.APPROVED).exists():
        raise Conflict(_("The agency already has a review under way: approve its minutes before preparing "
                         "the next one."), code="review_under_way")
    data = _strip({"agency": agency, "meeting_on": meeting_on,
                   "period_start": period_start or default_period_start(agency, meeting_on),
                   "location": location, "chair": chair, "participants": participants,
                   "resources_note": resources_note, "providers_note": providers_note,
                   "created_by": actor if getattr(actor, "pk", None) else None},
                  "location", "participants", "resources_note", "providers_note")
    _check_dates(data["meeting_on"], data["period_start"])
    return model_create(model=ManagementReview, actor=actor, data=data)


def _locked(review: ManagementReview) -> ManagementReview:
    return ManagementReview.objects.select_for_update().select_related("agency").get(pk=review.pk)


@transaction.atomic
def review_update(*, actor, review: ManagementReview, **data) -> ManagementReview:
    """Change the meeting's details; the date, the period and the entered inputs only while the
    review is prepared (once started its inputs are frozen); nothing once the minutes are closed."""
    locked = _locked(review)
    require(actor, "reviews.change_review", locked)
    if locked.status not in (ReviewStatus.PREPARING, ReviewStatus.IN_MEETING):
        raise Conflict(_("The minutes are closed: the review no longer changes."), code="wrong_status")
    fields = list(MEETING_FIELDS)
    if locked.status == ReviewStatus.PREPARING:
        fields += INPUT_FIELDS
    elif any(name in data and data[name] != getattr(locked, name) for name in INPUT_FIELDS):
        raise Conflict(_("The inputs were frozen when the meeting started; they no longer change."), code="frozen")
    data = _strip(data, "location", "participants", "conclusions", "resources_note", "providers_note")
    if "chair" in data:
        _person_of(locked.agency, data["chair"], "chair")
    _check_dates(data.get("meeting_on", locked.meeting_on), data.get("period_start", locked.period_start))
    updated, _changes = model_update(obj=locked, data=data, fields=fields, actor=actor)
    return updated


def _move(locked: ManagementReview, action: str, actor, changes: dict | None = None) -> None:
    allowed, target = REVIEW_TRANSITIONS[action]
    if locked.status not in allowed:
        raise Conflict(_("This review is %(status)s: it cannot be moved that way.")
                       % {"status": locked.get_status_display()}, code="wrong_status")
    before = locked.status
    locked.status = target
    audit_record(actor=actor, action=f"review_{action}", obj=locked,
                 changes={"status": [before, target], **(changes or {})})


@transaction.atomic
def review_start(*, actor, review: ManagementReview, now: datetime.datetime | None = None) -> ManagementReview:
    """The meeting starts: the inputs are compiled one last time, as ``actor`` reads them, and
    frozen in the review (later data never changes them). ``actor`` is a person, never None."""
    if actor is None:
        raise ValueError("review_start compiles the inputs as a person reads them: pass the actor")
    locked = _locked(review)
    require(actor, "reviews.change_review", locked)
    now = now or timezone.now()
    _move(locked, ReviewAction.START, actor)
    locked.inputs = compile_inputs(actor, locked, now=now)
    locked.frozen_at = now
    locked.save(update_fields=["status", "inputs", "frozen_at"])
    return locked


@transaction.atomic
def review_close(*, actor, review: ManagementReview, no_action_needed: bool = False,
                 conclusions: str | None = None) -> ManagementReview:
    """Close the meeting: its minutes await the head's approval. A review closes with at least one
    output, or with an explicit "no action needed"."""
    locked = _locked(review)
    require(actor, "reviews.change_review", locked)
    has_outputs = ReviewOutput.objects.filter(review=locked).exists()
    if not has_outputs and not no_action_needed:
        raise _invalid("no_action_needed", _("Record at least one output of the review, or state that no action "
                                             "is needed."))
    if has_outputs and no_action_needed:
        raise _invalid("no_action_needed", _("The review has outputs: it cannot also state that no action is "
                                             "needed."))
    fields = ["status", "no_action_needed"]
    if conclusions is not None:
        locked.conclusions = conclusions.strip()
        fields.append("conclusions")
    _move(locked, ReviewAction.CLOSE, actor, {"no_action_needed": [False, bool(no_action_needed)]})
    locked.no_action_needed = bool(no_action_needed)
    locked.save(update_fields=fields)
    return locked


@transaction.atomic
def review_approve(*, actor, review: ManagementReview, today: datetime.date | None = None) -> ManagementReview:
    """The agency head approves the minutes."""
    locked = _locked(review)
    require(actor, "reviews.approve_review", locked)
    _move(locked, ReviewAction.APPROVE, actor)
    locked.approved_on = today or timezone.localdate()
    locked.approved_by = actor if getattr(actor, "pk", None) else None
    locked.save(update_fields=["status", "approved_on", "approved_by"])
    return locked


# --- outputs ----------------------------------------------------------------------------------------


@transaction.atomic
def output_create(*, actor, review: ManagementReview, kind: str, description: str, due_on: datetime.date,
                  owner=None) -> ReviewOutput:
    """Record a decision of the meeting (9.3.3) with its owner and due date."""
    locked = _locked(review)
    require(actor, "reviews.change_review", locked)
    if locked.status != ReviewStatus.IN_MEETING:
        raise Conflict(_("Outputs are recorded during the meeting: start it first, and record them before "
                         "closing it."), code="wrong_status")
    if locked.no_action_needed:
        raise Conflict(_("The review stated that no action is needed."), code="no_action_needed")
    _person_of(locked.agency, owner, "owner")
    if due_on is not None and due_on < locked.meeting_on:
        raise _invalid("due_on", _("The due date is on or after the meeting date."))
    output = model_create(model=ReviewOutput, actor=actor, data={
        "review": locked, "kind": kind, "description": (description or "").strip(), "owner": owner,
        "due_on": due_on})
    return output


def _locked_output(output: ReviewOutput) -> ReviewOutput:
    return ReviewOutput.objects.select_for_update(of=("self",)).select_related(
        "review", "review__agency", "owner").get(pk=output.pk)


@transaction.atomic
def output_set_status(*, actor, output: ReviewOutput, status: str, note: str = "",
                      done_on: datetime.date | None = None) -> ReviewOutput:
    """Move an output on: in progress, done (on a day) or cancelled (with a reason)."""
    locked = _locked_output(output)
    require(actor, "reviews.update_output", locked)
    if status not in OUTPUT_MOVES:
        raise _invalid("status", _("Choose one of the statuses."))
    if status == locked.status:
        raise Conflict(_("The output already has this status."), code="same_status")
    if status not in OUTPUT_MOVES[locked.status]:
        raise Conflict(_("A finished output (done or cancelled) no longer changes."), code="wrong_status")
    note = (note or "").strip()
    if status == OutputStatus.CANCELLED and not note:
        raise _invalid("note", _("Say why the output is cancelled."))
    today = timezone.localdate()
    if status == OutputStatus.DONE:
        done_on = done_on or today
        if done_on > today:
            raise _invalid("done_on", _("The day it was done cannot be in the future."))
        if done_on < locked.review.meeting_on:
            raise _invalid("done_on", _("The day it was done is on or after the meeting date."))
    else:
        done_on = None
    data = {"status": status, "done_on": done_on}
    if note:
        data["note"] = note
    updated, _changes = model_update(obj=locked, data=data, fields=["status", "done_on", "note"], actor=actor,
                                     action="output_status")
    return updated


def _not_linked(locked: ReviewOutput):
    if locked.nonconformity_id or locked.objective_id:
        raise Conflict(_("This output already opened a corrective action or an objective."), code="exists")
    if locked.status not in OPEN_OUTPUTS:
        raise Conflict(_("Only an open output opens a corrective action or an objective."), code="wrong_status")


@transaction.atomic
def output_open_corrective_action(*, actor, output: ReviewOutput, root_cause: str,
                                  today: datetime.date | None = None):
    """Open a corrective action from an output: a nonconformity (source: management review,
    clause 9.3) answered at once by an action whose plan is the decision, owner and due date the
    output's. The output follows it (in progress)."""
    locked = _locked_output(output)
    require(actor, "reviews.change_review", locked.review)
    _not_linked(locked)
    if locked.owner_id is None:
        raise _invalid("owner", _("Give the output an owner first: the corrective action needs one."))
    root_cause = (root_cause or "").strip()
    if not root_cause:
        raise _invalid("root_cause", _("State the cause the action removes."))
    review = locked.review
    nc = nonconformity_create(
        actor=actor, agency=review.agency, source=NonconformitySource.MANAGEMENT_REVIEW, clause=REVIEW_CLAUSE,
        description=_("Decision of the management review of %(date)s: %(text)s")
        % {"date": review.meeting_on.strftime("%d/%m/%Y"), "text": locked.description},
        detected_on=today or timezone.localdate())
    corrective_action_create(actor=actor, nonconformity=nc, root_cause=root_cause, action_plan=locked.description,
                             owner=locked.owner, due_on=max(locked.due_on, today or timezone.localdate()))
    before = locked.status
    locked.nonconformity = nc
    locked.status = OutputStatus.IN_PROGRESS
    locked.save(update_fields=["nonconformity", "status"])
    audit_record(actor=actor, action="output_corrective_action", obj=locked, agency=review.agency_id,
                 changes={"nonconformity": [None, nc.code], "status": [before, locked.status]})
    return nc


@transaction.atomic
def output_open_objective(*, actor, output: ReviewOutput, indicator: str, target, comparator: str = "gte",
                          frequency: str = "quarter", year: int | None = None, unit_of_measure: str = "%"):
    """Draft a quality objective from an output (the head approves it on the objectives page)."""
    locked = _locked_output(output)
    require(actor, "reviews.change_review", locked.review)
    _not_linked(locked)
    review = locked.review
    objective = objective_create(
        actor=actor, agency=review.agency, year=year or locked.due_on.year, title=locked.description[:300],
        indicator=indicator, comparator=comparator, target=target, frequency=frequency,
        unit_of_measure=unit_of_measure, owner=locked.owner,
        plan_what=locked.description, plan_when=locked.due_on.strftime("%d/%m/%Y"))
    before = locked.status
    locked.objective = objective
    locked.status = OutputStatus.IN_PROGRESS
    locked.save(update_fields=["objective", "status"])
    audit_record(actor=actor, action="output_objective", obj=locked, agency=review.agency_id,
                 changes={"objective": [None, objective.title], "status": [before, locked.status]})
    return objective
