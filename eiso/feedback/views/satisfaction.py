"""The citizen satisfaction page (TT 01/2018/TT-VPCP), its import and the SIPAS benchmark."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.errors import Conflict, ValidationFailed
from eiso.core.pages import ImportExample, form_page, import_page, render_list, require, run_form
from eiso.core.text import parse_year
from eiso.core.uploads import check_size
from eiso.feedback import selectors, services
from eiso.feedback.calculations import parse_period, periods_of_year, year_period
from eiso.feedback.choices import INDICATORS, MAX_TOTAL, Grade, Indicator, PeriodKind
from eiso.feedback.forms import BenchmarkForm, SatisfactionFilterForm, SatisfactionImportForm
from eiso.feedback.imports import satisfaction_import, summary
from eiso.feedback.views.common import filter_choices, focus_agency
from eiso.organizations import selectors as org_selectors
from eiso.organizations.agency_choices import agencies_for, initial_agency

GRADE_LABELS = dict(Grade.choices)
INDICATOR_LABELS = dict(Indicator.choices)
GRADE_COLOURS = {Grade.EXCELLENT: "success", Grade.GOOD: "primary", Grade.FAIR: "info", Grade.AVERAGE: "warning",
                 Grade.POOR: "danger"}


def _year(value: str, default: int) -> int:
    return parse_year(value) or default


def _decorate(figures):
    figures.grade_label = GRADE_LABELS.get(figures.grade, "")
    figures.grade_colour = GRADE_COLOURS.get(figures.grade, "secondary")
    return figures


@login_required
def satisfaction(request):
    """The score and grade of a period, each indicator's mean, the months or quarters of the year in
    a chart, and a table per procedure, unit or agency; the SIPAS figure beside them."""
    user = request.user
    get = request.GET
    today = timezone.localdate()
    year = _year(get.get("year", ""), today.year)
    kind = get.get("kind") if get.get("kind") in PeriodKind.values else PeriodKind.QUARTER
    periods = periods_of_year(year, kind) if kind != PeriodKind.YEAR else []
    agencies = list(org_selectors.agencies_for_user(user))
    agency = focus_agency(user, agencies, get.get("agency", ""))
    filters = SatisfactionFilterForm(get or None, periods=periods, agencies=agencies,
                                     **filter_choices(user, agency))
    chosen = filters.selector_kwargs()
    period = year_period(year)
    if chosen.get("period") in {p.key for p in periods}:
        period = parse_period(chosen["period"])
    scope = {"agency": str(agency.pk) if agency else "", "unit": chosen.get("unit", ""),
             "admin_procedure": chosen.get("admin_procedure", "")}
    figures = _decorate(selectors.satisfaction_figures(user, period=period, **scope))
    group = chosen.get("group") or ("agency" if agency is None else "procedure")
    rows = [_decorate(f) for f in selectors.satisfaction_by(user, group, period=period, **scope)]
    series = selectors.satisfaction_series(user, year=year, kind=kind, **scope) if periods else []
    benchmarks = selectors.latest_benchmarks(user, agency=scope["agency"], year=year)
    indicators = [{"number": i, "label": INDICATOR_LABELS[i], "score": figures.indicators.get(i)} for i in INDICATORS]
    return render_list(request, "feedback/satisfaction.html", {
        "filters": filters, "figures": figures, "period": period, "year": year, "rows": rows, "group": group,
        "indicators": indicators, "benchmarks": benchmarks, "sipas_values": sorted({b.sipas for b in benchmarks}),
        "agency": agency, "max_total": MAX_TOTAL,
        "indicator_chart": {
            "type": "bar", "horizontal": True, "max": 2, "labels": [f"{i}. {INDICATOR_LABELS[i]}" for i in INDICATORS],
            "datasets": [{"label": _("Mean score (0–2)"), "data": [
                float(s) if (s := figures.indicators.get(i)) is not None else None for i in INDICATORS]}]},
        "series_chart": {
            "type": "bar", "max": MAX_TOTAL, "labels": [s.label for s in series],
            "datasets": [{"label": _("Total score (0–18)"), "data": [
                float(s.score) if s.score is not None else None for s in series]}]} if series else None,
        "can_import": agency is not None and user.has_perm("feedback.import_satisfaction", agency),
        "can_benchmark": agency is not None and user.has_perm("feedback.change_benchmark", agency),
    })


IMPORT_LONG = (("STP-260302-0001", "1", "2"), ("STP-260302-0001", "7", "1"), ("STP-260302-0002", "1", "2"))
IMPORT_WIDE = (("STP-260302-0001", "2", "2", "2", "2", "2", "2", "1", "2", "2", "05/03/2026"),)


@login_required
def satisfaction_import_view(request):
    agencies = agencies_for(request, "feedback.import_satisfaction", required=True)
    form = SatisfactionImportForm(request.POST or None, request.FILES or None, agencies=agencies,
                                  initial=initial_agency(request, agencies))
    refusal = None
    if request.method == "POST" and form.is_valid():
        upload, agency = form.cleaned_data["file"], form.cleaned_data["agency"]
        try:
            check_size(upload)
            result = satisfaction_import(actor=request.user, agency=agency, file=upload, filename=upload.name)
        except (ValidationFailed, Conflict) as exc:
            refusal = exc
        else:
            messages.success(request, summary(upload.name, result))
            return redirect(reverse("feedback:satisfaction") + f"?agency={agency.pk}")
    return import_page(
        request, form, title=_("Import satisfaction evaluations"),
        intro=_("The evaluations the one-stop system exported: nine indicators (TT 01/2018/TT-VPCP), each scored "
                "0, 1 or 2 on a dossier. Every row is checked first: a file with any bad row is refused whole and "
                "nothing is written. Evaluations are matched by dossier code, so importing the same file again "
                "changes nothing."),
        cancel_url=reverse("feedback:satisfaction"),
        examples=[
            ImportExample(_("One row per score"), columns=("dossier_code", "indicator", "score"), rows=IMPORT_LONG),
            ImportExample(_("One row per dossier"), columns=("dossier_code", *[f"indicator_{i}" for i in INDICATORS],
                                                             "evaluated_on"), rows=IMPORT_WIDE),
            ImportExample(_("Indicators"), codes_label=_("indicator"),
                          codes=[f"{i}: {INDICATOR_LABELS[i]}" for i in INDICATORS]),
        ],
        refusal=refusal)


@login_required
def benchmark_set(request):
    """Enter (or correct) the provincial SIPAS figure of a year for the user's agency."""
    user = request.user
    agencies = agencies_for(request, "feedback.change_benchmark", required=True)
    agency = agencies.filter(pk=user.agency.pk).first() if user.agency else agencies.first()
    if agency is None:
        agency = agencies.first()
    form = BenchmarkForm(request.POST or None, initial={"year": timezone.localdate().year - 1})
    if request.method == "POST":
        require(request, "feedback.change_benchmark", agency)
        ok, benchmark = run_form(form, lambda: services.benchmark_set(actor=user, agency=agency, **form.cleaned_data))
        if ok:
            messages.success(request, _("The SIPAS figure of %(year)s was saved.") % {"year": benchmark.year})
            return redirect(reverse("feedback:satisfaction") + f"?year={benchmark.year}&kind=year")
    return form_page(request, form, title=_("SIPAS benchmark of %(agency)s") % {"agency": agency.name},
                     intro=_("The Satisfaction Index of Public Administrative Services the Ministry of Home Affairs "
                             "publishes for the province each year (QĐ 1001/QĐ-BNV), shown beside the agency's own "
                             "score."),
                     cancel_url=reverse("feedback:satisfaction"))
