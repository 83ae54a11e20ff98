"""The 5S ranking of an agency's units for a quarter, with the year's trend and the rewards."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from eiso.core import freshness
from eiso.fives import selectors
from eiso.fives.views import chosen_agency, chosen_period, recent_periods
from eiso.organizations import selectors as org_selectors

COLOURS = ["#0d6efd", "#198754", "#dc3545", "#fd7e14", "#6f42c1", "#20c997", "#6c757d", "#d63384", "#0dcaf0",
           "#ffc107"]


def _figures(user, agency, period) -> tuple:
    """The page's figures, from the data alone (kept until the data change, see ``ranking``)."""
    rows, trend_rows, periods, rewards, previous = [], [], [], [], {}
    if agency is not None:
        rows = selectors.ranking_for(user, agency.pk, period)
        previous = {r.key.pk: r for r in selectors.ranking_for(user, agency.pk, period.previous())}
        periods, trend_rows = selectors.trend_for(user, agency.pk, period.year)
        rewards = list(selectors.rewards_for_user(user, agency=str(agency.pk), year=period.year,
                                                  quarter=period.quarter))
    agencies = list(org_selectors.agencies_for_user(user).order_by("name"))
    province = selectors.agency_scores(user, period) if len(agencies) > 1 else None
    return rows, trend_rows, periods, rewards, previous, agencies, province


@login_required
def ranking(request):
    user = request.user
    agency = chosen_agency(request)
    period = chosen_period(request)
    # The ranking, trend, rewards and the province's scores change only with the data: kept until they
    # change (eiso.core.freshness, per reader, agency and quarter).
    rows, trend_rows, periods, rewards, previous, agencies, province = freshness.cached(
        f"fives.ranking:{agency.pk if agency is not None else ''}:{period.code}", user,
        lambda: _figures(user, agency, period))
    changes = {r.key.pk: (r.score - previous[r.key.pk].score if r.key.pk in previous else None) for r in rows}
    manage = agency is not None and user.has_perm("fives.manage_fives", agency)
    return render(request, "fives/ranking.html", {
        "agency": agency, "period": period, "periods": recent_periods(),
        "rows": [(r, changes[r.key.pk]) for r in rows],
        "agencies": agencies if len(agencies) > 1 else None,
        "rewards": rewards, "can_manage": manage,
        "province": province,
        "trend": {
            "labels": [p.label for p in periods], "percent": True,
            "datasets": [{"label": unit.name, "data": [float(v) if v is not None else None for v in values],
                          "color": COLOURS[i % len(COLOURS)], "type": "line"}
                         for i, (unit, values) in enumerate(trend_rows)],
        } if trend_rows else None,
        "bars": {
            "labels": [r.key.name for r in rows], "percent": True, "horizontal": True,
            "datasets": [{"label": _("Score (%)"), "data": [float(r.score) for r in rows], "color": "#198754"}],
        } if rows else None,
    })
