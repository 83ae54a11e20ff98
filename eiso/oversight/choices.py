"""Statuses of inspection plans and inspections, the allowed moves, and the points the minutes
check (TT 26/2014/TT-BKHCN art. 33–42, Mẫu 21; QĐ 19/2014/QĐ-TTg art. 12)."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DECIDED = "decided", _("Decision issued")
    MINUTES = "minutes", _("Minutes issued")


class InspectionAction(models.TextChoices):
    DECIDE = "decide", _("decision issued")
    ISSUE_MINUTES = "issue_minutes", _("minutes issued")


S = InspectionStatus
# action → (statuses it may start from, status it leads to); enforced by services.inspection_transition.
INSPECTION_TRANSITIONS = {
    InspectionAction.DECIDE: (frozenset({S.PLANNED, S.DECIDED}), S.DECIDED),
    InspectionAction.ISSUE_MINUTES: (frozenset({S.DECIDED}), S.MINUTES),
}
REFUSALS = {
    InspectionAction.DECIDE: _("The minutes are issued: the decision can no longer change."),
    InspectionAction.ISSUE_MINUTES: _("The minutes follow the inspection decision: issue the decision first."),
}


class PointResult(models.TextChoices):
    UNCHECKED = "", _("Not yet checked")
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")
    NOT_APPLICABLE = "na", _("Not applicable")


@dataclass(frozen=True)
class Point:
    code: str
    label: str
    clause: str  # the ISO 9001 clause a finding on this point is recorded against


# The points the minutes check, in the order of the law (TT 26/2014 art. 36; QĐ 19/2014 art. 4–5).
POINTS: tuple[Point, ...] = (
    Point("scope", _("The QMS scope covers every administrative procedure (TTHC) the agency handles"), "4.3"),
    Point("training", _("Leaders and staff are trained on the QMS and TCVN ISO 9001"), "7.2"),
    Point("conformity", _("The QMS documents conform to TCVN ISO 9001"), "4.4"),
    Point("processes", _("The processes are applied in handling the work"), "8.1"),
    Point("internal_audit", _("Internal audit carried out at least once a year"), "9.2"),
    Point("management_review", _("Management review held at least once a year"), "9.3"),
    Point("corrective_action", _("Corrective actions taken on nonconformities"), "10.2"),
    Point("complaints", _("Complaints and recommendations handled"), "9.1.2"),
    Point("improvement", _("The QMS is improved"), "10.3"),
    Point("head_confirmation", _("The head confirms the effectiveness of the QMS"), "5.1"),
    Point("announcement", _("Conformity announced, posted at the office and notified to the Department"), "4.4"),
    Point("legal_changes", _("Changes of the law absorbed within 3 months"), "7.5.3"),
    Point("renewal", _("Announced again after the scope changed"), "4.3"),
)
POINTS_BY_CODE = {p.code: p for p in POINTS}
