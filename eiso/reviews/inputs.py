"""The inputs of a management review (ISO 9001 9.3.2 a–f), compiled from the data eISO holds.

Every figure comes from the selector behind the page that shows it (on-time statistics from the
rollups, corrective actions from the attention counts, complaints from ``complaint_counts``…),
narrowed to the review's agency and read as ``user`` reads it, so a figure here equals the one
on its page. Nothing loops over dossiers: dossier figures are sums over ``DossierRollup`` and
two indexed counts. The result is plain JSON (numbers, strings, ISO dates): it is stored as the
review's frozen snapshot when the meeting starts, and rendered by ``presentation``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from eiso.audits.choices import AuditStatus, FindingKind
from eiso.audits.selectors import audits_for_user, findings_for_user
from eiso.documents.choices import ExternalDocumentStatus
from eiso.documents.selectors.external import external_documents_for_user, review_tasks_for_user
from eiso.dossiers.selectors import statistics as stats
from eiso.feedback.calculations import Period
from eiso.feedback.selectors import complaint_counts, complaints_for_user, satisfaction_figures
from eiso.improvements.choices import NOT_CLOSED, RiskKind, RiskLevel
from eiso.improvements.models import Verification
from eiso.improvements.selectors import (
    agency_attention,
    corrective_actions_for_user,
    nonconformities_for_user,
    risks_for_user,
)
from eiso.objectives.selectors import objectives_for_user
from eiso.organizations.models import Agency
from eiso.procedures.selectors import admin_procedures_for_user, coverage_summary
from eiso.reviews.choices import OPEN_OUTPUTS
from eiso.reviews.models import ManagementReview, ReviewOutput

VERSION = 1
LIST_LIMIT = 10  # rows of a list printed beside its figure; the link leads to the rest


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def _num(value) -> str | None:
    return None if value is None else str(Decimal(value).quantize(Decimal("0.1")))


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def previous_review(review: ManagementReview) -> ManagementReview | None:
    """The agency's review held before this one (the latest earlier meeting date)."""
    return (ManagementReview.objects.filter(agency_id=review.agency_id, meeting_on__lt=review.meeting_on)
            .exclude(pk=review.pk).order_by("-meeting_on", "-id").first())


def carried_outputs(review: ManagementReview):
    """9.3.2 a: every output of the previous review with its status, and the outputs of older
    reviews still open (an open decision stays an input until it is done or cancelled)."""
    previous = previous_review(review)
    earlier = ReviewOutput.objects.filter(review__agency_id=review.agency_id,
                                          review__meeting_on__lt=review.meeting_on).exclude(review=review)
    condition = Q(status__in=OPEN_OUTPUTS)
    if previous is not None:
        condition |= Q(review=previous)
    return earlier.filter(condition).select_related("review", "owner").order_by("review__meeting_on", "id")


def _previous(review, today) -> dict:
    rows = []
    for o in carried_outputs(review):
        rows.append({"id": o.pk, "review_id": o.review_id, "review_on": _iso(o.review.meeting_on), "kind": o.kind,
                     "description": o.description, "owner": o.owner.full_name if o.owner_id else "",
                     "due_on": _iso(o.due_on), "status": o.status, "done_on": _iso(o.done_on),
                     "overdue": o.status in OPEN_OUTPUTS and o.due_on < today})
    previous = previous_review(review)
    return {"previous_review_id": previous.pk if previous else None,
            "previous_review_on": _iso(previous.meeting_on) if previous else None,
            "outputs": rows, "total": len(rows), "open": sum(r["status"] in OPEN_OUTPUTS for r in rows),
            "overdue": sum(r["overdue"] for r in rows)}


def _changes(user, agency: Agency, start, end, today) -> dict:
    """9.3.2 b: legal documents that expired or were replaced in the period, the review tasks they
    opened, agencies merged into this one, TTHC added to the catalogue and TTHC unpublished."""
    docs = external_documents_for_user(user, agency=str(agency.pk))
    expired = docs.filter(status=ExternalDocumentStatus.EXPIRED, expires_on__gte=start, expires_on__lte=end)
    replaced = docs.filter(replaced_by__isnull=False).filter(
        Q(replaced_by__effective_on__gte=start, replaced_by__effective_on__lte=end)
        | Q(replaced_by__effective_on__isnull=True, replaced_by__issued_on__gte=start,
            replaced_by__issued_on__lte=end))
    tasks = review_tasks_for_user(user, agency=str(agency.pk), today=today).order_by()
    task_counts = tasks.aggregate(opened=Count("pk", filter=Q(trigger_date__gte=start, trigger_date__lte=end)),
                                  open=Count("pk", filter=Q(status="open")),
                                  overdue=Count("pk", filter=Q(status="open", due_on__lt=today)))
    mergers = [{"name": a.name, "on": _iso(a.valid_to)}
               for a in agency.predecessors.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start, valid_to__lte=end))
               .order_by("name")]
    procedures = admin_procedures_for_user(user, agency=str(agency.pk))
    added = procedures.filter(created_at__date__gte=start, created_at__date__lte=end, is_active=True)
    return {
        "legal_expired": expired.count(),
        "legal_expired_list": [{"id": d.pk, "number": d.number, "title": d.title, "on": _iso(d.expires_on)}
                               for d in expired.order_by("expires_on", "number")[:LIST_LIMIT]],
        "legal_replaced": replaced.count(),
        "legal_replaced_list": [{"id": d.pk, "number": d.number, "title": d.title, "by": d.replaced_by.number}
                                for d in replaced.order_by("number")[:LIST_LIMIT]],
        "review_tasks_opened": task_counts["opened"], "review_tasks_open": task_counts["open"],
        "review_tasks_overdue": task_counts["overdue"],
        "mergers": mergers,
        "tthc_added": added.count(),
        "tthc_added_list": [{"id": p.pk, "code": p.code, "name": p.name}
                            for p in added.order_by("code")[:LIST_LIMIT]],
        "tthc_unpublished": procedures.filter(is_active=False).count(),
    }


def _satisfaction(user, agency, start, end, today) -> dict:
    figures = satisfaction_figures(user, period=Period("custom", start, end), agency=str(agency.pk))
    counts = complaint_counts(user, agency=str(agency.pk), today=today)
    received = complaints_for_user(user, agency=str(agency.pk), today=today).filter(
        received_on__gte=start, received_on__lte=end).count()
    return {"evaluations": figures.evaluations, "score": _num(figures.score), "grade": figures.grade,
            "complaints_received": received, "complaints": {k: counts[k] or 0 for k in counts}}


def _objectives(user, agency, end) -> dict:
    rows = []
    for o in objectives_for_user(user, year=end.year, agency=str(agency.pk)):
        measured = list(o.measurements.all())
        last = measured[-1] if measured else None
        rows.append({"id": o.pk, "title": o.title, "comparator": o.get_comparator_display(), "target": _num(o.target),
                     "unit_of_measure": o.unit_of_measure, "status": o.status,
                     "value": _num(last.value) if last else None, "met": last.met if last else None,
                     "period_end": _iso(last.period_end) if last else None,
                     "periods_met": sum(m.met for m in measured), "periods": len(measured)})
    return {"year": end.year, "rows": rows, "total": len(rows), "measured": sum(r["met"] is not None for r in rows),
            "met": sum(r["met"] is True for r in rows)}


def _row(r) -> dict:
    return {"id": r.procedure_id, "code": r.code, "label": r.label, "step": r.step, "unit": r.unit,
            "procedure": r.extra.get("procedure", ""), "early": r.early, "on_time": r.on_time, "late": r.late,
            "total": r.total, "on_time_rate": _num(r.on_time_rate), "late_rate": _num(r.late_rate)}


def _process(user, agency, start, end, now) -> dict:
    """9.3.2 c 3: the on-time statistics of the months of the period (the statistics page with
    the same months and agency shows the same figures), the worst procedures and late steps."""
    query = stats.StatsQuery(start=_month(start), end=_month(end), agency_id=agency.pk)
    counts = stats.totals(user, query)
    now_counts = stats.open_now(user, query, now=now)
    worst = [r for r in stats.by_procedure(user, query, sort="late", limit=LIST_LIMIT) if r.late]
    steps = [r for r in stats.by_step(user, query, sort="late", limit=LIST_LIMIT) if r.late]
    return {"from": f"{query.start:%Y-%m}", "to": f"{query.end:%Y-%m}", "early": counts.early,
            "on_time": counts.on_time, "late": counts.late, "total": counts.total,
            "on_time_rate": _num(counts.on_time_rate), "open": now_counts["open"], "overdue": now_counts["overdue"],
            "worst_procedures": [_row(r) for r in worst], "late_steps": [_row(r) for r in steps]}


def _nonconformities(user, agency, start, end, today) -> dict:
    attention = agency_attention(user, agency, today=today)
    detected = nonconformities_for_user(user, agency=str(agency.pk)).filter(
        detected_on__gte=start, detected_on__lte=end).order_by()
    by_source = dict(detected.values_list("source").annotate(n=Count("pk")))
    actions = corrective_actions_for_user(user, agency=str(agency.pk), today=today).values("pk")
    verified = Verification.objects.filter(action__in=actions, verified_on__gte=start, verified_on__lte=end) \
        .order_by().aggregate(yes=Count("pk", filter=Q(effective=True)), no=Count("pk", filter=Q(effective=False)))
    return {"open": attention["open"], "without_action": attention["without_action"],
            "overdue": attention["overdue"], "verification_due": attention["verification_due"],
            "repeats": attention["repeats"], "detected": sum(by_source.values()), "by_source": by_source,
            "effective": verified["yes"], "ineffective": verified["no"]}


def _monitoring(user, agency, today) -> dict:
    coverage = coverage_summary(user, agency=str(agency.pk))
    return {"tthc": coverage["total"], "covered": coverage["covered"], "gap": coverage["gap"],
            "percent": coverage["percent"]}


def _audits(user, agency, start, end) -> dict:
    audits = audits_for_user(user, agency=str(agency.pk)).filter(start_date__gte=start, start_date__lte=end)
    audit_counts = audits.order_by().aggregate(
        n=Count("pk", distinct=True),
        done=Count("pk", distinct=True, filter=Q(status__in=(AuditStatus.REPORTED, AuditStatus.CLOSED))))
    findings = findings_for_user(user, agency=str(agency.pk)).filter(
        audit__start_date__gte=start, audit__start_date__lte=end).order_by()
    kinds = dict(findings.values_list("kind").annotate(n=Count("pk")))
    return {"audits": audit_counts["n"], "done": audit_counts["done"],
            "findings": {k.value: kinds.get(k.value, 0) for k in FindingKind}}


def _risks(user, agency, start, end, today) -> dict:
    risks = risks_for_user(user, agency=str(agency.pk)).order_by()
    counts = risks.aggregate(
        risks=Count("pk", filter=Q(kind=RiskKind.RISK), distinct=True),
        high=Count("pk", filter=Q(kind=RiskKind.RISK, level__in=(RiskLevel.HIGH, RiskLevel.VERY_HIGH)),
                   distinct=True),
        with_actions=Count("pk", filter=Q(actions__isnull=False), distinct=True),
        review_due=Count("pk", filter=Q(review_on__lte=today), distinct=True))
    actions = corrective_actions_for_user(user, agency=str(agency.pk), today=today).filter(
        risks__in=risks.values("pk")).order_by().values("pk", "nonconformity__status").distinct()
    closed = sum(a["nonconformity__status"] not in NOT_CLOSED for a in actions)
    verified = Verification.objects.filter(action__in=[a["pk"] for a in actions]).order_by().aggregate(
        yes=Count("pk", filter=Q(effective=True)), no=Count("pk", filter=Q(effective=False)))
    return {**counts, "actions": len(actions), "actions_closed": closed, "effective": verified["yes"],
            "ineffective": verified["no"]}


def _opportunities(user, agency, start, end) -> dict:
    opportunities = risks_for_user(user, agency=str(agency.pk), kind=RiskKind.OPPORTUNITY)
    findings = findings_for_user(user, agency=str(agency.pk), kind=FindingKind.OPPORTUNITY).filter(
        audit__start_date__gte=start, audit__start_date__lte=end)
    return {"opportunities": opportunities.count(),
            "list": [{"id": r.pk, "description": r.description, "level": r.level,
                      "where": r.unit.name if r.unit else (r.document.code if r.document else "")}
                     for r in opportunities[:LIST_LIMIT]],
            "audit_opportunities": findings.count(),
            "audit_list": [{"id": f.pk, "audit_id": f.audit_id, "description": f.description}
                           for f in findings[:LIST_LIMIT]]}


def compile_inputs(user, review: ManagementReview, *, now: datetime.datetime | None = None) -> dict:
    """The review's inputs as ``user`` reads them today (a live preview until the meeting starts)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    agency = review.agency
    start, end = review.period_start, review.meeting_on
    return {
        "version": VERSION,
        "compiled_at": now.isoformat(),
        "period": {"start": _iso(start), "end": _iso(end)},
        "agency_id": agency.pk,
        "a_previous": _previous(review, today),
        "b_changes": _changes(user, agency, start, end, today),
        "c1_satisfaction": _satisfaction(user, agency, start, end, today),
        "c2_objectives": _objectives(user, agency, end),
        "c3_process": _process(user, agency, start, end, now),
        "c4_nonconformities": _nonconformities(user, agency, start, end, today),
        "c5_monitoring": _monitoring(user, agency, today),
        "c6_audits": _audits(user, agency, start, end),
        "c7_providers": {"note": review.providers_note},
        "d_resources": {"note": review.resources_note},
        "e_risks": _risks(user, agency, start, end, today),
        "f_opportunities": _opportunities(user, agency, start, end),
    }
