"""What the people app shows in earlier apps' pages (``eiso.core.panels``): under an audit's team,
each member's training; the details to those who may read the person's training record, to
others only whether internal auditor training is on record."""

from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.panels import Panel
from eiso.people.models import Course, TrainingResult
from eiso.people.permissions import policy
from eiso.people.selectors import auditor_training, training_of


def audit_team_panel(request, *, audit, members=(), **_objects) -> Panel | None:
    """Slot ``audits.team``: one line per member (the lead first) with their training."""
    if request is None or not request.user.is_authenticated:
        return None
    people = [audit.lead_auditor, *(m.user for m in members)]
    today = timezone.localdate()
    qualified = auditor_training(people, today=today)
    trainings = training_of(people)
    viewer = request.user
    rows = []
    course = Course(agency=audit.agency)
    for person in people:
        # What the policy says of a training record of this person in the audit's agency.
        may_read = policy.allows(viewer, "view_record", TrainingResult(user=person, course=course))
        found, valid = qualified[person.pk]
        rows.append({"person": person, "qualified": valid, "expired": found is not None and not valid,
                     "auditor_training": found if may_read else None,
                     "trainings": trainings[person.pk][:4] if may_read else None})
    return Panel(title=_("Training of the team"), summary="people/panels/audit_team.html",
                 data={"rows": rows, "today": today})
