"""Pages of the rollout plan: the list of rollouts, a new rollout, one rollout (overview with its
phases and progress, registry, gap surveys), its changes, its completion and its phases."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from eiso.core.audit import history_for
from eiso.core.errors import Forbidden
from eiso.core.pages import form_page, paged, render_list, require, run_form, tab_of
from eiso.organizations import selectors as org_selectors
from eiso.rollout import selectors, services
from eiso.rollout.choices import PHASE_TRANSITIONS, GapResult, PhaseStatus, RolloutStatus
from eiso.rollout.forms import (
    PhaseForm,
    RegistryDecisionForm,
    RegistryFilterForm,
    RolloutCreateForm,
    RolloutFilterForm,
    RolloutForm,
)
from eiso.rollout.views.common import STATUS_BADGES, progress_chart, run_action, unit_label

TABS = [("overview", gettext_lazy("Plan and progress")), ("registry", gettext_lazy("Procedure registry")),
        ("survey", gettext_lazy("Gap survey")), ("history", gettext_lazy("History"))]
# The button of each move: (from, to) → label.
PHASE_ACTIONS = {(PhaseStatus.PLANNED, PhaseStatus.IN_PROGRESS): gettext_lazy("Start"),
                 (PhaseStatus.IN_PROGRESS, PhaseStatus.DONE): gettext_lazy("Mark done"),
                 (PhaseStatus.IN_PROGRESS, PhaseStatus.PLANNED): gettext_lazy("Back to not started"),
                 (PhaseStatus.DONE, PhaseStatus.IN_PROGRESS): gettext_lazy("Reopen")}


@login_required
def rollout_list(request):
    user = request.user
    today = timezone.localdate()
    agencies = list(org_selectors.agencies_for_user(user))
    filters = RolloutFilterForm(request.GET or None, agencies=agencies)
    rollouts = selectors.rollouts_for_user(user, today=today, **filters.selector_kwargs())
    context = {
        "filters": filters, **paged(request, rollouts), "today": today,
        "show_agency": "agency" in filters.fields,
        "can_add": user.agency is not None and user.has_perm("rollout.add_rollout", user.agency),
    }
    rows = list(context["page"].object_list)
    for r in rows:
        r.percent = round(100 * r.issued / r.items) if r.items else None
    if len(rows) > 1:
        context["chart"] = {
            "type": "bar", "horizontal": True, "percent": True, "min": 0, "max": 100,
            "labels": [r.agency.short_name or r.agency.name for r in rows],
            "datasets": [{"label": _("Procedures issued (%)"), "data": [r.percent or 0 for r in rows]}],
        }
    return render_list(request, "rollout/rollout_list.html", context)


@login_required
def rollout_create(request):
    user = request.user
    agency = user.agency
    if agency is None:
        raise Forbidden()
    require(request, "rollout.add_rollout", agency)
    form = RolloutCreateForm(request.POST or None)
    if request.method == "POST":
        ok, rollout = run_form(form, lambda: services.rollout_create(actor=user, agency=agency, **form.cleaned_data))
        if ok:
            messages.success(request, _("The rollout plan was created with its five phases; set their dates, "
                                        "then build the procedure registry."))
            return redirect("rollout:rollout-detail", rollout.pk)
    return form_page(request, form, title=_("New QMS rollout"), cancel_url=reverse("rollout:rollout-list"),
                     intro=_("The plan starts with the five usual phases (preparation and gap survey, "
                             "documentation, implementation and training, internal audit and management "
                             "review, announcement), their dates spread up to the planned announcement."))


def _overview(user, rollout, today) -> dict:
    phases = selectors.phases_of(rollout)
    current = selectors.current_phase(phases)
    can_change = user.has_perm("rollout.change_rollout", rollout)
    for phase in phases:
        phase.is_current = current is not None and phase.pk == current.pk
        phase.late = (phase.status != PhaseStatus.DONE and phase.planned_end is not None
                      and phase.planned_end < today)
        phase.actions = ([(s, PHASE_ACTIONS[(phase.status, s)]) for s in PHASE_TRANSITIONS[phase.status]]
                         if can_change else [])
    overall, per_unit = selectors.registry_progress(rollout, today)
    for t in per_unit:
        t.name = unit_label(t)
    committee = org_selectors.steering_committees_for_user(user, agency=str(rollout.agency_id), active="1").first()
    return {"phases": phases, "current": current, "overall": overall, "per_unit": per_unit,
            "chart": progress_chart(per_unit), "committee": committee,
            "members": list(committee.members.select_related("user")) if committee else []}


def _registry(request, rollout, today) -> dict:
    units = selectors.registry_units(rollout)
    filters = RegistryFilterForm(request.GET or None, units=units)
    items = selectors.registry_items_for_user(request.user, rollout=rollout, today=today,
                                              **filters.selector_kwargs())
    context = {"filters": filters, **paged(request, items), "can_change": request.user.has_perm(
        "rollout.change_rollout", rollout)}
    for item in context["page"].object_list:
        item.overdue = item.is_overdue(today)
        item.badge = STATUS_BADGES[item.status]
        item.can_progress = request.user.has_perm("rollout.progress_registryitem", item)
    context["gaps"] = services.catalogue_gaps(rollout).count() if rollout.status == RolloutStatus.IN_PROGRESS else 0
    return context


@login_required
def rollout_detail(request, pk):
    user = request.user
    rollout = selectors.rollout_get_for_user(user, pk)
    today = timezone.localdate()
    tab = tab_of(request, TABS)
    can_change = user.has_perm("rollout.change_rollout", rollout)
    context = {"rollout": rollout, "tabs": TABS, "tab": tab, "today": today, "can_change": can_change,
               "open": rollout.status == RolloutStatus.IN_PROGRESS, "month": today.strftime("%m/%Y")}
    if tab == "overview":
        context.update(_overview(user, rollout, today))
    elif tab == "registry":
        context.update(_registry(request, rollout, today))
    elif tab == "survey":
        context["surveys"] = selectors.gap_surveys_of(rollout)
        context["results"] = GapResult
    else:
        context["history"] = list(history_for(rollout)[:50])
    return render_list(request, "rollout/rollout_detail.html", context)


@login_required
def rollout_update(request, pk):
    rollout = selectors.rollout_get_for_user(request.user, pk)
    require(request, "rollout.change_rollout", rollout)
    form = RolloutForm(request.POST or None, instance=rollout)
    if request.method == "POST":
        ok, _saved = run_form(form, lambda: services.rollout_update(actor=request.user, rollout=rollout,
                                                                    **form.cleaned_data))
        if ok:
            messages.success(request, _("The rollout plan was saved."))
            return redirect("rollout:rollout-detail", rollout.pk)
    return form_page(request, form, title=_("Edit the rollout plan"),
                     cancel_url=reverse("rollout:rollout-detail", args=[rollout.pk]))


@login_required
@require_POST
def rollout_complete(request, pk):
    rollout = selectors.rollout_get_for_user(request.user, pk)
    require(request, "rollout.change_rollout", rollout)
    run_action(request, lambda: services.rollout_complete(actor=request.user, rollout=rollout),
               _("The rollout is completed."))
    return redirect("rollout:rollout-detail", rollout.pk)


@login_required
def rollout_decision(request, pk):
    """Record the decision adopting the procedure registry."""
    rollout = selectors.rollout_get_for_user(request.user, pk)
    require(request, "rollout.change_rollout", rollout)
    form = RegistryDecisionForm(request.POST or None, initial={
        "decision_number": rollout.registry_decision_number, "decision_date": rollout.registry_decision_date,
        "signer": rollout.registry_decision_signer})
    if request.method == "POST":
        ok, _saved = run_form(form, lambda: services.registry_adopt(actor=request.user, rollout=rollout,
                                                                    **form.cleaned_data))
        if ok:
            messages.success(request, _("The decision adopting the registry was recorded."))
            return redirect(reverse("rollout:rollout-detail", args=[rollout.pk]) + "?tab=registry")
    return form_page(request, form, title=_("Decision adopting the procedure registry"), intro=rollout.title,
                     cancel_url=reverse("rollout:rollout-detail", args=[rollout.pk]) + "?tab=registry")


@login_required
def rollout_phasecreate(request, pk):
    rollout = selectors.rollout_get_for_user(request.user, pk)
    require(request, "rollout.change_rollout", rollout)
    form = PhaseForm(request.POST or None)
    if request.method == "POST":
        ok, _phase = run_form(form, lambda: services.phase_add(actor=request.user, rollout=rollout,
                                                               **form.cleaned_data))
        if ok:
            messages.success(request, _("The phase was added."))
            return redirect("rollout:rollout-detail", rollout.pk)
    return form_page(request, form, title=_("New phase"), intro=rollout.title,
                     cancel_url=reverse("rollout:rollout-detail", args=[rollout.pk]))


@login_required
def rolloutphase_update(request, pk):
    phase = selectors.phase_get_for_user(request.user, pk)
    require(request, "rollout.change_rollout", phase)
    form = PhaseForm(request.POST or None, instance=phase)
    if request.method == "POST":
        ok, _saved = run_form(form, lambda: services.phase_update(actor=request.user, phase=phase,
                                                                  **form.cleaned_data))
        if ok:
            messages.success(request, _("The phase was saved."))
            return redirect("rollout:rollout-detail", phase.rollout_id)
    return form_page(request, form, title=_("Edit the phase"), intro=str(phase),
                     cancel_url=reverse("rollout:rollout-detail", args=[phase.rollout_id]))


@login_required
@require_POST
def rolloutphase_status(request, pk):
    phase = selectors.phase_get_for_user(request.user, pk)
    require(request, "rollout.change_rollout", phase)
    status = request.POST.get("status", "")
    if status not in PhaseStatus.values:
        messages.error(request, _("Unknown status."))
    else:
        run_action(request, lambda: services.phase_transition(actor=request.user, phase=phase, status=status),
                   _("Phase “%(name)s”: %(status)s.") % {"name": phase.name, "status": PhaseStatus(status).label})
    return redirect("rollout:rollout-detail", phase.rollout_id)


urlpatterns = [
    path("rollouts/", rollout_list, name="rollout-list"),
    path("rollouts/new/", rollout_create, name="rollout-create"),
    path("rollouts/<int:pk>/", rollout_detail, name="rollout-detail"),
    path("rollouts/<int:pk>/edit/", rollout_update, name="rollout-update"),
    path("rollouts/<int:pk>/complete/", rollout_complete, name="rollout-complete"),
    path("rollouts/<int:pk>/registry/decision/", rollout_decision, name="rollout-decision"),
    path("rollouts/<int:pk>/phases/new/", rollout_phasecreate, name="rollout-phasecreate"),
    path("rollout-phases/<int:pk>/edit/", rolloutphase_update, name="rolloutphase-update"),
    path("rollout-phases/<int:pk>/status/", rolloutphase_status, name="rolloutphase-status"),
]
