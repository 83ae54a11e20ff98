"""On-time statistics: the page (figures, charts, tables per agency, procedure, step, unit and
month) and its Excel export. Everything is read from the rollups through
``eiso.dossiers.selectors.statistics``; a filter outside the user's scope is a form error."""

import hashlib
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from eiso.core import freshness
from eiso.core.charts import percent_axis_min
from eiso.core.downloads import XLSX_CONTENT_TYPE, attachment_response, filename_for
from eiso.core.errors import Forbidden, NotFound, ValidationFailed
from eiso.core.pages import csrf_slots, fill_csrf_slots, render_list
from eiso.dossiers import statistics_excel
from eiso.dossiers.forms_statistics import StatisticsFilterForm
from eiso.dossiers.rates import Counts, default_period
from eiso.dossiers.selectors import statistics as stats
from eiso.organizations.selectors import visible_agencies

TABLE_LIMIT = 50  # rows per table; the Excel export has them all
TABLE_SHOWN = 10  # rows of a table shown before "show all" unfolds the rest
STEP_LIMIT = 20
CHART_TOP = 15
COLOURS = {"early": "#198754", "on_time": "#0d6efd", "late": "#dc3545", "rate": "#fd7e14"}


def _require_scope(user) -> None:
    # A member of an agency reads at least that agency (no query: the membership is loaded already).
    if user.membership is None and not visible_agencies(user).exists():
        raise Forbidden()


def _filter(request):
    """(form, query, sort) — query None when the filter is not valid (the form says why)."""
    data = request.GET.copy()
    if not data.get("from") and not data.get("to"):  # show the default period in the month fields
        start, end = default_period(timezone.localdate())
        data["from"], data["to"] = start.strftime("%Y-%m"), end.strftime("%Y-%m")
    form = StatisticsFilterForm(data, user=request.user)
    if not form.is_valid():
        return form, None, "late"
    try:
        query = stats.statistics_query(request.user, **form.params())
    except ValidationFailed as exc:
        form.apply_domain_error(exc)
        return form, None, "late"
    except NotFound:
        form.add_error(None, _("Choose an agency and a procedure from the lists."))
        return form, None, "late"
    return form, query, form.cleaned_data.get("sort") or "late"


def _bars(rows, *, horizontal=False, rate=True, percent=False) -> dict:
    """A stacked early/on-time/late chart (counts, or shares when ``percent``) with the on-time
    rate as a line (vertical charts) — the spec static/eiso/charts.js draws."""
    def values(row, name):
        n = getattr(row, name)
        return round(100.0 * n / row.total, 1) if percent and row.total else n

    datasets = [
        {"label": _("Early"), "data": [values(r, "early") for r in rows], "color": COLOURS["early"]},
        {"label": _("On time"), "data": [values(r, "on_time") for r in rows], "color": COLOURS["on_time"]},
        {"label": _("Late"), "data": [values(r, "late") for r in rows], "color": COLOURS["late"]},
    ]
    spec = {"labels": [_chart_label(r) for r in rows], "datasets": datasets, "horizontal": horizontal,
            "percent": percent, "stacked": True}
    if rate and not horizontal:
        datasets.append({"label": _("On-time rate (%)"), "data": [r.on_time_rate for r in rows],
                         "color": COLOURS["rate"], "type": "line", "axis": "rate"})
        spec["rateMin"] = percent_axis_min(r.on_time_rate for r in rows)
    return spec


def _chart_label(row, width=56) -> str:
    """A bar's label, cut at ``width`` characters (charts.js wraps it on two lines; the tooltip and
    the table have it whole)."""
    if row.step:
        text = f"{row.code} · {row.step}. {row.label}"
    elif row.code and row.procedure_id:
        text = f"{row.code} {row.label}"
    else:
        text = row.agency if row.code and not row.procedure_id else row.label
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


def _table(user, query, group, sort, limit=TABLE_LIMIT, labels=None) -> dict:
    rows, count = stats.top_rows(user, query, group, sort, limit, labels=labels)
    return {"rows": rows, "count": count, "cut": count > len(rows),
            "chart": _bars(rows[:CHART_TOP], horizontal=True, percent=True)}


def _export_query(request) -> str:
    keys = ("from", "to", "agency", "procedure", "field", "sort")
    return urlencode({k: request.GET[k] for k in keys if request.GET.get(k)})


@login_required
@require_safe
def statistics(request):
    user = request.user
    _require_scope(user)
    form, query, sort = _filter(request)
    context = {"filters": form, "form": form, "query": query, "sort": sort, "export_query": _export_query(request),
               "several_agencies": form.several_agencies, "table_limit": TABLE_LIMIT, "chart_top": CHART_TOP,
               "shown": TABLE_SHOWN}
    if query is not None:
        several = form.several_agencies and not query.agency_id
        # The tables come from the rollups alone, which change only with the data: kept in the cache
        # until the data change (eiso.core.freshness, per user, period and filter). "Open now" and
        # "overdue now" follow the clock: counted on every request.
        key = hashlib.sha256(repr((query, sort, several)).encode()).hexdigest()[:32]
        computed_at, tables = freshness.cached_with_time(f"dossiers.statistics.{key}", user,
                                                         lambda: _tables(user, query, sort, several))
        context.update(tables)
        # The sections drawn from these tables alone keep their markup with them (template fragments
        # keyed by the copy's instant); the step table's buttons hold a slot for the CSRF token, which
        # belongs to this request and is put in after rendering.
        context.update(freshness.fragment(request, computed_at))
        context["now"] = stats.open_now(user, query)
    csrf_slots(request, context)
    return fill_csrf_slots(render_list(request, "dossiers/statistics.html", context), context)


def _tables(user, query, sort, several) -> dict:
    months = stats.by_month(user, query)
    labels = stats.procedure_labels(user, query)  # for the procedure and step tables, read once
    tables = {
        "totals": sum((r.counts for r in months), Counts()),  # the same sums as stats.totals, one query fewer
        "months": months,
        "chart_months": _bars(months),
        "procedures": _table(user, query, "procedure", sort, labels=labels),
        "steps": _table(user, query, "step", sort, limit=STEP_LIMIT, labels=labels),
        "units": _table(user, query, "unit", sort),
    }
    if several:
        agencies = stats.by_agency(user, query)
        tables["agencies"] = {
            "rows": agencies, "count": len(agencies),
            "chart": {"labels": [r.agency for r in agencies[:40]], "horizontal": True, "percent": True,
                      "stacked": False, "min": percent_axis_min(r.on_time_rate for r in agencies[:40]),
                      "datasets": [{"label": _("On-time rate (%)"), "data": [r.on_time_rate for r in agencies[:40]],
                                    "color": COLOURS["on_time"]}]},
        }
    return tables


# --- Excel -------------------------------------------------------------------------------------------

@login_required
@require_safe
def statistics_xlsx(request):
    user = request.user
    _require_scope(user)
    form, query, sort = _filter(request)
    if query is None:
        message = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        raise ValidationFailed(message or _("The filter is not valid."))
    several = form.several_agencies and not query.agency_id
    agency_name = ""
    if query.agency_id or not form.several_agencies:
        agency_name = visible_agencies(user).filter(pk=query.agency_id).values_list("name", flat=True).first() \
            if query.agency_id else visible_agencies(user).values_list("name", flat=True).first()
    content = statistics_excel.statistics_xlsx(statistics_excel.StatisticsTables(
        start=query.start, end=query.end, agency=agency_name or "",
        totals=stats.totals(user, query), now=stats.open_now(user, query),
        months=stats.by_month(user, query),
        agencies=stats.by_agency(user, query) if several else [],
        procedures=stats.sort_rows(stats.by_procedure(user, query), sort),
        steps=stats.sort_rows(stats.by_step(user, query), sort),
        units=stats.sort_rows(stats.by_unit(user, query), sort),
        generated=timezone.localtime(),
    ))
    name = filename_for(f"Thống kê giải quyết hồ sơ {query.start:%m-%Y} đến {query.end:%m-%Y}", extension="xlsx")
    return attachment_response(content, XLSX_CONTENT_TYPE, name)


urlpatterns = [
    path("dossiers/statistics/", statistics, name="statistics"),
    path("dossiers/statistics.xlsx", statistics_xlsx, name="statistics-xlsx"),
]
