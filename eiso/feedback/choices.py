"""The nine satisfaction indicators of TT 01/2018/TT-VPCP and their grades; channels and statuses
of complaints and recommendations (phản ánh, kiến nghị) and the allowed moves between statuses."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Indicator(models.IntegerChoices):
    """TT 01/2018/TT-VPCP, nine indicators each scored 0, 1 or 2 on a dossier."""

    TOTAL_TIME = 1, _("Total time against the limit")
    TIME_PER_AGENCY = 2, _("Time at each agency in the chain")
    CONTACTS = 3, _("Number of contacts to finish the dossier")
    AGENCIES_CONTACTED = 4, _("Number of agencies contacted")
    ONE_STOP = 5, _("One-stop model")
    PUBLICATION = 6, _("Publication of the procedure")
    ATTITUDE = 7, _("Attitude of the staff")
    COMPLAINT_HANDLING = 8, _("Handling of complaints and recommendations")
    ONLINE_SERVICE = 9, _("Online public service")


INDICATORS = tuple(Indicator.values)  # 1 … 9
SCORES = (0, 1, 2)
MAX_TOTAL = 2 * len(INDICATORS)  # 18


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    AVERAGE = "average", _("Average")
    POOR = "poor", _("Poor")


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class ComplaintChannel(models.TextChoices):
    DIRECT = "direct", _("In person")
    PHONE = "phone", _("Telephone or hotline")
    MAIL = "mail", _("Letter")
    EMAIL = "email", _("E-mail")
    PORTAL = "portal", _("Public service portal")
    BOX = "box", _("Suggestion box")
    PRESS = "press", _("Press or social media")


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("Being handled")
    ANSWERED = "answered", _("Answered")
    REJECTED = "rejected", _("Not accepted")


class ComplaintAction(models.TextChoices):
    """What a person does to a complaint; each is one row of its audit trail."""

    ASSIGN = "assign", _("handed to a unit")
    ANSWER = "answer", _("answered")
    REJECT = "reject", _("not accepted")


S = ComplaintStatus
# action → (statuses it may start from, status it leads to). Enforced by complaint_transition.
COMPLAINT_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    ComplaintAction.ASSIGN: (frozenset({S.RECEIVED, S.IN_PROGRESS}), S.IN_PROGRESS),
    ComplaintAction.ANSWER: (frozenset({S.RECEIVED, S.IN_PROGRESS}), S.ANSWERED),
    ComplaintAction.REJECT: (frozenset({S.RECEIVED, S.IN_PROGRESS}), S.REJECTED),
}
REFUSALS = {
    ComplaintAction.ASSIGN: _("Only a complaint still open can be handed to a unit."),
    ComplaintAction.ANSWER: _("This complaint has already been answered or was not accepted."),
    ComplaintAction.REJECT: _("This complaint has already been answered or was not accepted."),
}
OPEN = frozenset({S.RECEIVED, S.IN_PROGRESS})  # still waiting for an answer (it can be overdue)
DEFAULT_DUE_DAYS = 10  # working days to answer, unless the agency sets another number
COMPLAINT_CLAUSE = "8.2.1"  # customer communication, where complaints are handled
