"""Pages of internal audits: the QMS scope (clauses not applicable), programmes, audits, the
checklist (made for a phone) and findings (the audit plan and report print in ``eiso.reports``).

Views parse input, call a service and render; scoped data is read through the selectors, which
raise NotFound (404) outside the user's agencies; services raise Forbidden / ValidationFailed /
Conflict, which the forms show."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eiso.audits import forms, selectors, services
from eiso.audits.choices import AUDIT_TRANSITIONS, FIELDWORK_STATUSES, PLANNING_STATUSES, AuditAction
from eiso.audits.clauses import correspondence
from eiso.audits.planning import finding_charts
from eiso.core.errors import Conflict, Forbidden, ValidationFailed
from eiso.core.pages import form_page, paged, render_list, require, run_form


def _own_agency(request, perm):
    agency = request.user.agency
    if agency is None or not request.user.has_perm(perm, agency):
        raise Forbidden()
    return agency


# --- QMS scope ---------------------------------------------------------------------------------------

@login_required
def qms_scope(request):
    """The clause library, with the clauses the user's agency declared not applicable."""
    agency = request.user.agency
    exclusions = {e.clause_id: e for e in selectors.clause_exclusions(agency)} if agency else {}
    can_change = agency is not None and request.user.has_perm("audits.change_clauseexclusion", agency)
    form = forms.ExclusionForm(request.POST or None, agency=agency) if can_change else None
    if request.method == "POST":
        if form is None:
            raise Forbidden()
        ok, _done = run_form(form, lambda: services.clause_exclusion_create(
            actor=request.user, agency=agency, **form.cleaned_data))
        if ok:
            messages.success(request, _("The clause was declared not applicable."))
            return redirect("audits:qms-scope")
    edition = selectors.current_edition(agency)
    rows = [(clause, exclusions.get(clause.pk)) for clause in selectors.clauses(edition)]
    return render(request, "audits/qms_scope.html", {"rows": rows, "form": form, "agency": agency,
                                                     "can_change": can_change, "edition": edition})


@login_required
def edition_list(request):
    """The ISO 9001 editions, the clauses of one and their correspondence with a later one."""
    editions = list(selectors.editions())
    codes = [e.code for e in editions]
    agency = request.user.agency
    current = selectors.current_edition(agency)
    shown = request.GET.get("edition", "")
    shown = next((e for e in editions if e.code == shown), current)
    later = [e for e in editions if codes.index(e.code) > codes.index(shown.code)]
    target = next((e for e in later if e.code == request.GET.get("to", "")), later[0] if later else None)
    rows = correspondence(shown.code, target.code) if target else []
    titles = {(c.edition_id, c.code): c.title for c in selectors.clauses(shown)}
    if target:
        titles.update({(c.edition_id, c.code): c.title for c in selectors.clauses(target)})
        for row in rows:
            row["from_title"] = titles.get((shown.pk, row["from"]), "")
            row["to_title"] = titles.get((target.pk, row["to"]), "")
    return render(request, "audits/edition_list.html", {
        "editions": editions, "shown": shown, "current": current, "later": later, "target": target,
        "clauses": selectors.clauses(shown), "rows": rows, "agency": agency,
        "adoptions": selectors.edition_adoptions(agency) if agency else [],
        "changed": sum(1 for r in rows if r["change"] != "same")})


@login_required
@require_POST
def clauseexclusion_delete(request, pk):
    exclusion = selectors.clause_exclusion_get_for_user(request.user, pk)
    services.clause_exclusion_delete(actor=request.user, exclusion=exclusion)
    messages.success(request, _("Clause %(code)s applies again.") % {"code": exclusion.clause.code})
    return redirect("audits:qms-scope")


# --- programmes ---------------------------------------------------------------------------------------

@login_required
def programme_list(request):
    filters = forms.ProgrammeFilterForm(request.GET or None, user=request.user)
    agency = request.user.agency
    return render_list(request, "audits/programme_list.html", {
        "filters": filters,
        **paged(request, selectors.programmes_for_user(request.user, **filters.selector_kwargs())),
        "can_add": agency is not None and request.user.has_perm("audits.add_auditprogramme", agency),
        "show_agency": "agency" in filters.fields,
    })


@login_required
def programme_create(request):
    agency = _own_agency(request, "audits.add_auditprogramme")
    form = forms.ProgrammeForm(request.POST or None)
    if request.method == "POST":
        ok, programme = run_form(form, lambda: services.programme_create(
            actor=request.user, agency=agency, **form.cleaned_data))
        if ok:
            messages.success(request, _("The audit programme was created."))
            return redirect("audits:programme-detail", programme.pk)
    return form_page(request, form, title=_("New audit programme"), cancel_url=reverse("audits:programme-list"))


@login_required
def programme_detail(request, pk):
    programme = selectors.programme_get_for_user(request.user, pk)
    can_change = request.user.has_perm("audits.change_auditprogramme", programme)
    return render(request, "audits/programme_detail.html", {
        "programme": programme,
        "entries": list(selectors.entries_of(programme)),
        "audits": list(selectors.audits_for_user(request.user, programme=programme)),
        "can_change": can_change,
        "can_add_audit": request.user.has_perm("audits.add_audit", programme),
    })


@login_required
def programme_update(request, pk):
    programme = selectors.programme_get_for_user(request.user, pk)
    require(request, "audits.change_auditprogramme", programme)
    form = forms.ProgrammeForm(request.POST or None, initial={
        "year": programme.year, "title": programme.title, "objectives": programme.objectives})
    if request.method == "POST":
        ok, _done = run_form(form, lambda: services.programme_update(
            actor=request.user, programme=programme, **form.cleaned_data))
        if ok:
            messages.success(request, _("The audit programme was saved."))
            return redirect("audits:programme-detail", programme.pk)
    return form_page(request, form, title=_("Edit the audit programme"),
                     cancel_url=reverse("audits:programme-detail", args=[programme.pk]))


@login_required
def programme_addentry(request, pk):
    programme = selectors.programme_get_for_user(request.user, pk)
    require(request, "audits.change_auditprogramme", programme)
    form = forms.EntryForm(request.POST or None, agency=programme.agency)
    if request.method == "POST":
        ok, _done = run_form(form, lambda: services.programme_entry_add(
            actor=request.user, programme=programme, **form.cleaned_data))
        if ok:
            messages.success(request, _("The line was added to the programme."))
            return redirect("audits:programme-detail", programme.pk)
    return form_page(request, form, title=_("Add to the programme"),
                     cancel_url=reverse("audits:programme-detail", args=[programme.pk]))


@login_required
@require_POST
def programmeentry_delete(request, pk):
    entry = selectors.programme_entry_get_for_user(request.user, pk)
    services.programme_entry_delete(actor=request.user, entry=entry)
    return redirect("audits:programme-detail", entry.programme_id)


# --- audits --------------------------------------------------------------------------------------------

def _audit_call(form, request, **extra):
    data = dict(form.cleaned_data)
    return {**data, **extra, "actor": request.user}


@login_required
def programme_newaudit(request, pk):
    programme = selectors.programme_get_for_user(request.user, pk)
    require(request, "audits.add_audit", programme)
    form = forms.AuditForm(request.POST or None, agency=programme.agency)
    if request.method == "POST":
        ok, audit = run_form(form, lambda: services.audit_create(**_audit_call(form, request, programme=programme)))
        if ok:
            messages.success(request, _("The audit was planned."))
            for warning in services.team_advisories(audit):
                messages.warning(request, warning)
            return redirect("audits:audit-detail", audit.pk)
    return form_page(request, form, title=_("Plan an audit"),
                     cancel_url=reverse("audits:programme-detail", args=[programme.pk]))


@login_required
def audit_update(request, pk):
    audit = selectors.audit_get_for_user(request.user, pk)
    require(request, "audits.change_audit", audit)
    if audit.status not in PLANNING_STATUSES:
        raise Conflict(_("The audit has started; its scope, dates and team can no longer change."))
    form = forms.AuditForm(request.POST or None, agency=audit.agency, initial={
        "title": audit.title, "start_date": audit.start_date, "end_date": audit.end_date,
        "lead_auditor": audit.lead_auditor_id, "members": [m.user_id for m in audit.members.all()],
        "units": list(audit.units.all()), "admin_procedures": list(audit.admin_procedures.all()),
        "clauses": list(audit.clauses.all()), "objectives": audit.objectives, "criteria": audit.criteria})
    if request.method == "POST":
        ok, _done = run_form(form, lambda: services.audit_update(**_audit_call(form, request, audit=audit)))
        if ok:
            messages.success(request, _("The audit was saved."))
            for warning in services.team_advisories(audit):
                messages.warning(request, warning)
            return redirect("audits:audit-detail", audit.pk)
    return form_page(request, form, title=_("Edit the audit plan"),
                     cancel_url=reverse("audits:audit-detail", args=[audit.pk]))


def _actions_for(user, audit) -> list[tuple[str, str]]:
    if not user.has_perm("audits.transition_audit", audit):
        return []
    actions = [(a, str(AuditAction(a).label)) for a, (sources, _t) in AUDIT_TRANSITIONS.items()
               if audit.status in sources]
    if not user.has_perm("audits.change_audit", audit):
        actions = [(a, label) for a, label in actions if a != AuditAction.CLOSE]
    return actions


@login_required
def audit_detail(request, pk):
    audit = selectors.audit_get_for_user(request.user, pk)
    user = request.user
    findings = selectors.findings_for_user(user, audit=audit)
    stats = selectors.statistics_of(findings)
    can_raise = audit.status in FIELDWORK_STATUSES and user.has_perm("audits.add_finding", audit)
    return render(request, "audits/audit_detail.html", {
        "audit": audit,
        "members": list(audit.members.all()),
        "progress": selectors.checklist_progress(audit),
        "findings": list(findings),
        "stats": stats,
        "charts": finding_charts(stats, kinds_title=_("Findings"), clauses_title=_("Findings per clause")),
        "can_change": audit.status in PLANNING_STATUSES and user.has_perm("audits.change_audit", audit),
        "actions": _actions_for(user, audit),
        "transition_form": forms.TransitionForm(initial={"conclusion": audit.conclusion}),
        "finding_form": forms.FindingForm(audit=audit) if can_raise else None,
        "can_fill": audit.status in FIELDWORK_STATUSES and user.has_perm("audits.fill_checklist", audit),
    })


@login_required
@require_POST
def audit_transition(request, pk):
    audit = selectors.audit_get_for_user(request.user, pk)
    action = request.POST.get("action", "")
    try:
        services.audit_transition(actor=request.user, audit=audit, action=action,
                                  conclusion=request.POST.get("conclusion", "")[:20000])
    except (ValidationFailed, Conflict) as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": AuditAction(action).label})
    return redirect("audits:audit-detail", audit.pk)


@login_required
@require_POST
def audit_finding(request, pk):
    """Raise a finding (the form is on the audit page and under each checklist question)."""
    audit = selectors.audit_get_for_user(request.user, pk)
    require(request, "audits.add_finding", audit)
    form = forms.FindingForm(request.POST, audit=audit)

    def create():
        data = dict(form.cleaned_data)
        item_id = data.pop("checklist_item", None)
        item = audit.checklist.filter(pk=item_id).first() if item_id else None
        return services.finding_create(actor=request.user, audit=audit, checklist_item=item, **data)

    ok, finding = run_form(form, create)
    if ok:
        messages.success(request, _("Finding %(code)s was recorded.") % {"code": finding.code})
        return redirect(reverse("audits:audit-detail", args=[audit.pk]) + "#findings")
    response = form_page(request, form, title=_("Raise a finding"),
                         cancel_url=reverse("audits:audit-detail", args=[audit.pk]))
    response.status_code = 400
    return response


@login_required
def audit_checklist(request, pk):
    audit = selectors.audit_get_for_user(request.user, pk)
    can_fill = audit.status in FIELDWORK_STATUSES and request.user.has_perm("audits.fill_checklist", audit)
    items = list(selectors.checklist_of(audit))
    return render(request, "audits/checklist.html", {
        "audit": audit, "items": items, "can_fill": can_fill, "progress": selectors.checklist_progress(audit),
        "answers": forms.ChecklistAnswer.choices,
        "finding_form": forms.FindingForm(audit=audit) if can_fill else None,
    })


@login_required
@require_POST
def checklistitem_answer(request, pk):
    item = selectors.checklist_item_get_for_user(request.user, pk)
    require(request, "audits.fill_checklist", item.audit)
    form = forms.AnswerForm(request.POST, request.FILES)

    def save():
        return services.checklist_answer(actor=request.user, item=item, answer=form.cleaned_data["answer"],
                                         evidence=form.cleaned_data["evidence"],
                                         uploaded=form.cleaned_data.get("file"))

    ok, _done = run_form(form, save)
    if ok:
        messages.success(request, _("Answer saved."))
    else:
        errors = [str(e) for errs in form.errors.values() for e in errs]
        messages.error(request, " ".join(errors) or _("The answer was not saved."))
    return redirect(reverse("audits:audit-checklist", args=[item.audit_id]) + f"#item-{item.pk}")


@login_required
def checklistfile_download(request, pk):
    attachment = selectors.checklist_file_get_for_user(request.user, pk)
    require(request, "audits.view_audit", attachment.item.audit)
    from django.http import FileResponse

    inline = attachment.file_type in ("jpg", "png", "pdf")
    return FileResponse(attachment.file.open("rb"), as_attachment=not inline, filename=attachment.original_name)


@login_required
def finding_list(request):
    """Every finding the user may read (a unit head: those about their unit)."""
    filters = forms.FindingFilterForm(request.GET or None, user=request.user)
    findings = selectors.findings_for_user(request.user, **filters.selector_kwargs())
    return render_list(request, "audits/finding_list.html", {
        "filters": filters, **paged(request, findings), "show_agency": "agency" in filters.fields})
