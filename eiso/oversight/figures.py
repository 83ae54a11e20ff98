"""The figures of each agency's QMS, as the province overview, the agency's own oversight page,
the inspection checklist's evidence and the reports read them: ONE selector for all.

``agency_figures`` costs the same dozen grouped queries whatever the number of agencies or
dossiers: dossier counts come from the monthly rollups (``DossierRollup``), everything else is
one GROUP BY per figure over the agencies asked for. Which agencies' lines a user gets is the
oversight policy's ``view_overview_agency`` (an agency its own line, overseers and the province's
People's Committee the province)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Exists, Max, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from eiso.audits.choices import AuditStatus
from eiso.audits.models import Audit
from eiso.documents.choices import DocumentKind, RevisionStatus
from eiso.documents.models import Document, DocumentRevision, ReviewTask
from eiso.dossiers.models import DossierRollup
from eiso.dossiers.rates import Counts
from eiso.feedback.calculations import grade, indicator_means, total_score
from eiso.feedback.choices import INDICATORS
from eiso.feedback.models import SatisfactionEvaluation
from eiso.fives.models import Inspection as FivesInspection
from eiso.improvements.choices import NOT_CLOSED, NonconformityStatus
from eiso.improvements.models import CorrectiveAction, Nonconformity
from eiso.objectives.models import Measurement, QualityObjective
from eiso.organizations.models import Agency, Membership
from eiso.oversight.calculations import add_months, light
from eiso.oversight.permissions import policy
from eiso.people.models import Course, TrainingResult
from eiso.procedures.choices import Coverage
from eiso.procedures.models import AdminProcedure
from eiso.procedures.selectors import with_coverage
from eiso.reviews.choices import HELD
from eiso.reviews.models import ManagementReview
from eiso.rollout.renewal import renewal_statuses

AUDIT_DONE = (AuditStatus.REPORTED, AuditStatus.CLOSED)
WITHIN_MONTHS = 12  # internal audit and management review at least once a year (QĐ 19/2014)


@dataclass
class AgencyFigures:
    agency: Agency
    year: int
    tthc_total: int = 0
    tthc_covered: int = 0
    procedures_in_force: int = 0
    announced_on: datetime.date | None = None
    announcement_number: str = ""
    announcement_posted_on: datetime.date | None = None
    announcement_notified_on: datetime.date | None = None
    renewal_due: bool = False
    renewal_reasons: list = field(default_factory=list)
    last_internal_audit: datetime.date | None = None
    last_management_review: datetime.date | None = None
    objectives_set: int = 0
    objectives_met: int = 0
    objectives_measured: int = 0
    open_corrective_actions: int = 0
    overdue_corrective_actions: int = 0
    nonconformities_without_action: int = 0
    dossiers: Counts = field(default_factory=Counts)
    satisfaction_score: object = None
    satisfaction_evaluations: int = 0
    fives_score: float | None = None  # mean of the units' means of their 5S inspections of the year (%)
    courses: int = 0  # training courses of the year
    people_trained: int = 0  # people of the agency with a passed training result issued in the year
    staff: int = 0  # people working in the agency now
    legal_reviews_open: int = 0
    legal_reviews_overdue: int = 0
    inspection_findings_open: int = 0
    successors: list = field(default_factory=list)
    predecessors: list = field(default_factory=list)
    checks: dict = field(default_factory=dict)  # rule → True/False/None (cannot be assessed)

    @property
    def on_time_rate(self) -> float | None:
        return self.dossiers.on_time_rate

    @property
    def satisfaction_grade(self) -> str | None:
        return grade(self.satisfaction_score)

    @property
    def tthc_gap(self) -> int:
        return self.tthc_total - self.tthc_covered

    @property
    def compliance(self) -> str:
        return light(self.checks)

    @property
    def compliant(self) -> bool:
        return self.compliance == "green"

    @property
    def merged(self) -> bool:
        return bool(self.successors)


def overview_agencies(user, *, level: str = "", status: str = "active", q: str = ""):
    """The agencies whose line ``user`` may read in the overview."""
    qs = policy.filter(user, "view_overview_agency", Agency.objects).select_related("province")
    if level:
        qs = qs.filter(level=level)
    if status == "active":
        qs = qs.active()
    elif status == "ended":
        qs = qs.exclude(pk__in=Agency.objects.active().values("pk"))
    if q:
        from eiso.core.text import fold

        qs = qs.filter(name_folded__contains=fold(q.strip()))
    return qs.order_by("name")


def _per_agency(qs, key="agency_id", **aggregates) -> dict:
    return {r[key]: r for r in qs.order_by().values(key).annotate(**aggregates)}


def agency_figures(agencies, *, year: int, today: datetime.date | None = None) -> list[AgencyFigures]:
    """The figures of ``agencies`` (a queryset the caller scoped, e.g. ``overview_agencies``) for
    ``year``: catalogue and coverage now, dossiers finished in the year, the year's objectives,
    actions open now, satisfaction of the year, legal-change reviews now."""
    today = today or timezone.localdate()
    chosen = agencies
    agencies = list(agencies)
    # The figures' queries take the agencies as a subquery: 150 ids as parameters cost more to build.
    ids = chosen.order_by().values("pk") if len(agencies) > 20 else [a.pk for a in agencies]
    # Mergers, both ways, in one query (a prefetch would cost two, each with the ids as parameters).
    successors: dict[int, list] = {}
    predecessors: dict[int, list] = {}
    for link in (Agency.predecessors.through.objects.filter(Q(from_agency_id__in=ids) | Q(to_agency_id__in=ids))
                 .select_related("from_agency", "to_agency").order_by("pk")):
        successors.setdefault(link.to_agency_id, []).append(link.from_agency)
        predecessors.setdefault(link.from_agency_id, []).append(link.to_agency)
    for merged in (*successors.values(), *predecessors.values()):
        merged.sort(key=lambda a: (a.level, a.name))  # as Agency.Meta orders them within a province
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)

    coverage = _per_agency(with_coverage(AdminProcedure.objects.filter(agency_id__in=ids, is_active=True)),
                           total=Count("pk"), covered=Count("pk", filter=Q(coverage=Coverage.COVERED.value)))
    effective = DocumentRevision.objects.filter(document=OuterRef("pk"), status=RevisionStatus.EFFECTIVE)
    in_force = _per_agency(Document.objects.filter(agency_id__in=ids, kind=DocumentKind.OPERATIONAL_PROCEDURE)
                           .filter(Exists(effective)), n=Count("pk"))
    audits = _per_agency(Audit.objects.filter(agency_id__in=ids, status__in=AUDIT_DONE, end_date__lte=today),
                         last=Max("end_date"))
    management = _per_agency(ManagementReview.objects.filter(agency_id__in=ids, status__in=HELD,
                                                             meeting_on__lte=today), last=Max("meeting_on"))
    fives: dict[int, list] = {}
    for r in (FivesInspection.objects.filter(agency_id__in=ids, status="done", done_on__gte=start, done_on__lte=end,
                                             percent__isnull=False)
              .order_by().values("agency_id", "unit_id").annotate(mean=Avg("percent"))):
        fives.setdefault(r["agency_id"], []).append(float(r["mean"]))
    last_met = Measurement.objects.filter(objective=OuterRef("pk")).order_by("-period_start").values("met")[:1]
    objectives = _per_agency(
        QualityObjective.objects.filter(agency_id__in=ids, year=year).annotate(last_met=Subquery(last_met)),
        n=Count("pk"), met=Count("pk", filter=Q(last_met=True)), measured=Count("pk", filter=Q(last_met__isnull=False)))
    actions = _per_agency(CorrectiveAction.objects.filter(agency_id__in=ids, nonconformity__status__in=NOT_CLOSED),
                          open=Count("pk"), overdue=Count("pk", filter=Q(
                              nonconformity__status=NonconformityStatus.ACTION_PLANNED, due_on__lt=today)))
    without = _per_agency(Nonconformity.objects.filter(agency_id__in=ids, status=NonconformityStatus.OPEN,
                                                       action__isnull=True), n=Count("pk"))
    rollups = _per_agency(DossierRollup.objects.filter(agency_id__in=ids, step=0, month__gte=start, month__lte=end),
                          early=Sum("early"), on_time=Sum("on_time"), late=Sum("late"))
    scores = {f"s{i}": Sum(f"score_{i}") for i in INDICATORS} | {f"c{i}": Count(f"score_{i}") for i in INDICATORS}
    satisfaction = _per_agency(SatisfactionEvaluation.objects.filter(
        agency_id__in=ids, evaluated_on__gte=start, evaluated_on__lte=end), n=Count("pk"), **scores)
    reviews = _per_agency(ReviewTask.objects.filter(agency_id__in=ids, status="open"), open=Count("pk"),
                          overdue=Count("pk", filter=Q(due_on__lt=today)))
    findings = _per_agency(Nonconformity.objects.filter(agency_id__in=ids, source="inspection",
                                                        status__in=NOT_CLOSED), n=Count("pk"))
    courses = _per_agency(Course.objects.filter(agency_id__in=ids, start_date__gte=start, start_date__lte=end),
                          n=Count("pk"))
    trained = _per_agency(TrainingResult.objects.filter(course__agency_id__in=ids, passed=True,
                                                        issued_on__gte=start, issued_on__lte=end),
                          key="course__agency_id", n=Count("user_id", distinct=True))
    staff = _per_agency(Membership.objects.filter(agency_id__in=ids, valid_to__isnull=True),
                        n=Count("user_id", distinct=True))
    renewals = renewal_statuses(agencies, ids=ids)
    rows = []
    year_ago = add_months(today, -WITHIN_MONTHS)
    for a in agencies:
        cov, obj, act = coverage.get(a.pk, {}), objectives.get(a.pk, {}), actions.get(a.pk, {})
        roll, sat, rev = rollups.get(a.pk, {}), satisfaction.get(a.pk), reviews.get(a.pk, {})
        f = AgencyFigures(
            agency=a, year=year, tthc_total=cov.get("total", 0), tthc_covered=cov.get("covered", 0),
            procedures_in_force=in_force.get(a.pk, {}).get("n", 0),
            last_internal_audit=audits.get(a.pk, {}).get("last"),
            last_management_review=management.get(a.pk, {}).get("last"),
            fives_score=round(sum(fives[a.pk]) / len(fives[a.pk]), 1) if fives.get(a.pk) else None,
            objectives_set=obj.get("n", 0), objectives_met=obj.get("met", 0),
            objectives_measured=obj.get("measured", 0),
            open_corrective_actions=act.get("open", 0), overdue_corrective_actions=act.get("overdue", 0),
            nonconformities_without_action=without.get(a.pk, {}).get("n", 0),
            dossiers=Counts(roll.get("early") or 0, roll.get("on_time") or 0, roll.get("late") or 0),
            legal_reviews_open=rev.get("open", 0), legal_reviews_overdue=rev.get("overdue", 0),
            inspection_findings_open=findings.get(a.pk, {}).get("n", 0),
            successors=successors.get(a.pk, []), predecessors=predecessors.get(a.pk, []))
        f.courses, f.staff = courses.get(a.pk, {}).get("n", 0), staff.get(a.pk, {}).get("n", 0)
        f.people_trained = trained.get(a.pk, {}).get("n", 0)
        renewal = renewals.get(a.pk) or {}
        announcement = renewal.get("announcement")
        if announcement is not None:
            f.announced_on, f.announcement_number = announcement.signed_on, announcement.number
            f.announcement_posted_on, f.announcement_notified_on = announcement.posted_on, announcement.notice_date
        f.renewal_due = bool(renewal.get("due")) and announcement is not None
        f.renewal_reasons = list(renewal.get("reasons") or []) if announcement is not None else []
        if sat:
            means = indicator_means({i: sat[f"s{i}"] or 0 for i in INDICATORS},
                                    {i: sat[f"c{i}"] or 0 for i in INDICATORS})
            f.satisfaction_score, f.satisfaction_evaluations = total_score(means), sat["n"]
        f.checks = {
            "scope": (f.tthc_covered == f.tthc_total) if f.tthc_total else None,
            "internal_audit": f.last_internal_audit is not None and f.last_internal_audit >= year_ago,
            "management_review": f.last_management_review is not None and f.last_management_review >= year_ago,
            "legal_changes": f.legal_reviews_overdue == 0,
            "announcement": f.announced_on is not None and not f.renewal_due,
        }
        rows.append(f)
    return rows


def agency_figures_one(agency, *, year: int, today: datetime.date | None = None) -> AgencyFigures:
    return agency_figures(Agency.objects.filter(pk=agency.pk), year=year, today=today)[0]


def province_totals(rows: list[AgencyFigures]) -> dict:
    """The province's totals, each the sum of the agencies' own figures (the December report)."""
    return {
        "agencies": len(rows),
        "tthc_total": sum(r.tthc_total for r in rows), "tthc_covered": sum(r.tthc_covered for r in rows),
        "procedures_in_force": sum(r.procedures_in_force for r in rows),
        "audited": sum(1 for r in rows if r.checks.get("internal_audit")),
        "reviewed": sum(1 for r in rows if r.checks.get("management_review")),
        "announced": sum(1 for r in rows if r.announced_on is not None),
        "renewal_due": sum(1 for r in rows if r.renewal_due),
        "objectives_set": sum(r.objectives_set for r in rows), "objectives_met": sum(r.objectives_met for r in rows),
        "open_corrective_actions": sum(r.open_corrective_actions for r in rows),
        "overdue_corrective_actions": sum(r.overdue_corrective_actions for r in rows),
        "dossiers_total": sum(r.dossiers.total for r in rows),
        "dossiers_in_time": sum(r.dossiers.in_time for r in rows),
        "legal_reviews_overdue": sum(r.legal_reviews_overdue for r in rows),
        "compliant": sum(1 for r in rows if r.compliance == "green"),
    }


@dataclass(frozen=True)
class TthcRow:
    """One line of the TTHC handling report (TT 01/2020/TT-VPCP form 06a): a field."""

    field: str
    carried_over: int = 0
    online: int = 0
    direct: int = 0
    postal: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    within_time: int = 0
    overdue: int = 0

    @property
    def received(self) -> int:
        return self.carried_over + self.online + self.direct + self.postal

    @property
    def resolved(self) -> int:
        return self.early + self.on_time + self.late

    @property
    def in_progress(self) -> int:
        return self.within_time + self.overdue


TTHC_COUNTS = ("carried_over", "online", "direct", "postal", "early", "on_time", "late", "within_time", "overdue")


def tthc_report(agency_ids, *, start: datetime.date, end: datetime.date) -> list[TthcRow]:
    """Form 06a per field for the dossiers of ``agency_ids`` over [start, end] (dates): carried over
    from before, received online / directly / by post, resolved early / on time / late in the
    period, and still in progress at its end within time or overdue. Withdrawn, stopped and refused
    dossiers are not counted. One grouped query."""
    from django.db.models import Count
    from django.utils.timezone import make_aware

    from eiso.dossiers.choices import UNCLASSIFIED_STATUSES
    from eiso.dossiers.models import Dossier

    first = make_aware(datetime.datetime.combine(start, datetime.time.min))
    after = make_aware(datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min))
    unfinished_at_end = Q(finished_at__isnull=True) | Q(finished_at__gte=after)
    received_by_end = Q(received_at__lt=after)
    rows = (Dossier.objects.filter(agency_id__in=list(agency_ids)).exclude(status__in=UNCLASSIFIED_STATUSES)
            .filter(received_by_end).filter(Q(finished_at__isnull=True) | Q(finished_at__gte=first))
            .order_by().values("admin_procedure__field").annotate(
                carried_over=Count("pk", filter=Q(received_at__lt=first)),
                online=Count("pk", filter=Q(received_at__gte=first, channel="online")),
                direct=Count("pk", filter=Q(received_at__gte=first, channel="direct")),
                postal=Count("pk", filter=Q(received_at__gte=first, channel="postal")),
                early=Count("pk", filter=Q(finished_at__gte=first, finished_at__lt=after, result="early")),
                on_time=Count("pk", filter=Q(finished_at__gte=first, finished_at__lt=after, result="on_time")),
                late=Count("pk", filter=Q(finished_at__gte=first, finished_at__lt=after, result="late")),
                within_time=Count("pk", filter=unfinished_at_end & (Q(due_at__isnull=True) | Q(due_at__gte=after))),
                overdue=Count("pk", filter=unfinished_at_end & Q(due_at__lt=after)),
            ))
    lines = [TthcRow(field=r["admin_procedure__field"] or "—", **{k: r[k] for k in TTHC_COUNTS}) for r in rows]
    return sorted(lines, key=lambda r: r.field)
