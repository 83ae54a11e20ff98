"""Pages of quality objectives: the year's list under the quality policy in force (with who has
acknowledged reading it), a new objective, editing, one objective with its measurements and trend
chart, approval, refresh and manual measurements."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eiso.core.audit import history_for
from eiso.core.errors import DomainError, Forbidden, NotFound
from eiso.core.pages import form_page, require, run_form
from eiso.core.text import parse_year
from eiso.documents.selectors.revisions import acknowledgement_state, quality_policy_in_force
from eiso.objectives import selectors, services
from eiso.objectives.choices import PERCENT_INDICATORS, IndicatorCode, ObjectiveStatus
from eiso.objectives.forms import MeasurementForm, ObjectiveForm
from eiso.objectives.formulas import period_label, periods
from eiso.organizations import selectors as org_selectors
from eiso.procedures.selectors import admin_procedures_for_user


def _year(value: str) -> int:
    return parse_year(value) or timezone.localdate().year


@login_required
def objective_list(request):
    user = request.user
    year = _year(request.GET.get("year", ""))
    objectives = list(selectors.objectives_for_user(user, year=year))
    per_agency: dict = {}
    for objective in objectives:
        rows = list(objective.measurements.all())
        objective.last = rows[-1] if rows else None
        summary = per_agency.setdefault(objective.agency_id, {"agency": objective.agency, "objectives": 0,
                                                              "measured": 0, "met": 0})
        summary["objectives"] += 1
        if objective.last is not None:
            summary["measured"] += 1
            summary["met"] += objective.last.met
    policy = quality_policy_in_force(user, user.agency)
    return render(request, "objectives/objective_list.html", {
        "policy": policy, "policy_state": acknowledgement_state(user, policy) if policy else None,
        "objectives": objectives, "year": year, "years": range(timezone.localdate().year + 1,
                                                               timezone.localdate().year - 5, -1),
        "can_add": user.agency is not None and user.has_perm("objectives.add_objective", user.agency),
        "show_agency": org_selectors.agencies_for_user(user).count() > 1,
        "word_agency": user.agency,  # the objectives table prints for one's own agency
        "per_agency": sorted(per_agency.values(), key=lambda r: r["agency"].name),
    })


def _choices(user, agency) -> dict:
    return {
        "units": org_selectors.units_for_user(user, agency=str(agency.pk), active="1").order_by("name"),
        "procedures": admin_procedures_for_user(user, agency=str(agency.pk), active="1").select_related(None)
        .order_by("code"),
        "people": org_selectors.users_for_user(user, agency=str(agency.pk), active="1"),
    }


@login_required
def objective_create(request):
    user = request.user
    agency = user.agency
    if agency is None:
        raise Forbidden()
    require(request, "objectives.add_objective", agency)
    form = ObjectiveForm(request.POST or None, **_choices(user, agency))
    if request.method == "POST":
        ok, objective = run_form(form, lambda: services.objective_create(actor=user, agency=agency,
                                                                         **form.cleaned_data))
        if ok:
            services.measurements_refresh(actor=user, objective=objective)
            messages.success(request, _("The objective was drafted; the agency head approves it."))
            return redirect("objectives:objective-detail", objective.pk)
    return form_page(request, form, title=_("New quality objective"), cancel_url=reverse("objectives:objective-list"))


@login_required
def objective_update(request, pk):
    """Edit an objective: a draft entirely, an approved one its owner and plan only."""
    user = request.user
    objective = selectors.objective_get_for_user(user, pk)
    require(request, "objectives.change_objective", objective)
    plan_only = objective.status == ObjectiveStatus.APPROVED
    form = ObjectiveForm(request.POST or None, instance=objective, plan_only=plan_only,
                         **_choices(user, objective.agency))
    if request.method == "POST":
        ok, _obj = run_form(form, lambda: services.objective_update(actor=user, objective=objective,
                                                                    **form.cleaned_data))
        if ok:
            messages.success(request, _("The objective was saved."))
            return redirect("objectives:objective-detail", objective.pk)
    intro = _("The objective is approved: only its owner and plan can still change.") if plan_only else ""
    return form_page(request, form, title=_("Edit the objective"), intro=intro,
                     cancel_url=reverse("objectives:objective-detail", args=[objective.pk]))


@login_required
def objective_detail(request, pk):
    user = request.user
    objective = selectors.objective_get_for_user(user, pk)
    if objective.indicator != IndicatorCode.MANUAL:
        # Computed figures follow their data (an import, a closure…): recompute the open periods
        # on reading (confirmed ones are frozen); the nightly `eiso objectives refresh` does all.
        services.measurements_refresh(actor=None, objective=objective)
    rows = list(selectors.measurements_for_user(user, objective).select_related("nonconformity"))
    today = timezone.localdate()
    can_change = user.has_perm("objectives.change_objective", objective)
    for row in rows:
        row.label = period_label(row.period_start, row.period_end)
        row.closed = row.period_end < today
        row.can_confirm = can_change and row.closed and row.confirmed_on is None
        row.can_record_nc = can_change and row.closed and not row.met and row.nonconformity_id is None
    return render(request, "objectives/objective_detail.html", {
        "objective": objective, "rows": rows, "history": list(history_for(objective)[:20]),
        "manual": objective.indicator == IndicatorCode.MANUAL,
        "can_edit": can_change,
        "can_approve": objective.status == "draft" and user.has_perm("objectives.approve_objective", objective),
        "can_refresh": objective.indicator != IndicatorCode.MANUAL
        and user.has_perm("objectives.change_objective", objective),
        "can_measure": objective.indicator == IndicatorCode.MANUAL
        and user.has_perm("objectives.measure_objective", objective),
        "chart": {
            "labels": [r.label for r in rows], "percent": objective.indicator in PERCENT_INDICATORS,
            "datasets": [{"label": _("Value"), "data": [float(r.value) for r in rows], "color": "#0d6efd"},
                         {"label": _("Target"), "data": [float(objective.target) for _r in rows], "color": "#dc3545",
                          "type": "line"}],
        } if rows else None,
    })


@login_required
@require_POST
def objective_approve(request, pk):
    objective = selectors.objective_get_for_user(request.user, pk)
    require(request, "objectives.approve_objective", objective)
    try:
        services.objective_approve(actor=request.user, objective=objective)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The objective was approved."))
    return redirect("objectives:objective-detail", objective.pk)


@login_required
@require_POST
def objective_refresh(request, pk):
    objective = selectors.objective_get_for_user(request.user, pk)
    require(request, "objectives.change_objective", objective)
    written = services.measurements_refresh(actor=request.user, objective=objective)
    messages.success(request, _("Measurements computed again: %(n)s changed.") % {"n": written})
    return redirect("objectives:objective-detail", objective.pk)


@login_required
@require_POST
def measurement_confirm(request, pk):
    measurement = selectors.measurement_get_for_user(request.user, pk)
    require(request, "objectives.change_objective", measurement.objective)
    try:
        services.measurement_confirm(actor=request.user, measurement=measurement)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The figure was confirmed; it no longer changes."))
    return redirect("objectives:objective-detail", measurement.objective_id)


@login_required
@require_POST
def measurement_nonconformity(request, pk):
    """The one-click button beside a missed period: record it as a nonconformity."""
    measurement = selectors.measurement_get_for_user(request.user, pk)
    require(request, "objectives.change_objective", measurement.objective)
    try:
        nc = services.measurement_nonconformity(actor=request.user, measurement=measurement)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("objectives:objective-detail", measurement.objective_id)
    messages.success(request, _("Nonconformity %(code)s was recorded: answer it with a corrective action request.")
                     % {"code": nc.code})
    return redirect("improvements:nonconformity-detail", nc.pk)


@login_required
def objective_measure(request, pk):
    objective = selectors.objective_get_for_user(request.user, pk)
    require(request, "objectives.measure_objective", objective)
    form = MeasurementForm(request.POST or None, request.FILES or None,
                           periods=periods(objective.year, objective.frequency))
    if request.method == "POST":
        ok, _row = run_form(form, lambda: services.measurement_record(actor=request.user, objective=objective,
                                                                      **form.service_data()))
        if ok:
            messages.success(request, _("The measurement was recorded."))
            return redirect("objectives:objective-detail", objective.pk)
    return form_page(request, form, title=_("Record a measurement"), intro=objective.title,
                     cancel_url=reverse("objectives:objective-detail", args=[objective.pk]),
                     template="objectives/measurement_form.html")


@login_required
def measurement_evidence(request, pk):
    """The evidence file of a manual measurement, for whoever reads the objective."""
    measurement = selectors.measurement_get_for_user(request.user, pk)
    if not measurement.evidence_file:
        raise NotFound()
    return FileResponse(measurement.evidence_file.open("rb"), as_attachment=True,
                        filename=measurement.evidence_file_name or measurement.evidence_file.name.rsplit("/", 1)[-1])


app_name = "objectives"
urlpatterns = [
    path("objectives/", objective_list, name="objective-list"),
    path("objectives/new/", objective_create, name="objective-create"),
    path("objectives/<int:pk>/", objective_detail, name="objective-detail"),
    path("objectives/<int:pk>/edit/", objective_update, name="objective-update"),
    path("objectives/<int:pk>/approve/", objective_approve, name="objective-approve"),
    path("objectives/<int:pk>/refresh/", objective_refresh, name="objective-refresh"),
    path("objectives/<int:pk>/measure/", objective_measure, name="objective-measure"),
    path("objectives/measurements/<int:pk>/evidence/", measurement_evidence, name="measurement-evidence"),
    path("objectives/measurements/<int:pk>/confirm/", measurement_confirm, name="measurement-confirm"),
    path("objectives/measurements/<int:pk>/nonconformity/", measurement_nonconformity,
         name="measurement-nonconformity"),
]
