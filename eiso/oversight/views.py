"""Pages of provincial oversight: the year's inspection plans, each inspection (decision,
checklist prefilled with eISO's evidence, minutes, findings and their corrective actions)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eiso.core.errors import DomainError, Forbidden
from eiso.core.pages import form_page, require, run_form
from eiso.core.text import parse_year
from eiso.organizations.models import Agency
from eiso.oversight import selectors, services
from eiso.oversight.calculations import answer_due, on_site_minimum
from eiso.oversight.choices import POINTS_BY_CODE, InspectionStatus, PlanStatus
from eiso.oversight.forms import ChecklistForm, DecisionForm, MinutesForm, PlanApproveForm, PlanForm, team_text
from eiso.oversight.views_overview import agency_page, overview


def _year(value: str) -> int | None:
    return parse_year(value)


def _province_agencies(plan_agency):
    return Agency.objects.active().filter(province_id=plan_agency.province_id).order_by("level", "name")


@login_required
def inspectionplan_list(request):
    user = request.user
    year = _year(request.GET.get("year", ""))
    plans = list(selectors.plans_for_user(user, year=year))
    for plan in plans:
        plan.minimum = on_site_minimum(plan.planned)
    return render(request, "oversight/plan_list.html", {
        "plans": plans, "year": year,
        "can_add": user.agency is not None and user.has_perm("oversight.add_inspectionplan", user.agency),
    })


@login_required
def inspectionplan_create(request):
    user = request.user
    if user.agency is None:
        raise Forbidden()
    require(request, "oversight.add_inspectionplan", user.agency)
    form = PlanForm(request.POST or None, agencies=_province_agencies(user.agency).exclude(pk=user.agency.pk),
                    initial={"year": timezone.localdate().year})
    if request.method == "POST":
        ok, plan = run_form(form, lambda: services.plan_create(
            actor=user, agency=user.agency, year=form.cleaned_data["year"], number=form.cleaned_data["number"],
            items=form.items()))
        if ok:
            messages.success(request, _("The inspection plan was drafted."))
            return redirect("oversight:inspectionplan-detail", plan.pk)
    return render(request, "oversight/plan_form.html", {"form": form, "title": _("New inspection plan"),
                                                        "cancel_url": reverse("oversight:inspectionplan-list")})


@login_required
def inspectionplan_detail(request, pk):
    user = request.user
    plan = selectors.plan_get_for_user(user, pk)
    inspections = list(selectors.inspections_for_user(user, plan=plan))
    can_change = user.has_perm("oversight.change_inspectionplan", plan)
    return render(request, "oversight/plan_detail.html", {
        "plan": plan, "inspections": inspections, "minimum": on_site_minimum(len(inspections)),
        "on_site": sum(1 for i in inspections if i.on_site),
        "can_edit": can_change and plan.status == PlanStatus.DRAFT,
        "approve_form": PlanApproveForm(initial={"number": plan.number, "signed_on": timezone.localdate()})
        if can_change and plan.status == PlanStatus.DRAFT else None,
    })


@login_required
def inspectionplan_update(request, pk):
    user = request.user
    plan = selectors.plan_get_for_user(user, pk)
    require(request, "oversight.change_inspectionplan", plan)
    current = {i.agency_id: {"month": i.month, "on_site": i.on_site} for i in plan.inspections.all()}
    form = PlanForm(request.POST or None, agencies=_province_agencies(plan.agency).exclude(pk=plan.agency_id),
                    initial_items=current, with_year=False)
    if request.method == "POST":
        ok, _plan = run_form(form, lambda: services.plan_items_set(actor=user, plan=plan, items=form.items()))
        if ok:
            messages.success(request, _("The plan's lines were saved."))
            return redirect("oversight:inspectionplan-detail", plan.pk)
    return render(request, "oversight/plan_form.html", {
        "form": form, "title": _("Inspection plan %(year)s") % {"year": plan.year},
        "cancel_url": reverse("oversight:inspectionplan-detail", args=[plan.pk])})


@login_required
@require_POST
def inspectionplan_approve(request, pk):
    user = request.user
    plan = selectors.plan_get_for_user(user, pk)
    require(request, "oversight.change_inspectionplan", plan)
    form = PlanApproveForm(request.POST)
    if form.is_valid():
        try:
            services.plan_approve(actor=user, plan=plan, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The plan was approved."))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("oversight:inspectionplan-detail", plan.pk)


@login_required
def inspection_detail(request, pk):
    user = request.user
    inspection = selectors.inspection_get_for_user(user, pk)
    evidence = selectors.evidence_for(inspection)
    can_change = user.has_perm("oversight.change_inspection", inspection)
    rows = []
    for code, point in POINTS_BY_CODE.items():
        saved = (inspection.checklist or {}).get(code, {})
        rows.append({"point": point, "result": saved.get("result", ""), "note": saved.get("note", ""),
                     "evidence": evidence.get(code)})
    findings = selectors.findings_of(inspection)
    return render(request, "oversight/inspection_detail.html", {
        "inspection": inspection, "rows": rows, "findings": findings,
        "can_decide": can_change and inspection.plan.status == PlanStatus.APPROVED
        and inspection.status in (InspectionStatus.PLANNED, InspectionStatus.DECIDED),
        "can_check": can_change and inspection.status == InspectionStatus.DECIDED,
        "minutes_form": MinutesForm(initial={"minutes_on": inspection.inspected_on or timezone.localdate()})
        if can_change and inspection.status == InspectionStatus.DECIDED else None,
        "answer_due": answer_due(inspection.minutes_on) if inspection.minutes_on else None,
        "today": timezone.localdate(),
    })


@login_required
def inspection_decide(request, pk):
    user = request.user
    inspection = selectors.inspection_get_for_user(user, pk)
    require(request, "oversight.change_inspection", inspection)
    form = DecisionForm(request.POST or None, initial={
        "decision_number": inspection.decision_number, "decision_on": inspection.decision_on or timezone.localdate(),
        "team": team_text(inspection.team)})
    if request.method == "POST":
        ok, _i = run_form(form, lambda: services.inspection_decide(actor=user, inspection=inspection,
                                                                   **form.service_data()))
        if ok:
            messages.success(request, _("The inspection decision was recorded."))
            return redirect("oversight:oversightinspection-detail", inspection.pk)
    return form_page(request, form, title=_("Inspection decision"), intro=str(inspection),
                     cancel_url=reverse("oversight:oversightinspection-detail", args=[inspection.pk]))


@login_required
def inspection_checklist(request, pk):
    user = request.user
    inspection = selectors.inspection_get_for_user(user, pk)
    require(request, "oversight.change_inspection", inspection)
    evidence = selectors.evidence_for(inspection)
    form = ChecklistForm(request.POST or None, checklist=inspection.checklist, evidence=evidence, initial={
        "inspected_on": inspection.inspected_on or timezone.localdate(),
        "agency_representative": inspection.agency_representative, "conclusion": inspection.conclusion})
    if request.method == "POST":
        ok, _i = run_form(form, lambda: services.inspection_checklist_save(
            actor=user, inspection=inspection, results=form.results(),
            inspected_on=form.cleaned_data["inspected_on"],
            agency_representative=form.cleaned_data["agency_representative"],
            conclusion=form.cleaned_data["conclusion"]))
        if ok:
            messages.success(request, _("The checklist was saved."))
            return redirect("oversight:oversightinspection-detail", inspection.pk)
    return render(request, "oversight/inspection_checklist.html", {
        "inspection": inspection, "form": form,
        "cancel_url": reverse("oversight:oversightinspection-detail", args=[inspection.pk])})


@login_required
@require_POST
def inspection_minutes(request, pk):
    user = request.user
    inspection = selectors.inspection_get_for_user(user, pk)
    require(request, "oversight.change_inspection", inspection)
    form = MinutesForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("oversight:oversightinspection-detail", inspection.pk)
    try:
        services.inspection_minutes_issue(actor=user, inspection=inspection, minutes_on=form.cleaned_data["minutes_on"],
                                          evidence=selectors.evidence_for(inspection))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The minutes were issued; each point not met is now a nonconformity of the "
                                    "agency, to answer within 2 months."))
    return redirect("oversight:oversightinspection-detail", inspection.pk)


app_name = "oversight"
urlpatterns = [
    path("oversight/", overview, name="overview"),
    path("oversight/agencies/<int:pk>/", agency_page, name="agency"),
    path("oversight/plans/", inspectionplan_list, name="inspectionplan-list"),
    path("oversight/plans/new/", inspectionplan_create, name="inspectionplan-create"),
    path("oversight/plans/<int:pk>/", inspectionplan_detail, name="inspectionplan-detail"),
    path("oversight/plans/<int:pk>/edit/", inspectionplan_update, name="inspectionplan-update"),
    path("oversight/plans/<int:pk>/approve/", inspectionplan_approve, name="inspectionplan-approve"),
    path("oversight/inspections/<int:pk>/", inspection_detail, name="oversightinspection-detail"),
    path("oversight/inspections/<int:pk>/decide/", inspection_decide, name="oversightinspection-decide"),
    path("oversight/inspections/<int:pk>/checklist/", inspection_checklist, name="oversightinspection-checklist"),
    path("oversight/inspections/<int:pk>/minutes/", inspection_minutes, name="oversightinspection-minutes"),
]
