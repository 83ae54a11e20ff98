"""What each computed indicator counts, over the data of one agency and period: a numerator
and a denominator (reads only; the formulas in ``formulas`` turn them into a value).

- dossier_on_time_rate: dossiers finished in the period classified early or on time / classified
  (the definition of the on-time statistics), optionally for one TTHC;
- dossier_online_rate: dossiers received online in the period / received;
- corrective_actions_on_time_rate: actions due in the period closed by their due date / due;
- complaints_on_time_rate: complaints due in the period answered by their due date / due;
- tthc_coverage_rate: published TTHC with an operational procedure in force and a process /
  published TTHC, as the data stand when computed;
- legal_reviews_on_time_rate: review tasks (opened by a legal change) due in the period done by
  their due date, 3 months after the change took effect / due;
- audit_programme_completion: internal audits planned to start in the period reported or closed
  / planned;
- satisfaction_score: the feedback app's total score (no numerator/denominator: the mean of
  nine means).

A unit's objective counts the unit's share: the dossiers of the procedures whose operational
procedure it owns, the actions of its nonconformities, the complaints it handles, the
evaluations of its procedures.
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, F, Q, Sum

from eiso.audits.choices import AuditStatus
from eiso.audits.models import Audit
from eiso.documents.choices import ReviewTaskStatus
from eiso.documents.models import ReviewTask
from eiso.dossiers.models import Dossier
from eiso.feedback.calculations import indicator_means, total_score
from eiso.feedback.choices import INDICATORS
from eiso.feedback.models import Complaint, SatisfactionEvaluation
from eiso.improvements.models import CorrectiveAction
from eiso.objectives.choices import IndicatorCode
from eiso.objectives.formulas import rate
from eiso.procedures.choices import Coverage
from eiso.procedures.models import AdminProcedure
from eiso.procedures.selectors import with_coverage


def _bounds(start: datetime.date, end: datetime.date):
    tz = ZoneInfo(settings.TIME_ZONE)
    return (datetime.datetime.combine(start, datetime.time.min, tz),
            datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tz))


def _dossiers(qs, procedure_id, unit_id):
    if procedure_id:
        qs = qs.filter(admin_procedure_id=procedure_id)
    if unit_id:  # a unit's dossiers: those of the procedures whose operational procedure it owns
        qs = qs.filter(admin_procedure__process_document__owner_unit_id=unit_id)
    return qs


def dossier_on_time(agency_id, start, end, procedure_id=None, unit_id=None):
    low, high = _bounds(start, end)
    qs = _dossiers(Dossier.objects.filter(agency_id=agency_id, finished_at__gte=low, finished_at__lt=high,
                                          result__in=("early", "on_time", "late")), procedure_id, unit_id)
    counts = qs.order_by().aggregate(n=Count("id"), ok=Count("id", filter=Q(result__in=("early", "on_time"))))
    return counts["ok"], counts["n"]


def dossier_online(agency_id, start, end, procedure_id=None, unit_id=None):
    low, high = _bounds(start, end)
    qs = _dossiers(Dossier.objects.filter(agency_id=agency_id, received_at__gte=low, received_at__lt=high),
                   procedure_id, unit_id)
    counts = qs.order_by().aggregate(n=Count("id"), ok=Count("id", filter=Q(channel="online")))
    return counts["ok"], counts["n"]


def actions_on_time(agency_id, start, end, procedure_id=None, unit_id=None):
    qs = CorrectiveAction.objects.filter(agency_id=agency_id, due_on__gte=start, due_on__lte=end)
    if unit_id:
        qs = qs.filter(nonconformity__unit_id=unit_id)
    counts = qs.order_by().aggregate(n=Count("id"), ok=Count("id", filter=Q(closed_on__lte=F("due_on"))))
    return counts["ok"], counts["n"]


def complaints_on_time(agency_id, start, end, procedure_id=None, unit_id=None):
    qs = Complaint.objects.filter(agency_id=agency_id, due_on__gte=start, due_on__lte=end).exclude(status="rejected")
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    counts = qs.order_by().aggregate(n=Count("id"), ok=Count("id", filter=Q(answered_on__lte=F("due_on"))))
    return counts["ok"], counts["n"]


def tthc_coverage(agency_id, start, end, procedure_id=None, unit_id=None):
    """Published TTHC covered by an operational procedure in force with a process / published TTHC,
    as the data stand when computed (confirm the figure once the period has closed to keep it)."""
    qs = with_coverage(AdminProcedure.objects.filter(agency_id=agency_id, is_active=True))
    if unit_id:
        qs = qs.filter(process_document__owner_unit_id=unit_id)
    counts = qs.order_by().aggregate(n=Count("id"), ok=Count("id", filter=Q(coverage=Coverage.COVERED)))
    return counts["ok"], counts["n"]


def legal_reviews_on_time(agency_id, start, end, procedure_id=None, unit_id=None):
    """Review tasks opened by a legal change, due in the period: done by their due date / due."""
    qs = ReviewTask.objects.filter(agency_id=agency_id, due_on__gte=start, due_on__lte=end)
    if unit_id:
        qs = qs.filter(document__owner_unit_id=unit_id)
    tz = ZoneInfo(settings.TIME_ZONE)
    total, ok = 0, 0
    # Tens per agency and period: compared here, on the local day the review was done.
    for status, done_at, due_on in qs.order_by().values_list("status", "done_at", "due_on"):
        total += 1
        ok += status == ReviewTaskStatus.DONE and done_at is not None and done_at.astimezone(tz).date() <= due_on
    return ok, total


def audit_programme(agency_id, start, end, procedure_id=None, unit_id=None):
    """Internal audits of the agency's programme planned to start in the period: reported or
    closed / planned."""
    qs = Audit.objects.filter(agency_id=agency_id, start_date__gte=start, start_date__lte=end)
    if unit_id:
        qs = qs.filter(units=unit_id).distinct()
    counts = qs.order_by().aggregate(n=Count("id", distinct=True), ok=Count(
        "id", filter=Q(status__in=(AuditStatus.REPORTED, AuditStatus.CLOSED)), distinct=True))
    return counts["ok"], counts["n"]


RATES = {
    IndicatorCode.DOSSIER_ON_TIME_RATE: dossier_on_time,
    IndicatorCode.DOSSIER_ONLINE_RATE: dossier_online,
    IndicatorCode.CORRECTIVE_ACTIONS_ON_TIME_RATE: actions_on_time,
    IndicatorCode.COMPLAINTS_ON_TIME_RATE: complaints_on_time,
    IndicatorCode.TTHC_COVERAGE_RATE: tthc_coverage,
    IndicatorCode.LEGAL_REVIEWS_ON_TIME_RATE: legal_reviews_on_time,
    IndicatorCode.AUDIT_PROGRAMME_COMPLETION: audit_programme,
}


def satisfaction(agency_id, start, end, unit_id=None):
    parts = {}
    for i in INDICATORS:
        parts[f"s{i}"] = Sum(f"score_{i}")
        parts[f"c{i}"] = Count(f"score_{i}")
    qs = SatisfactionEvaluation.objects.filter(agency_id=agency_id, evaluated_on__gte=start, evaluated_on__lte=end)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    row = qs.order_by().aggregate(**parts)
    means = indicator_means({i: row[f"s{i}"] or 0 for i in INDICATORS}, {i: row[f"c{i}"] or 0 for i in INDICATORS})
    return total_score(means)


def compute(indicator: str, agency_id: int, start, end, procedure_id=None, unit_id=None):
    """``(value, numerator, denominator)`` of a computed indicator for the agency (or one of its
    units); value None without data."""
    if indicator in RATES:
        numerator, denominator = RATES[indicator](agency_id, start, end, procedure_id, unit_id)
        return rate(numerator, denominator), numerator, denominator
    if indicator == IndicatorCode.SATISFACTION_SCORE:
        return satisfaction(agency_id, start, end, unit_id), None, None
    raise ValueError(indicator)
