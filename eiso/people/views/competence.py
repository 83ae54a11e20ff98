"""Pages of competence: the matrix of a unit (person × required training: held, expired or a gap,
with the plan to close it), what each job requires and who holds it, actions to close gaps, and
the agency's training settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eiso.core.errors import DomainError, Forbidden
from eiso.core.pages import form_page, require, run_form
from eiso.organizations import selectors as org_selectors
from eiso.people import selectors, services
from eiso.people.choices import CellStatus, GapActionStatus
from eiso.people.forms import GapActionForm, HolderForm, PeopleSettingsForm, RequirementForm
from eiso.people.views.common import own_agency, people_of


@login_required
def competence_matrix(request):
    user = request.user
    units = list(selectors.matrix_units(user))
    wanted = request.GET.get("unit", "")
    unit = next((u for u in units if str(u.pk) == wanted), None)
    own_row_only = False
    if unit is None and units:
        mine = user.membership.unit_id if user.membership else None
        unit = next((u for u in units if u.pk == mine), units[0])
    if unit is None and user.membership and user.membership.unit:  # a member sees their own row
        unit, own_row_only = user.membership.unit, True
    matrix = selectors.competence_matrix(unit, person=user if own_row_only else None) if unit else None
    chart = None
    if matrix and matrix.kinds:
        held = [sum(1 for r in matrix.rows if r.cells[i] and r.cells[i].counts) for i in range(len(matrix.kinds))]
        expired = [sum(1 for r in matrix.rows if r.cells[i] and r.cells[i].status == CellStatus.EXPIRED)
                   for i in range(len(matrix.kinds))]
        gaps = [sum(1 for r in matrix.rows if r.cells[i] and r.cells[i].status == CellStatus.GAP)
                for i in range(len(matrix.kinds))]
        chart = {"type": "bar", "labels": [k.name for k in matrix.kinds], "stacked": True, "datasets": [
            {"label": _("Held"), "data": held}, {"label": _("Expired"), "data": expired},
            {"label": _("Not held"), "data": gaps}]}
    actions = list(selectors.gap_actions_for_user(user, status=GapActionStatus.OPEN).filter(
        user__memberships__unit=unit, user__memberships__valid_to__isnull=True).distinct()) if unit else []
    return render(request, "people/competence_matrix.html", {
        "units": units, "unit": unit, "matrix": matrix, "chart": chart, "actions": actions,
        "own_row_only": own_row_only, "today": timezone.localdate(),
        "can_plan": unit is not None and not own_row_only and user.has_perm("people.plan_gap", unit),
        "can_configure": user.agency is not None and user.has_perm("people.change_requirement", user.agency),
    })


@login_required
def requirement_list(request):
    user = request.user
    agency = user.agency
    can_change = agency is not None and user.has_perm("people.change_requirement", agency)
    if request.method == "POST" and not can_change:
        raise Forbidden()
    form = holder_form = None
    if can_change:
        jobs = org_selectors.job_descriptions_for_user(user, agency=str(agency.pk)).order_by("code")
        form = RequirementForm(request.POST if request.POST.get("form") == "requirement" else None,
                               kinds=selectors.course_kinds(), jobs=jobs)
        holder_form = HolderForm(request.POST if request.POST.get("form") == "holder" else None,
                                 jobs=jobs, people=people_of(agency))
        if request.method == "POST" and request.POST.get("form") == "requirement":
            ok, _req = run_form(form, lambda: services.requirement_add(actor=user, agency=agency,
                                                                       **form.cleaned_data))
            if ok:
                messages.success(request, _("The requirement was recorded."))
                return redirect("people:requirement-list")
        elif request.method == "POST" and request.POST.get("form") == "holder":
            ok, _holder = run_form(holder_form, lambda: services.holder_set(actor=user, **holder_form.cleaned_data))
            if ok:
                messages.success(request, _("The position holder was recorded."))
                return redirect("people:requirement-list")
    focus = str(agency.pk) if agency is not None else ""
    return render(request, "people/requirement_list.html", {
        "requirements": list(selectors.requirements_for_user(user, agency=focus)),
        "holders": list(selectors.holders_for_user(user, agency=focus).order_by("job_description__code",
                                                                                "user__full_name")),
        "form": form, "holder_form": holder_form, "can_change": can_change,
        "settings": selectors.settings_of(agency) if agency is not None else None,
        "can_configure": agency is not None and user.has_perm("people.change_settings", agency),
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def requirement_delete(request, pk):
    requirement = selectors.requirement_get_for_user(request.user, pk)
    require(request, "people.change_requirement", requirement)
    services.requirement_delete(actor=request.user, requirement=requirement)
    messages.success(request, _("The requirement was removed."))
    return redirect("people:requirement-list")


@login_required
@require_POST
def holder_delete(request, pk):
    holder = selectors.holder_get_for_user(request.user, pk)
    require(request, "people.change_requirement", holder)
    services.holder_remove(actor=request.user, holder=holder)
    messages.success(request, _("The position holder was removed."))
    return redirect("people:requirement-list")


@login_required
def gapaction_create(request):
    user = request.user
    units = [u for u in selectors.matrix_units(user) if user.has_perm("people.plan_gap", u)]
    wanted = request.GET.get("unit") or request.POST.get("unit") or ""
    unit = next((u for u in units if str(u.pk) == wanted), units[0] if units else None)
    if unit is None:
        raise Forbidden()
    agency = unit.agency
    form = GapActionForm(request.POST or None, people=people_of(agency, unit), kinds=selectors.course_kinds(),
                         owners=people_of(agency),
                         courses=selectors.courses_for_user(user, agency=str(agency.pk)).order_by("-start_date"),
                         initial={"person": request.GET.get("person"), "kind": request.GET.get("kind")})
    if request.method == "POST":
        ok, _action = run_form(form, lambda: services.gap_action_create(
            actor=user, person=form.cleaned_data["person"], kind=form.cleaned_data["kind"],
            action=form.cleaned_data["action"], owner=form.cleaned_data["owner"], due_on=form.cleaned_data["due_on"],
            course=form.cleaned_data["course"]))
        if ok:
            messages.success(request, _("The action to close the gap was planned."))
            return redirect(reverse("people:competence") + f"?unit={unit.pk}")
    return form_page(request, form, title=_("Plan how a gap closes"), intro=unit.name,
                     cancel_url=reverse("people:competence") + f"?unit={unit.pk}")


@login_required
@require_POST
def gapaction_complete(request, pk):
    action = selectors.gap_action_get_for_user(request.user, pk)
    require(request, "people.change_gapaction", action)
    try:
        services.gap_action_complete(actor=request.user, gap_action=action)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The action is done."))
    unit = action.user.membership.unit_id if action.user.membership else ""
    return redirect(reverse("people:competence") + f"?unit={unit}")


@login_required
def settings_update(request):
    user = request.user
    agency = own_agency(user)
    require(request, "people.change_settings", agency)
    current = selectors.settings_of(agency)
    form = PeopleSettingsForm(request.POST or None, initial={
        "auditor_training_required": current.auditor_training_required})
    if request.method == "POST":
        ok, _s = run_form(form, lambda: services.settings_update(actor=user, agency=agency, **form.cleaned_data))
        if ok:
            messages.success(request, _("The training settings were saved."))
            return redirect("people:requirement-list")
    return form_page(request, form, title=_("Training settings"), cancel_url=reverse("people:requirement-list"))
