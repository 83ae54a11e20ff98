"""The move of an agency to a later ISO 9001 edition: reads and writes.

Starting a transition generates its checklist from the correspondence between the editions
(``eiso.audits.clauses.transition_tasks``): one task per new or changed clause, owned by the person
who starts it unless another is named, dated evenly up to the deadline. Completing it, once every
task is done, records the new edition for the agency (``audits.services.edition_adopt``), which
re-links the open audits' questions and findings to the new clause numbers; the conformity
announcement then says a renewal is due (edition changed)."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.audits import services as audit_services
from eiso.audits.clauses import transition_tasks
from eiso.audits.selectors import current_edition
from eiso.core.audit import audit_record
from eiso.core.errors import Conflict, ValidationFailed
from eiso.core.policy import require
from eiso.core.selectors import by_agency, get_or_404
from eiso.core.services import model_create, model_update
from eiso.organizations.models import Membership
from eiso.rollout.choices import TransitionStatus
from eiso.rollout.models import EditionTransition, TransitionTask
from eiso.rollout.permissions import policy


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors={field: [message]})


# --- reads ---------------------------------------------------------------------------------------------

def transitions_for_user(user, *, agency: str = "", status: str = ""):
    qs = (policy.filter(user, "view_editiontransition", EditionTransition.objects)
          .select_related("agency", "from_edition", "to_edition", "started_by"))
    qs = by_agency(qs, agency)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("agency__name", "-started_on", "-id")


def transition_get_for_user(user, pk) -> EditionTransition:
    return get_or_404(transitions_for_user(user), pk)


def transition_task_get_for_user(user, pk) -> TransitionTask:
    return get_or_404(policy.filter(user, "view_editiontransition", TransitionTask.objects)
                      .select_related("transition__agency", "owner"), pk)


def transition_tasks_of(transition):
    return transition.tasks.select_related("owner", "done_by").order_by("due_on", "id")


def transition_progress(transition) -> dict:
    tasks = list(transition.tasks.all())
    done = sum(1 for t in tasks if t.done_on)
    today = timezone.localdate()
    late = sum(1 for t in tasks if not t.done_on and t.due_on < today)
    return {"total": len(tasks), "done": done, "late": late,
            "percent": round(100 * done / len(tasks)) if tasks else 100}


def _member_of(agency, person) -> bool:
    today = timezone.localdate()
    return person is not None and Membership.objects.filter(
        Q(valid_to=None) | Q(valid_to__gte=today), agency=agency, user=person).exists()


# --- writes --------------------------------------------------------------------------------------------

def _spread(start: datetime.date, deadline: datetime.date, n: int) -> list[datetime.date]:
    """``n`` due dates spread evenly after ``start``, the last on ``deadline``."""
    span = (deadline - start).days
    return [start + datetime.timedelta(days=round(span * (i + 1) / n)) for i in range(n)]


@transaction.atomic
def transition_start(*, actor, agency, to_edition, started_on: datetime.date, deadline: datetime.date,
                     owner=None) -> EditionTransition:
    require(actor, "rollout.change_editiontransition", agency)
    current = current_edition(agency)
    if to_edition is None or to_edition.pk == current.pk:
        raise _invalid("to_edition", _("The agency already follows %(name)s.") % {"name": current.name})
    if to_edition.code < current.code:
        raise _invalid("to_edition", _("An agency moves only to a later edition: it follows %(name)s.")
                       % {"name": current.name})
    if started_on is None or deadline is None:
        raise _invalid("deadline" if started_on else "started_on", _("Give the start and the deadline."))
    if deadline < started_on:
        raise _invalid("deadline", _("The deadline cannot come before the start."))
    if deadline > started_on + datetime.timedelta(days=5 * 366):
        raise _invalid("deadline", _("A transition lasts at most five years."))
    if EditionTransition.objects.filter(agency=agency, status=TransitionStatus.IN_PROGRESS).exists():
        raise Conflict(_("The agency is already moving to another edition."))
    owner = owner or (actor if getattr(actor, "pk", None) else None)
    if owner is not None and not _member_of(agency, owner):
        raise _invalid("owner", _("The owner must work in the agency."))
    transition = model_create(model=EditionTransition, actor=actor, data={
        "agency": agency, "from_edition": current, "to_edition": to_edition, "started_on": started_on,
        "deadline": deadline, "started_by": actor if getattr(actor, "pk", None) else None})
    tasks = transition_tasks(current.code, to_edition.code)
    dates = _spread(started_on, deadline, len(tasks)) if tasks else []
    TransitionTask.objects.bulk_create([
        TransitionTask(transition=transition, clause=t["clause"], change=t["change"], title=t["title"][:300],
                       note=t["note"][:500], owner=owner, due_on=day) for t, day in zip(tasks, dates, strict=True)])
    return transition


def _open(transition: EditionTransition) -> EditionTransition:
    transition = EditionTransition.objects.select_for_update().get(pk=transition.pk)
    if transition.status != TransitionStatus.IN_PROGRESS:
        raise Conflict(_("The transition is completed: it does not change any more."))
    return transition


@transaction.atomic
def transition_task_update(*, actor, task: TransitionTask, owner, due_on: datetime.date) -> TransitionTask:
    require(actor, "rollout.change_editiontransition", task)
    transition = _open(task.transition)
    if owner is not None and not _member_of(transition.agency, owner):
        raise _invalid("owner", _("The owner must work in the agency."))
    if due_on is None:
        raise _invalid("due_on", _("Give the due date."))
    if due_on < transition.started_on:
        raise _invalid("due_on", _("The due date cannot come before the start of the transition."))
    return model_update(obj=task, data={"owner": owner, "due_on": due_on}, fields=["owner", "due_on"],
                        actor=actor)[0]


@transaction.atomic
def transition_task_done(*, actor, task: TransitionTask, done: bool = True) -> TransitionTask:
    """Tick a task off (or back on): its owner, the secretary or the head."""
    require(actor, "rollout.do_transitiontask", task)
    _open(task.transition)
    data = {"done_on": timezone.localdate() if done else None,
            "done_by": (actor if getattr(actor, "pk", None) else None) if done else None}
    return model_update(obj=task, data=data, fields=list(data), actor=actor)[0]


@transaction.atomic
def transition_complete(*, actor, transition: EditionTransition, completed_on: datetime.date | None = None
                        ) -> EditionTransition:
    """Every task done: the agency follows the new edition from ``completed_on`` (today by default)."""
    require(actor, "rollout.change_editiontransition", transition)
    transition = _open(transition)
    completed_on = completed_on or timezone.localdate()
    if completed_on > timezone.localdate():
        raise _invalid("completed_on", _("The date cannot be in the future."))
    if completed_on < transition.started_on:
        raise _invalid("completed_on", _("The date cannot come before the start of the transition."))
    open_tasks = list(transition.tasks.filter(done_on=None).order_by("due_on").values_list("clause", flat=True))
    if open_tasks:
        raise Conflict(_("Tasks still open for clauses %(codes)s: finish them first.") % {
            "codes": ", ".join(open_tasks)})
    adoption = audit_services.edition_adopt(actor=actor, agency=transition.agency, edition=transition.to_edition,
                                            adopted_on=completed_on, note=_("Transition %(t)s") % {"t": transition})
    transition.status = TransitionStatus.COMPLETED
    transition.completed_on = completed_on
    transition.save(update_fields=["status", "completed_on"])
    audit_record(actor=actor, action="update", obj=transition, agency=transition.agency,
                 changes={"status": [TransitionStatus.IN_PROGRESS, TransitionStatus.COMPLETED],
                          "relinked": adoption.relinked})
    return transition
