"""Scoped reads of inspection plans, inspections and their findings, and the evidence eISO holds
for an inspection's checklist (from the one figures selector, ``figures.agency_figures``)."""

import datetime

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from eiso.core.selectors import by_agency, get_or_404
from eiso.improvements.models import Nonconformity
from eiso.organizations.models import Agency
from eiso.oversight.choices import InspectionStatus
from eiso.oversight.figures import AgencyFigures, agency_figures_one
from eiso.oversight.models import Inspection, InspectionFinding, InspectionPlan
from eiso.oversight.permissions import policy


def agencies_with_open_lists(user, ids) -> set[int]:
    """Those of the agencies ``ids`` whose lists ``user`` may open (one query)."""
    return set(policy.filter(user, "view_agency_lists", Agency.objects).filter(pk__in=list(ids))
               .values_list("pk", flat=True))


def plans_for_user(user, *, year: int | None = None) -> QuerySet[InspectionPlan]:
    qs = policy.filter(user, "view_inspectionplan", InspectionPlan.objects).select_related("agency")
    if year:
        qs = qs.filter(year=year)
    return qs.annotate(
        planned=Count("inspections"), on_site=Count("inspections", filter=Q(inspections__on_site=True)),
        done=Count("inspections", filter=Q(inspections__status=InspectionStatus.MINUTES)),
    ).order_by("-year", "id")


def plan_get_for_user(user, pk) -> InspectionPlan:
    return get_or_404(plans_for_user(user), pk)


def inspections_for_user(user, *, plan=None, year: int | None = None, agency: str = "", status: str = ""
                         ) -> QuerySet[Inspection]:
    qs = policy.filter(user, "view_inspection", Inspection.objects).select_related("plan", "agency", "plan__agency")
    if plan is not None:
        qs = qs.filter(plan=plan)
    if year:
        qs = qs.filter(plan__year=year)
    if status:
        qs = qs.filter(status=status)
    qs = by_agency(qs, agency)
    return qs.annotate(findings_count=Count("findings")).order_by("plan__year", "month", "agency__name", "id")


def inspection_get_for_user(user, pk) -> Inspection:
    return get_or_404(inspections_for_user(user), pk)


def findings_of(inspection: Inspection) -> list[InspectionFinding]:
    """The inspection's findings with their nonconformity and its corrective action (progress)."""
    return list(InspectionFinding.objects.filter(inspection=inspection).select_related(
        "nonconformity", "nonconformity__action", "nonconformity__action__owner").order_by("id"))


def inspection_nonconformities(ids) -> QuerySet[Nonconformity]:
    return Nonconformity.objects.filter(inspection_finding__inspection_id__in=list(ids))


def _day(value: datetime.date | None) -> str:
    return date_format(value, "d/m/Y") if value else "—"


def evidence_of(figures: AgencyFigures) -> dict[str, dict]:
    """What eISO holds on each point of the minutes, to confirm or correct on site:
    ``{point: {"text", "links": [[label, url]], "suggested": "met"|"not_met"|""}}``."""
    a, f = figures.agency, figures
    pk = a.pk

    def link(label, name, query=""):
        return [str(label), reverse(name) + query]

    ev = {
        "scope": {
            "text": _("%(covered)d of %(total)d published TTHC are covered by a procedure in force.") % {
                "covered": f.tthc_covered, "total": f.tthc_total},
            "links": [link(_("TTHC coverage"), "procedures:adminprocedure-coverage", f"?agency={pk}")],
            "suggested": "" if not f.tthc_total else ("met" if f.tthc_gap == 0 else "not_met")},
        "training": {
            "text": _("Training courses in %(year)d: %(courses)d; people trained: %(trained)d of %(staff)d.") % {
                "year": f.year, "courses": f.courses, "trained": f.people_trained, "staff": f.staff},
            "links": [link(_("Training"), "people:training-list", f"?agency={pk}")], "suggested": ""},
        "conformity": {
            "text": _("%(n)d operational procedures in force.") % {"n": f.procedures_in_force},
            "links": [link(_("Internal documents"), "documents:document-list", f"?agency={pk}")], "suggested": ""},
        "processes": {
            "text": _("Dossiers finished in %(year)d: %(total)d, on time or early %(in_time)d, late %(late)d.") % {
                "year": f.year, "total": f.dossiers.total, "in_time": f.dossiers.in_time, "late": f.dossiers.late},
            "links": [link(_("On-time statistics"), "dossiers:statistics",
                           f"?agency={pk}&from={f.year}-01&to={f.year}-12")], "suggested": ""},
        "internal_audit": {
            "text": _("Last internal audit reported: %(day)s.") % {"day": _day(f.last_internal_audit)},
            "links": [link(_("Internal audits"), "audits:programme-list", f"?agency={pk}")],
            "suggested": "met" if f.checks.get("internal_audit") else "not_met"},
        "management_review": {
            "text": _("Last management review held: %(day)s.") % {"day": _day(f.last_management_review)},
            "links": [link(_("Management review"), "reviews:review-list", f"?agency={pk}")],
            "suggested": "met" if f.checks.get("management_review") else "not_met"},
        "corrective_action": {
            "text": _("Corrective actions open: %(open)d, past due: %(overdue)d; nonconformities without an "
                      "action: %(without)d.") % {"open": f.open_corrective_actions,
                                                  "overdue": f.overdue_corrective_actions,
                                                  "without": f.nonconformities_without_action},
            "links": [link(_("Corrective actions"), "improvements:corrective-action-list", f"?agency={pk}")],
            "suggested": "met" if not (f.overdue_corrective_actions or f.nonconformities_without_action)
            else "not_met"},
        "complaints": {
            "text": _("Citizen satisfaction %(year)d: %(score)s (%(n)d evaluations).") % {
                "year": f.year, "score": f.satisfaction_score if f.satisfaction_score is not None else "—",
                "n": f.satisfaction_evaluations},
            "links": [link(_("Complaints and recommendations"), "feedback:complaint-list", f"?agency={pk}"),
                      link(_("Citizen satisfaction"), "feedback:satisfaction", f"?agency={pk}")], "suggested": ""},
        "improvement": {
            "text": _("Quality objectives %(year)d: %(met)d met of %(set)d set.") % {
                "year": f.year, "met": f.objectives_met, "set": f.objectives_set},
            "links": [link(_("Quality objectives"), "objectives:objective-list", f"?year={f.year}")],
            "suggested": ""},
        "announcement": {
            "text": (_("Announced by %(number)s of %(day)s; posted on %(posted)s; notified on %(notified)s.") % {
                "number": f.announcement_number or "—", "day": _day(f.announced_on),
                "posted": _day(f.announcement_posted_on), "notified": _day(f.announcement_notified_on)})
            if f.announced_on else _("No conformity announcement in force."),
            "links": [link(_("Conformity announcement"), "rollout:announcement-list", f"?agency={pk}")],
            "suggested": "met" if f.announced_on and f.announcement_posted_on and f.announcement_notified_on
            else "not_met"},
        "renewal": {
            "text": (_("A new announcement is due: %(reasons)s.") % {"reasons": ", ".join(
                r["kind"] for r in f.renewal_reasons)}) if f.renewal_due else _("No new announcement is due."),
            "links": [link(_("Conformity announcement"), "rollout:announcement-list", f"?agency={pk}")],
            "suggested": "" if not f.announced_on else ("not_met" if f.renewal_due else "met")},
        "legal_changes": {
            "text": _("Legal-change reviews open: %(open)d, past the 3 months: %(overdue)d.") % {
                "open": f.legal_reviews_open, "overdue": f.legal_reviews_overdue},
            "links": [link(_("Legal-change reviews"), "documents:reviewtask-list", f"?agency={pk}")],
            "suggested": "met" if f.legal_reviews_overdue == 0 else "not_met"},
    }
    return ev


def evidence_for(inspection: Inspection, *, today: datetime.date | None = None) -> dict[str, dict]:
    """The evidence of an inspection: frozen in the minutes once issued, else computed now."""
    if inspection.status == InspectionStatus.MINUTES:
        return inspection.evidence or {}
    return evidence_of(agency_figures_one(inspection.agency, year=inspection.plan.year, today=today))
