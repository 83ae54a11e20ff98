"""The province overview (overseers, admins, the province's People's Committee) and one agency's
oversight page, both from ``figures.agency_figures``."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.errors import NotFound
from eiso.core.selectors import get_or_404
from eiso.core.text import parse_year
from eiso.organizations.choices import AgencyLevel
from eiso.oversight import selectors
from eiso.oversight.calculations import AMBER, GREEN, RED
from eiso.oversight.figures import agency_figures, overview_agencies
from eiso.oversight.overview_table import table_body

SORTS = {
    "name": lambda f: f.agency.name,
    "coverage": lambda f: (f.tthc_covered / f.tthc_total) if f.tthc_total else -1,
    "procedures": lambda f: f.procedures_in_force,
    "announced": lambda f: (f.announced_on.toordinal() if f.announced_on else 0) - (f.renewal_due * 10 ** 6),
    "audit": lambda f: f.last_internal_audit.toordinal() if f.last_internal_audit else 0,
    "review": lambda f: f.last_management_review.toordinal() if f.last_management_review else 0,
    "fives": lambda f: f.fives_score if f.fives_score is not None else -1,
    "objectives": lambda f: (f.objectives_met / f.objectives_set) if f.objectives_set else -1,
    "open": lambda f: f.open_corrective_actions,
    "overdue": lambda f: f.overdue_corrective_actions,
    "on_time": lambda f: f.on_time_rate if f.on_time_rate is not None else -1,
    "satisfaction": lambda f: f.satisfaction_score if f.satisfaction_score is not None else -1,
    "legal": lambda f: f.legal_reviews_overdue,
    "light": lambda f: {RED: 0, AMBER: 1, GREEN: 2}[f.compliance],
}
LIGHTS = ((GREEN, "success"), (AMBER, "warning"), (RED, "danger"))
FIGURE_LISTS = {
    "coverage": "procedures:adminprocedure-coverage", "documents": "documents:document-list",
    "audits": "audits:programme-list", "reviews": "reviews:review-list", "objectives": "objectives:objective-list",
    "actions": "improvements:corrective-action-list", "statistics": "dossiers:statistics",
    "satisfaction": "feedback:satisfaction", "fives": "fives:ranking", "announcements": "rollout:announcement-list",
    "legal": "documents:reviewtask-list",
}


def year_of(value: str) -> int:
    today = timezone.localdate()
    return parse_year(value, high=today.year + 1) or today.year


def overview_rows(user, *, year: int, level: str = "", status: str = "active", q: str = "", light: str = "",
                  sort: str = "name"):
    """The overview's lines, filtered and sorted (``-key``: descending), as the page and the Excel show them."""
    rows = agency_figures(overview_agencies(user, level=level, status=status, q=q), year=year)
    if light in (GREEN, AMBER, RED):
        rows = [r for r in rows if r.compliance == light]
    key = sort.lstrip("-")
    if key in SORTS:
        rows.sort(key=SORTS[key], reverse=sort.startswith("-"))
    return rows


@login_required
def overview(request):
    user = request.user  # everyone reads the lines they may: an agency its own, overseers the province
    get = request.GET
    year = year_of(get.get("year", ""))
    level = get.get("level", "") if get.get("level", "") in AgencyLevel.values else ""
    status = get.get("status", "active") if get.get("status", "active") in ("active", "ended", "all") else "active"
    sort = get.get("sort", "name") if get.get("sort", "name").lstrip("-") in SORTS else "name"
    rows = overview_rows(user, year=year, level=level, status=status, q=get.get("q", "")[:100],
                         light=get.get("light", ""), sort=sort)
    counts = {name: sum(1 for r in rows if r.compliance == name) for name, _c in LIGHTS}
    # the lists each figure opens, resolved once rather than for each of 150 lines
    urls = {key: reverse(name) for key, name in FIGURE_LISTS.items()} | {
        "agency": reverse("oversight:agency", args=[0]).removesuffix("0/")}
    # Each figure opens the agency's own list, which its people and the overseers may read; the
    # province People's Committee reads the overview only (and its own agency's lists).
    linked = selectors.agencies_with_open_lists(user, (r.agency.pk for r in rows))
    return render(request, "oversight/overview.html", {
        "rows": rows, "year": year, "level": level, "status": status, "sort": sort, "q": get.get("q", "")[:100],
        "light": get.get("light", ""), "levels": AgencyLevel.choices, "lights": LIGHTS, "counts": counts,
        "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
        "query": get.urlencode(),
        "body": table_body(rows, year=year, urls=urls, linked=linked),
        "can_province_report": user.agency is not None and user.has_perm("oversight.view_overview"),
        "chart": {"type": "doughnut",
                  "labels": [str(_("Compliant")), str(_("Cannot be assessed")), str(_("Not compliant"))],
                  "datasets": [{"label": str(_("Agencies")), "data": [counts[GREEN], counts[AMBER], counts[RED]]}]},
        "columns": [("name", _("Agency")), ("light", _("Compliance")), ("announced", _("Announced")),
                    ("coverage", _("TTHC covered")),
                    ("procedures", _("Procedures in force")), ("audit", _("Last internal audit")),
                    ("review", _("Last management review")),
                    ("objectives", _("Objectives met")), ("open", _("Open CAs")), ("overdue", _("Overdue CAs")),
                    ("on_time", _("On time")), ("satisfaction", _("Satisfaction")), ("fives", _("5S")),
                    ("legal", _("Legal reviews overdue"))],
    })


@login_required
def agency_page(request, pk):
    """One agency's QMS at a glance, for its own people and its overseers: the same figures as its
    line of the overview, with its inspections."""
    user = request.user
    agency = get_or_404(overview_agencies(user, status="all"), pk)
    year = year_of(request.GET.get("year", ""))
    figures = agency_figures(overview_agencies(user, status="all").filter(pk=agency.pk), year=year)
    if not figures:
        raise NotFound()
    return render(request, "oversight/agency.html", {
        "f": figures[0], "year": year, "evidence": selectors.evidence_of(figures[0]),
        "inspections": list(selectors.inspections_for_user(user, agency=str(agency.pk))),
        "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
    })
