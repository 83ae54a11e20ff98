"""Pages of nonconformities, corrective actions, risks and what needs attention.

Views parse input, read through the selectors (another agency's id reads as not found), call a
service to write, and render. Refusals of the services are shown on the forms.
"""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eiso.audits import selectors as audit_selectors
from eiso.core import freshness
from eiso.core.audit import history_for
from eiso.core.errors import Conflict, DomainError, Forbidden, ValidationFailed
from eiso.core.pages import form_page, next_url, paged, render_list, require, run_form
from eiso.core.panels import panels_for
from eiso.core.text import is_id
from eiso.documents.selectors.records import procedure_documents_for_user
from eiso.improvements import selectors, services
from eiso.improvements.calculations import SCALE, risk_level
from eiso.improvements.choices import NonconformityAction, NonconformityStatus, RiskLevel
from eiso.improvements.forms import (
    CorrectiveActionFilterForm,
    CorrectiveActionForm,
    ImplementForm,
    LateStepForm,
    NonconformityFilterForm,
    NonconformityForm,
    RiskFilterForm,
    RiskForm,
    VerifyForm,
)
from eiso.organizations import selectors as org_selectors
from eiso.organizations.choices import Role
from eiso.procedures.selectors import admin_procedures_for_user

LEVEL_COLOURS = {RiskLevel.LOW: "#198754", RiskLevel.MEDIUM: "#ffc107", RiskLevel.HIGH: "#fd7e14",
                 RiskLevel.VERY_HIGH: "#dc3545"}
MOVE_LABELS = dict(NonconformityAction.choices)


def _filter_context(user):
    agencies = org_selectors.agencies_for_user(user)
    units = org_selectors.units_for_user(user, active="1").select_related("agency")
    if user.agency is not None and not user.has_role(Role.OVERSEER, Role.ADMIN):
        units = units.filter(agency=user.agency)
    return {"agencies": agencies, "units": units}


def _own_agency(user):
    if user.agency is None:
        raise Forbidden()
    return user.agency


def _units(agency):
    return agency.units.filter(is_active=True).order_by("name")


def _people(user, agency):
    return org_selectors.users_for_user(user, agency=str(agency.pk), active="1")


def _verifiers(user, agency):
    """The agency's ISO secretaries and internal auditors, in one query."""
    return _people(user, agency).filter(
        memberships__agency=agency, memberships__valid_to__isnull=True,
        memberships__role_rows__role__in=[Role.QMS_SECRETARY, Role.AUDITOR]).distinct()


def _history(obj):
    events = list(history_for(obj)[:30])
    for event in events:
        event.label = MOVE_LABELS.get(event.action)
    return events


# --- nonconformities ------------------------------------------------------------------------------


@login_required
def nonconformity_list(request):
    user = request.user
    filters = NonconformityFilterForm(request.GET or None, **_filter_context(user))
    ncs = selectors.nonconformities_for_user(user, **filters.selector_kwargs())
    return render_list(request, "improvements/nonconformity_list.html", {
        "filters": filters, **paged(request, ncs), "tab": "nonconformities",
        "can_add": user.agency is not None and user.has_perm("improvements.add_nonconformity", user.agency),
        "show_agency": filters.fields.get("agency") is not None,
    })


@login_required
def nonconformity_detail(request, pk):
    nc = selectors.nonconformity_get_for_user(request.user, pk)
    user = request.user
    action = getattr(nc, "action", None)
    return render(request, "improvements/nonconformity_detail.html", {
        "nc": nc, "action": action,
        "can_respond": action is None and nc.status == NonconformityStatus.OPEN
        and user.has_perm("improvements.add_correctiveaction", nc),
        "history": _history(nc),
        "repeat": nc.pk in selectors.repeat_ids(user, agency_ids=[nc.agency_id]),
    })


@login_required
def nonconformity_create(request):
    user = request.user
    agency = _own_agency(user)
    require(request, "improvements.add_nonconformity", agency)
    form = NonconformityForm(
        request.POST or None, units=_units(agency),
        procedures=admin_procedures_for_user(user, agency=str(agency.pk)),
        documents=procedure_documents_for_user(user, [agency]))
    if request.method == "POST":
        ok, nc = run_form(form, lambda: services.nonconformity_create(actor=user, agency=agency,
                                                                      **form.cleaned_data))
        if ok:
            messages.success(request, _("Nonconformity %(code)s was recorded.") % {"code": nc.code})
            return redirect("improvements:nonconformity-detail", nc.pk)
    return form_page(request, form, title=_("Report a nonconformity"),
                     cancel_url=reverse("improvements:nonconformity-list"))


@login_required
@require_POST
def nonconformity_from_late_step(request):
    """The one-click button of the dossier statistics: a step late too often becomes a nonconformity."""
    user = request.user
    agency = _own_agency(user)
    require(request, "improvements.add_nonconformity_from_dossiers", agency)
    form = LateStepForm(request.POST)
    back = next_url(request, reverse("improvements:nonconformity-list"))
    if not form.is_valid():
        messages.error(request, _("The step or the period is not valid."))
        return redirect(back)
    data = form.cleaned_data
    procedure = admin_procedures_for_user(user, agency=str(agency.pk)).filter(pk=data["admin_procedure"]).first()
    if procedure is None:
        messages.error(request, _("The procedure was not found in your agency."))
        return redirect(back)
    try:
        nc = services.nonconformity_from_late_step(
            actor=user, agency=agency, admin_procedure=procedure, step=data["step"], month_from=data["month_from"],
            month_to=data["month_to"], **({"threshold": data["threshold"]} if data["threshold"] is not None else {}))
    except (Conflict, ValidationFailed) as exc:
        existing = selectors.late_step_nonconformity(user, procedure=procedure, step=data["step"])
        if existing is not None:  # pressed twice, or by two people: show the one recorded
            messages.info(request, _("Step %(step)s of this procedure already has nonconformity %(code)s.") % {
                "step": data["step"], "code": existing.code})
            return redirect("improvements:nonconformity-detail", existing.pk)
        messages.error(request, str(exc.message))
        return redirect(back)
    messages.success(request, _("Nonconformity %(code)s was recorded.") % {"code": nc.code})
    return redirect("improvements:nonconformity-detail", nc.pk)


@login_required
@require_POST
def finding_nonconformity(request, pk):
    """The one-click button on an audit finding: its nonconformity, or the one it already has."""
    finding = audit_selectors.finding_get_for_user(request.user, pk)
    require(request, "improvements.add_nonconformity_from_finding", finding)
    try:
        nc = services.nonconformity_from_finding(actor=request.user, finding=finding)
    except (Conflict, ValidationFailed) as exc:
        existing = finding.nonconformities.first()
        if existing is not None:
            messages.info(request, _("Finding %(finding)s already has nonconformity %(code)s.") % {
                "finding": finding.code, "code": existing.code})
            return redirect("improvements:nonconformity-detail", existing.pk)
        messages.error(request, str(exc.message))
        return redirect(reverse("audits:audit-detail", args=[finding.audit_id]) + "#findings")
    messages.success(request, _("Nonconformity %(code)s was recorded from finding %(finding)s: answer it with "
                                "a corrective action request.") % {"code": nc.code, "finding": finding.code})
    return redirect("improvements:nonconformity-detail", nc.pk)


@login_required
def nonconformity_respond(request, pk):
    """Answer a nonconformity with a corrective action request."""
    nc = selectors.nonconformity_get_for_user(request.user, pk)
    require(request, "improvements.add_correctiveaction", nc)
    user = request.user
    form = CorrectiveActionForm(request.POST or None, people=_people(user, nc.agency),
                                verifiers=_verifiers(user, nc.agency))
    if request.method == "POST":
        ok, action = run_form(form, lambda: services.corrective_action_create(
            actor=user, nonconformity=nc, **form.service_data()))
        if ok:
            messages.success(request, _("The corrective action request was issued."))
            return redirect("improvements:corrective-action-detail", action.pk)
    return form_page(request, form, title=_("Corrective action request for %(code)s") % {"code": nc.code},
                     intro=nc.description, cancel_url=reverse("improvements:nonconformity-detail", args=[nc.pk]))


# --- corrective actions ---------------------------------------------------------------------------


@login_required
def corrective_action_list(request):
    user = request.user
    filters = CorrectiveActionFilterForm(request.GET or None, **_filter_context(user))
    kwargs = filters.selector_kwargs()
    if kwargs.pop("mine", False):
        kwargs["owner"] = str(user.pk)
    actions = selectors.corrective_actions_for_user(user, **kwargs)
    return render_list(request, "improvements/corrective_action_list.html", {
        "filters": filters, **paged(request, actions), "tab": "actions", "today": timezone.localdate(),
        "show_agency": filters.fields.get("agency") is not None,
    })


def _action_page(request, action, verify_form=None):
    user = request.user
    status = action.nonconformity.status
    S = NonconformityStatus
    can_verify = status == S.IMPLEMENTED and user.has_perm("improvements.verify_correctiveaction", action)
    return render(request, "improvements/corrective_action_detail.html", {
        "action": action, "nc": action.nonconformity, "today": timezone.localdate(),
        "verifications": list(selectors.verifications_of(action)),
        "can_edit": status == S.ACTION_PLANNED and user.has_perm("improvements.change_correctiveaction", action),
        "can_implement": status == S.ACTION_PLANNED
        and user.has_perm("improvements.implement_correctiveaction", action),
        "can_verify": can_verify,
        "verify_form": (verify_form or VerifyForm()) if can_verify else None,
        "can_close": status == S.VERIFIED_EFFECTIVE and user.has_perm("improvements.close_correctiveaction", action),
        "history": sorted(_history(action.nonconformity) + _history(action), key=lambda e: e.pk, reverse=True),
    })


@login_required
def corrective_action_detail(request, pk):
    return _action_page(request, selectors.corrective_action_get_for_user(request.user, pk))


@login_required
def corrective_action_update(request, pk):
    action = selectors.corrective_action_get_for_user(request.user, pk)
    require(request, "improvements.change_correctiveaction", action)
    user = request.user
    form = CorrectiveActionForm(request.POST or None, people=_people(user, action.agency),
                                verifiers=_verifiers(user, action.agency), instance=action)
    if request.method == "POST":
        ok, _result = run_form(form, lambda: services.corrective_action_update(actor=user, action=action,
                                                                              **form.service_data()))
        if ok:
            messages.success(request, _("The changes were saved."))
            return redirect("improvements:corrective-action-detail", action.pk)
    return form_page(request, form, title=_("Edit the corrective action for %(code)s") % {
        "code": action.nonconformity.code}, cancel_url=reverse("improvements:corrective-action-detail",
                                                               args=[action.pk]))


@login_required
def corrective_action_implement(request, pk):
    action = selectors.corrective_action_get_for_user(request.user, pk)
    require(request, "improvements.implement_correctiveaction", action)
    form = ImplementForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        ok, _result = run_form(form, lambda: services.corrective_action_implement(
            actor=request.user, action=action, **form.cleaned_data))
        if ok:
            messages.success(request, _("The implementation was recorded; the action waits for verification."))
            return redirect("improvements:corrective-action-detail", action.pk)
    return form_page(request, form, title=_("Record the implementation"), intro=action.action_plan,
                     cancel_url=reverse("improvements:corrective-action-detail", args=[action.pk]),
                     template="improvements/upload_form.html")


@login_required
@require_POST
def corrective_action_verify(request, pk):
    """The verification form sits on the action's page; a refusal shows there, nothing changes."""
    action = selectors.corrective_action_get_for_user(request.user, pk)
    require(request, "improvements.verify_correctiveaction", action)
    form = VerifyForm(request.POST)
    ok, verification = run_form(form, lambda: services.corrective_action_verify(
        actor=request.user, action=action, **form.cleaned_data))
    if not ok:
        action = selectors.corrective_action_get_for_user(request.user, pk)
        return _action_page(request, action, verify_form=form)
    messages.success(request, _("Verified effective: the action can be closed.") if verification.effective
                     else _("Not effective: the action was reopened."))
    return redirect("improvements:corrective-action-detail", action.pk)


@login_required
@require_POST
def corrective_action_close(request, pk):
    action = selectors.corrective_action_get_for_user(request.user, pk)
    require(request, "improvements.close_correctiveaction", action)
    try:
        services.corrective_action_close(actor=request.user, action=action)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The corrective action and its nonconformity were closed."))
    return redirect("improvements:corrective-action-detail", action.pk)


# --- risks ----------------------------------------------------------------------------------------


def heat_map_context(risks) -> dict:
    """The 5×5 grid (impact rows from 5 down, likelihood columns) and its bubble chart."""
    cells = selectors.heat_map(risks)
    grid = [{"impact": i, "cells": [{"likelihood": lk, "count": cells.get((lk, i), 0),
                                     "level": risk_level(lk, i)} for lk in SCALE]} for i in reversed(SCALE)]
    datasets = []
    for level, label in RiskLevel.choices:
        points = [{"x": lk, "y": i, "r": 6 + 4 * n, "n": n} for (lk, i), n in sorted(cells.items())
                  if risk_level(lk, i) == level]
        datasets.append({"label": str(label), "data": points, "color": LEVEL_COLOURS[level]})
    return {"grid": grid, "heat_chart": {"datasets": datasets, "x": _("Likelihood"), "y": _("Impact")},
            "heat_total": sum(cells.values())}


@login_required
def risk_list(request):
    user = request.user
    filters = RiskFilterForm(request.GET or None, **_filter_context(user))
    risks = selectors.risks_for_user(user, **filters.selector_kwargs())
    return render_list(request, "improvements/risk_list.html", {
        "filters": filters, **paged(request, risks), **heat_map_context(risks), "tab": "risks",
        "can_add": user.agency is not None and user.has_perm("improvements.add_risk", user.agency),
        "show_agency": filters.fields.get("agency") is not None,
    })


@login_required
def risk_detail(request, pk):
    risk = selectors.risk_get_for_user(request.user, pk)
    return render(request, "improvements/risk_detail.html", {
        "risk": risk, "actions": list(risk.actions.all()),
        "can_edit": request.user.has_perm("improvements.change_risk", risk), "history": _history(risk)})


def _risk_form(request, agency, instance=None):
    user = request.user
    return RiskForm(
        request.POST or None, instance=instance, units=_units(agency),
        documents=procedure_documents_for_user(user, [agency]),
        people=_people(user, agency),
        actions=selectors.corrective_actions_for_user(user, agency=str(agency.pk)))


@login_required
def risk_create(request):
    user = request.user
    agency = _own_agency(user)
    require(request, "improvements.add_risk", agency)
    form = _risk_form(request, agency)
    if is_id(request.GET.get("document", "")):
        form.initial["document"] = int(request.GET["document"])
    if request.method == "POST":
        ok, risk = run_form(form, lambda: services.risk_create(actor=user, agency=agency, **form.service_data()))
        if ok:
            messages.success(request, _("The entry was added to the register."))
            return redirect("improvements:risk-detail", risk.pk)
    return form_page(request, form, title=_("New risk or opportunity"), cancel_url=reverse("improvements:risk-list"))


@login_required
def risk_update(request, pk):
    risk = selectors.risk_get_for_user(request.user, pk)
    require(request, "improvements.change_risk", risk)
    form = _risk_form(request, risk.agency, instance=risk)
    if request.method == "POST":
        ok, _result = run_form(form, lambda: services.risk_update(actor=request.user, risk=risk,
                                                                  **form.service_data()))
        if ok:
            messages.success(request, _("The changes were saved."))
            return redirect("improvements:risk-detail", risk.pk)
    return form_page(request, form, title=_("Edit the risk or opportunity"),
                     cancel_url=reverse("improvements:risk-detail", args=[risk.pk]))


# --- what needs attention -------------------------------------------------------------------------


def attention_chart(rows: list[dict]) -> dict:
    return {
        "type": "bar", "horizontal": True,
        "labels": [r["agency"].short_name or r["agency"].name for r in rows],
        "datasets": [
            {"label": _("Without a corrective action"), "data": [r["without_action"] for r in rows]},
            {"label": _("Actions past due"), "data": [r["overdue"] for r in rows]},
            {"label": _("Verifications due"), "data": [r["verification_due"] for r in rows]},
            {"label": _("Repeat nonconformities"), "data": [r["repeats"] for r in rows]},
        ],
    }


@login_required
def attention(request):
    """Per agency (the province for an overseer): what the QMS must not let drop. The figures, and
    the cards other areas add, are kept until the data change or the minute turns
    (``eiso.core.freshness``)."""
    computed_at, context = freshness.cached_with_time("attention", request.user, lambda: _attention_context(request))
    return render(request, "improvements/attention.html", {**context, **freshness.fragment(request, computed_at)})


def _attention_context(request) -> dict:
    user = request.user
    today = timezone.localdate()
    rows = selectors.attention_counts(user, today=today)
    return {
        "rows": rows, "totals": selectors.attention_totals(rows), "chart": attention_chart(rows), "tab": "attention",
        "today": today, "several": org_selectors.agencies_for_user(user).count() > 1,
        "extras": panels_for("improvements.attention", request),
    }


