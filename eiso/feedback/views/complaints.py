"""Pages of complaints and recommendations (phản ánh, kiến nghị): the list with its overdue tab,
one complaint with its answer, the moves, the one-click nonconformity, and the agency's setting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eiso.core.audit import history_for
from eiso.core.errors import DomainError, Forbidden
from eiso.core.pages import form_page, paged, render_list, require, run_form
from eiso.dossiers.selectors import dossiers_for_user
from eiso.feedback import selectors, services
from eiso.feedback.choices import OPEN, ComplaintAction
from eiso.feedback.forms import (
    AnswerForm,
    AssignForm,
    ComplaintFilterForm,
    ComplaintForm,
    FeedbackSettingsForm,
    RejectForm,
)
from eiso.feedback.views.common import filter_choices, focus_agency
from eiso.organizations import selectors as org_selectors
from eiso.procedures.selectors import admin_procedures_for_user

MOVE_LABELS = dict(ComplaintAction.choices)
TABS = (("all", _("All")), ("overdue", _("Past due")))


def _own_agency(user):
    if user.agency is None:
        raise Forbidden()
    return user.agency


def _units(user, agency):
    return org_selectors.units_for_user(user, agency=str(agency.pk), active="1").order_by("name")


@login_required
def complaint_list(request):
    user = request.user
    today = timezone.localdate()
    agencies = list(org_selectors.agencies_for_user(user))
    agency = focus_agency(user, agencies, request.GET.get("agency", ""))
    filters = ComplaintFilterForm(request.GET or None, agencies=agencies, **filter_choices(user, agency))
    kwargs = filters.selector_kwargs()
    complaints = selectors.complaints_for_user(user, today=today, **kwargs)
    counts = selectors.complaint_counts(user, agency=kwargs.get("agency", ""), today=today)
    return render_list(request, "feedback/complaint_list.html", {
        "filters": filters, **paged(request, complaints), "today": today, "counts": counts,
        "tab": "overdue" if kwargs.get("state") == "overdue" else "all", "open_statuses": OPEN,
        "can_add": user.agency is not None and user.has_perm("feedback.add_complaint", user.agency),
        "can_configure": user.agency is not None and user.has_perm("feedback.change_settings", user.agency),
        "show_agency": filters.fields.get("agency") is not None,
    })


def _form(request, agency):
    user = request.user
    return ComplaintForm(
        request.POST or None, units=_units(user, agency),
        procedures=admin_procedures_for_user(user, agency=str(agency.pk), active="1").order_by("code"),
        dossiers=dossiers_for_user(user).filter(agency=agency))


@login_required
def complaint_create(request):
    user = request.user
    agency = _own_agency(user)
    require(request, "feedback.add_complaint", agency)
    form = _form(request, agency)
    if request.method == "POST":
        ok, complaint = run_form(form, lambda: services.complaint_create(actor=user, agency=agency,
                                                                         **form.service_data()))
        if ok:
            messages.success(request, _("Complaint %(code)s was recorded; the answer is due on %(due)s.") % {
                "code": complaint.code, "due": complaint.due_on.strftime("%d/%m/%Y")})
            return redirect("feedback:complaint-detail", complaint.pk)
    return form_page(request, form, title=_("Record a complaint or recommendation"),
                     intro=_("The answer is due %(days)s working days after the day it was received.") % {
                         "days": services.due_days_of(agency)},
                     cancel_url=reverse("feedback:complaint-list"))


def _history(obj):
    events = list(history_for(obj)[:30])
    for event in events:
        event.label = MOVE_LABELS.get(event.action)
    return events


def _page(request, complaint, *, assign_form=None, status=200):
    user = request.user
    is_open = complaint.status in OPEN
    can_handle = is_open and user.has_perm("feedback.handle_complaint", complaint)
    return render(request, "feedback/complaint_detail.html", {
        "complaint": complaint, "today": timezone.localdate(), "history": _history(complaint),
        "overdue": is_open and complaint.due_on < timezone.localdate(),
        "can_handle": can_handle,
        "assign_form": (assign_form or AssignForm(units=_units(user, complaint.agency),
                                                  initial={"unit": complaint.unit_id})) if can_handle else None,
        "can_record_nc": complaint.justified and complaint.nonconformity_id is None
        and user.has_perm("feedback.complaint_nonconformity", complaint),
    }, status=status)


@login_required
def complaint_detail(request, pk):
    return _page(request, selectors.complaint_get_for_user(request.user, pk))


@login_required
def complaint_answer(request, pk):
    complaint = selectors.complaint_get_for_user(request.user, pk)
    require(request, "feedback.handle_complaint", complaint)
    form = AnswerForm(request.POST or None)
    if request.method == "POST":
        ok, _result = run_form(form, lambda: services.complaint_answer(actor=request.user, complaint=complaint,
                                                                       **form.service_data()))
        if ok:
            messages.success(request, _("The answer was recorded."))
            return redirect("feedback:complaint-detail", complaint.pk)
    return form_page(request, form, title=_("Answer %(code)s") % {"code": complaint.code}, intro=complaint.content,
                     cancel_url=reverse("feedback:complaint-detail", args=[complaint.pk]))


@login_required
def complaint_reject(request, pk):
    complaint = selectors.complaint_get_for_user(request.user, pk)
    require(request, "feedback.handle_complaint", complaint)
    form = RejectForm(request.POST or None)
    if request.method == "POST":
        ok, _result = run_form(form, lambda: services.complaint_reject(actor=request.user, complaint=complaint,
                                                                       **form.cleaned_data))
        if ok:
            messages.success(request, _("The complaint was recorded as not accepted."))
            return redirect("feedback:complaint-detail", complaint.pk)
    return form_page(request, form, title=_("Do not accept %(code)s") % {"code": complaint.code},
                     intro=complaint.content, submit_label=_("Not accepted"),
                     cancel_url=reverse("feedback:complaint-detail", args=[complaint.pk]))


@login_required
@require_POST
def complaint_assign(request, pk):
    complaint = selectors.complaint_get_for_user(request.user, pk)
    require(request, "feedback.handle_complaint", complaint)
    form = AssignForm(request.POST, units=_units(request.user, complaint.agency))
    ok, _result = run_form(form, lambda: services.complaint_assign(actor=request.user, complaint=complaint,
                                                                   **form.cleaned_data))
    if not ok:
        return _page(request, selectors.complaint_get_for_user(request.user, pk), assign_form=form, status=400)
    messages.success(request, _("The complaint was handed to %(unit)s.") % {"unit": complaint.unit.name})
    return redirect("feedback:complaint-detail", complaint.pk)


@login_required
@require_POST
def complaint_nonconformity(request, pk):
    """The one-click button: a justified complaint becomes a nonconformity."""
    complaint = selectors.complaint_get_for_user(request.user, pk)
    require(request, "feedback.complaint_nonconformity", complaint)
    try:
        nc = services.complaint_to_nonconformity(actor=request.user, complaint=complaint)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("feedback:complaint-detail", complaint.pk)
    messages.success(request, _("Nonconformity %(code)s was recorded from complaint %(complaint)s: answer it with a "
                                "corrective action request.") % {"code": nc.code, "complaint": complaint.code})
    return redirect("improvements:nonconformity-detail", nc.pk)


@login_required
def feedback_settings_update(request):
    user = request.user
    agency = _own_agency(user)
    require(request, "feedback.change_settings", agency)
    current = selectors.settings_of(agency)
    form = FeedbackSettingsForm(request.POST or None, initial={"complaint_due_days": current.complaint_due_days})
    if request.method == "POST":
        ok, _result = run_form(form, lambda: services.feedback_settings_update(actor=user, agency=agency,
                                                                               **form.cleaned_data))
        if ok:
            messages.success(request, _("The changes were saved."))
            return redirect("feedback:complaint-list")
    return form_page(request, form, title=_("Complaint settings"),
                     intro=_("New complaints are due this many working days after the day they are received, on "
                             "the agency's working calendar."),
                     cancel_url=reverse("feedback:complaint-list"))
