"""The API of conformity announcements, their renewal status and the moves between ISO 9001
editions (django-ninja), mounted by eiso.api. Reads through the selectors (``renewal``,
``transitions``), writes through the services (``announcements``, ``transitions``): the same
functions the pages call."""

import datetime
from typing import Annotated

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from eiso.audits import selectors as audit_selectors
from eiso.core.glossary import codes_described
from eiso.documents.api import PersonRef
from eiso.organizations.api import ERRORS, MAX_PAGE, AgencyRef, Body, Day, Pagination, Text, field_error
from eiso.organizations.models import User
from eiso.rollout import announcements, renewal, transitions
from eiso.rollout.choices import AnnouncementStatus, RenewalReason, TransitionStatus
from eiso.rollout.preconditions import check_all

router = Router(tags=["announcements"])


# --- schemas --------------------------------------------------------------------------------------------

class ScopeProcedureOut(Schema):
    code: str
    name: str
    field: str = ""


class ScopeUnitOut(Schema):
    id: int
    name: str


class CheckOut(Schema):
    code: str
    label: str
    ok: bool
    detail: str


class AnnouncementOut(Schema):
    id: int
    agency: AgencyRef
    status: str = Field(description=codes_described(AnnouncementStatus))
    number: str
    signed_on: datetime.date | None
    signer_name: str
    edition: str | None = Field(description="The ISO 9001 edition announced (frozen at signature).")
    posted_where: str
    posted_on: datetime.date | None
    notice_number: str
    notice_date: datetime.date | None
    superseded_by: int | None
    url: str

    @staticmethod
    def resolve_edition(obj) -> str | None:
        return obj.edition.code if obj.edition_id else None

    @staticmethod
    def resolve_superseded_by(obj) -> int | None:
        return obj.superseded_by_id

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("rollout:announcement-detail", args=[obj.pk])


class AnnouncementDetailOut(AnnouncementOut):
    agency_name: str = Field(description="The agency's name at signature.")
    processes: list[str]
    review_held_on: datetime.date | None
    effectiveness_confirmed_at: datetime.datetime | None
    scope_procedures: list[ScopeProcedureOut] = Field(description="The TTHC covered, frozen at signature.")
    scope_units: list[ScopeUnitOut]
    preconditions: list[CheckOut] = Field(description="Frozen at signature; checked live while a draft.")

    @staticmethod
    def resolve_preconditions(obj) -> list:
        if obj.status == AnnouncementStatus.DRAFT:
            return [c.as_dict() for c in check_all(obj)]
        return obj.preconditions


class ReasonOut(Schema):
    kind: str = Field(description=codes_described(RenewalReason))
    label: str
    items: list[str] = Field(description="TTHC codes added or removed; old and new name or edition; the agencies "
                                         "merged.")


class StatusOut(Schema):
    agency: AgencyRef
    due: bool
    reasons: list[ReasonOut]
    announcement: AnnouncementOut | None = Field(description="The announcement in force, if any.")


class AnnouncementIn(Body):
    processes: list[Text] = Field([], max_length=100, description="The internal processes covered.")
    review_held_on: Day | None = Field(None, description="Date of the last management review.")


class IssueIn(Body):
    number: Text = Field("", max_length=60, description="Number and symbol, e.g. 15/QĐ-SNV.")
    signed_on: Day | None = None


class PostingIn(Body):
    posted_where: Text = Field("", max_length=300)
    posted_on: Day | None = None


class NoticeIn(Body):
    notice_number: Text = Field("", max_length=60)
    notice_date: Day | None = None


class TransitionTaskOut(Schema):
    id: int
    clause: str
    change: str
    title: str
    note: str
    owner: PersonRef | None
    due_on: datetime.date
    done_on: datetime.date | None


class EditionTransitionOut(Schema):
    id: int
    agency: AgencyRef
    from_edition: str
    to_edition: str
    started_on: datetime.date
    deadline: datetime.date
    status: str = Field(description=codes_described(TransitionStatus))
    completed_on: datetime.date | None
    tasks: list[TransitionTaskOut]
    url: str

    @staticmethod
    def resolve_from_edition(obj) -> str:
        return obj.from_edition.code

    @staticmethod
    def resolve_to_edition(obj) -> str:
        return obj.to_edition.code

    @staticmethod
    def resolve_tasks(obj) -> list:
        return list(transitions.transition_tasks_of(obj))

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("rollout:transition-detail", args=[obj.pk])


class EditionTransitionIn(Body):
    to_edition: Text = Field(pattern=r"^\d{4}$", description="The edition to move to: 2026.")
    started_on: Day
    deadline: Day
    owner: int | None = Field(None, ge=1, le=2**31 - 1, description="Who owns the tasks (a person of the agency); "
                                                                   "you by default.")


class CompleteIn(Body):
    completed_on: Day | None = Field(None, description="From when the agency follows the new edition; today "
                                                       "by default.")


class TransitionTaskIn(Body):
    owner: int | None = Field(None, ge=1, le=2**31 - 1)
    due_on: Day | None = None


class TaskDoneIn(Body):
    done: bool = True


def _own_agency(user):
    if user.agency is None:
        raise field_error("agency", _("You do not belong to an agency."))
    return user.agency


def _person(user, agency, pk):
    if pk is None:
        return None
    person = User.objects.filter(pk=pk, memberships__agency=agency).distinct().first()
    if person is None:
        raise field_error("owner", _("The owner must work in the agency."))
    return person


def _reasons(reasons: list[dict]) -> list[dict]:
    return [{**r, "label": str(RenewalReason(r["kind"]).label)} for r in reasons]


# --- announcements ----------------------------------------------------------------------------------------

@router.get("/announcements", response={200: list[AnnouncementOut], **ERRORS},
            summary="Conformity announcements I can read")
@paginate(Pagination, max_limit=MAX_PAGE)
def announcement_list(request, status: AnnouncementStatus | None = None, q: Text = "",
                      agency: Annotated[Text, Query("", description="Agency code.")] = ""):
    return renewal.announcements_for_user(request.auth, agency=agency, status=status or "", q=q)


@router.post("/announcements", response={201: AnnouncementDetailOut, **ERRORS},
             summary="Prepare the conformity announcement of my agency (a draft the head signs)")
def announcement_create(request, payload: AnnouncementIn):
    user = request.auth
    draft = announcements.announcement_prepare(actor=user, agency=_own_agency(user), processes=payload.processes,
                                               review_held_on=payload.review_held_on)
    return Status(201, renewal.announcement_get_for_user(user, draft.pk))


@router.get("/announcements/status", response={200: StatusOut, **ERRORS},
            summary="Is a new announcement due, and why (computed from the frozen scope and the live data)")
def announcement_status(request, agency: Annotated[Text, Query("", description="Agency code or id; mine by "
                                                                                "default.")] = ""):
    user = request.auth
    target = renewal.agency_for_status(user, agency) if agency else _own_agency(user)
    status = renewal.renewal_status(target)
    return {**status, "reasons": _reasons(status["reasons"])}


@router.get("/announcements/{announcement_id}", response={200: AnnouncementDetailOut, **ERRORS},
            summary="One announcement: its frozen scope and the preconditions")
def announcement_detail(request, announcement_id: int):
    return renewal.announcement_get_for_user(request.auth, announcement_id)


@router.patch("/announcements/{announcement_id}", response={200: AnnouncementDetailOut, **ERRORS},
              summary="Change a draft announcement (processes, last management review)")
def announcement_update(request, announcement_id: int, payload: AnnouncementIn):
    user = request.auth
    announcement = renewal.announcement_get_for_user(user, announcement_id)
    announcements.announcement_update(actor=user, announcement=announcement, processes=payload.processes,
                                      review_held_on=payload.review_held_on)
    return renewal.announcement_get_for_user(user, announcement_id)


@router.post("/announcements/{announcement_id}/confirm-effectiveness", response={200: AnnouncementDetailOut, **ERRORS},
             summary="The agency head confirms the QMS effective")
def announcement_confirm(request, announcement_id: int):
    user = request.auth
    announcements.announcement_confirm_effectiveness(
        actor=user, announcement=renewal.announcement_get_for_user(user, announcement_id))
    return renewal.announcement_get_for_user(user, announcement_id)


@router.post("/announcements/{announcement_id}/issue", response={200: AnnouncementDetailOut, **ERRORS},
             summary="The agency head signs: preconditions checked, scope frozen, the previous one superseded")
def announcement_issue(request, announcement_id: int, payload: IssueIn):
    user = request.auth
    announcements.announcement_issue(actor=user, announcement=renewal.announcement_get_for_user(user, announcement_id),
                                     number=payload.number, signed_on=payload.signed_on)
    return renewal.announcement_get_for_user(user, announcement_id)


@router.post("/announcements/{announcement_id}/posting", response={200: AnnouncementDetailOut, **ERRORS},
             summary="Where and when the announcement was posted")
def announcement_posting(request, announcement_id: int, payload: PostingIn):
    user = request.auth
    announcements.announcement_record_posting(
        actor=user, announcement=renewal.announcement_get_for_user(user, announcement_id),
        posted_where=payload.posted_where, posted_on=payload.posted_on)
    return renewal.announcement_get_for_user(user, announcement_id)


@router.post("/announcements/{announcement_id}/notice", response={200: AnnouncementDetailOut, **ERRORS},
             summary="The written notice to the Department of Science and Technology")
def announcement_notice(request, announcement_id: int, payload: NoticeIn):
    user = request.auth
    announcements.announcement_record_notice(
        actor=user, announcement=renewal.announcement_get_for_user(user, announcement_id),
        notice_number=payload.notice_number, notice_date=payload.notice_date)
    return renewal.announcement_get_for_user(user, announcement_id)


# --- moves between editions -----------------------------------------------------------------------------

@router.get("/transitions", response={200: list[EditionTransitionOut], **ERRORS},
            summary="Moves to another ISO 9001 edition that I can read", tags=["editions"])
@paginate(Pagination, max_limit=MAX_PAGE)
def transition_list(request, status: TransitionStatus | None = None,
                    agency: Annotated[Text, Query("", description="Agency code.")] = ""):
    return transitions.transitions_for_user(request.auth, agency=agency, status=status or "")


@router.post("/transitions", response={201: EditionTransitionOut, **ERRORS}, tags=["editions"],
             summary="Start moving my agency to a later edition: the checklist comes from the correspondence")
def transition_create(request, payload: EditionTransitionIn):
    user = request.auth
    agency = _own_agency(user)
    transition = transitions.transition_start(
        actor=user, agency=agency, to_edition=audit_selectors.edition_get(payload.to_edition),
        started_on=payload.started_on, deadline=payload.deadline, owner=_person(user, agency, payload.owner))
    return Status(201, transitions.transition_get_for_user(user, transition.pk))


@router.get("/transitions/{transition_id}", response={200: EditionTransitionOut, **ERRORS}, tags=["editions"],
            summary="One move between editions, with its tasks")
def transition_detail(request, transition_id: int):
    return transitions.transition_get_for_user(request.auth, transition_id)


@router.post("/transitions/{transition_id}/complete", response={200: EditionTransitionOut, **ERRORS}, tags=["editions"],
             summary="Every task done: the agency follows the new edition; open audits are re-linked")
def transition_complete(request, transition_id: int, payload: CompleteIn):
    user = request.auth
    transitions.transition_complete(actor=user, transition=transitions.transition_get_for_user(user, transition_id),
                                    completed_on=payload.completed_on)
    return transitions.transition_get_for_user(user, transition_id)


@router.patch("/transition-tasks/{task_id}", response={200: TransitionTaskOut, **ERRORS}, tags=["editions"],
              summary="Change a task's owner and due date")
def transition_task_update(request, task_id: int, payload: TransitionTaskIn):
    user = request.auth
    task = transitions.transition_task_get_for_user(user, task_id)
    return transitions.transition_task_update(actor=user, task=task,
                                              owner=_person(user, task.transition.agency, payload.owner),
                                              due_on=payload.due_on)


@router.post("/transition-tasks/{task_id}/done", response={200: TransitionTaskOut, **ERRORS}, tags=["editions"],
             summary="Tick a task off (done: false ticks it back on)")
def transition_task_done(request, task_id: int, payload: TaskDoneIn):
    user = request.auth
    task = transitions.transition_task_get_for_user(user, task_id)
    return transitions.transition_task_done(actor=user, task=task, done=payload.done)
