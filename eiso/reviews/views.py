"""Pages of management reviews: the list with each agency's last review, a new review, one review
with its inputs (live until the meeting starts, then frozen) and outputs, and the moves."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eiso.core.audit import history_for
from eiso.core.errors import DomainError, Forbidden
from eiso.core.pages import form_page, paged, render_list, require, run_form
from eiso.organizations import selectors as org_selectors
from eiso.reviews import selectors, services
from eiso.reviews.choices import OPEN_OUTPUTS, OUTPUTS_EDITABLE, ReviewStatus
from eiso.reviews.forms import (
    CloseForm,
    CorrectiveActionForm,
    ObjectiveFromOutputForm,
    OutputForm,
    OutputStatusForm,
    ReviewFilterForm,
    ReviewForm,
)
from eiso.reviews.inputs import compile_inputs
from eiso.reviews.presentation import compiled_at, period_label, process_chart, sections


def _people(user, agency):
    return org_selectors.users_for_user(user, agency=str(agency.pk), active="1")


@login_required
def review_list(request):
    user = request.user
    agencies = list(org_selectors.agencies_for_user(user).order_by("name"))
    filters = ReviewFilterForm(request.GET or None, agencies=agencies, years=selectors.review_years(user))
    reviews = selectors.reviews_for_user(user, **filters.selector_kwargs())
    last = selectors.last_reviews(user)
    return render_list(request, "reviews/review_list.html", {
        "filters": filters, **paged(request, reviews), "last_reviews": last,
        "own_last": next((r for r in last if user.agency is not None and r["agency"].pk == user.agency.pk), None),
        "show_agency": len(agencies) > 1,
        "can_add": user.agency is not None and user.has_perm("reviews.add_review", user.agency),
    })


@login_required
def review_create(request):
    user = request.user
    agency = user.agency
    if agency is None:
        raise Forbidden()
    require(request, "reviews.add_review", agency)
    form = ReviewForm(request.POST or None, people=_people(user, agency), creating=True,
                      initial={"meeting_on": timezone.localdate()})
    if request.method == "POST":
        ok, review = run_form(form, lambda: services.review_create(actor=user, agency=agency, **form.service_data()))
        if ok:
            messages.success(request, _("The review was prepared: its inputs are compiled until the meeting starts."))
            return redirect("reviews:review-detail", review.pk)
    return form_page(request, form, title=_("New management review"), cancel_url=reverse("reviews:review-list"),
                     intro=_("Leave “inputs from” empty to start the day after the last review."))


@login_required
def review_detail(request, pk):
    user = request.user
    review = selectors.review_get_for_user(user, pk)
    frozen = review.inputs is not None
    inputs = review.inputs if frozen else compile_inputs(user, review)
    outputs = list(selectors.outputs_of(review))
    for output in outputs:
        output.can_update = user.has_perm("reviews.update_output", output) and output.status in OPEN_OUTPUTS
        output.overdue = output.status in OPEN_OUTPUTS and output.due_on < timezone.localdate()
    can_change = user.has_perm("reviews.change_review", review)
    return render(request, "reviews/review_detail.html", {
        "review": review, "frozen": frozen, "sections": sections(inputs), "period": period_label(inputs),
        "compiled_at": compiled_at(inputs), "outputs": outputs, "chart": process_chart(inputs),
        "participants": [p for p in review.participants.splitlines() if p.strip()],
        "can_edit": can_change and review.status in OUTPUTS_EDITABLE,
        "can_start": can_change and review.status == ReviewStatus.PREPARING,
        "can_add_output": can_change and review.status == ReviewStatus.IN_MEETING and not review.no_action_needed,
        "can_close": can_change and review.status == ReviewStatus.IN_MEETING,
        "can_approve": review.status == ReviewStatus.AWAITING_APPROVAL
        and user.has_perm("reviews.approve_review", review),
        "can_link": can_change,
        "history": list(history_for(review)[:20]),
    })


@login_required
def review_update(request, pk):
    user = request.user
    review = selectors.review_get_for_user(user, pk)
    require(request, "reviews.change_review", review)
    if review.status not in OUTPUTS_EDITABLE:
        messages.error(request, _("The minutes are closed: the review no longer changes."))
        return redirect("reviews:review-detail", review.pk)
    form = ReviewForm(request.POST or None, people=_people(user, review.agency),
                      inputs_editable=review.status == ReviewStatus.PREPARING,
                      initial={name: getattr(review, name) for name in ReviewForm._meta.fields})
    if request.method == "POST":
        ok, _r = run_form(form, lambda: services.review_update(actor=user, review=review, **form.service_data()))
        if ok:
            messages.success(request, _("The review was saved."))
            return redirect("reviews:review-detail", review.pk)
    return form_page(request, form, title=_("Edit the management review"),
                     cancel_url=reverse("reviews:review-detail", args=[review.pk]))


def _act(request, pk, perm, call, success):
    review = selectors.review_get_for_user(request.user, pk)
    require(request, perm, review)
    try:
        call(review)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, success)
    return redirect("reviews:review-detail", review.pk)


@login_required
@require_POST
def review_start(request, pk):
    return _act(request, pk, "reviews.change_review",
                lambda r: services.review_start(actor=request.user, review=r),
                _("The meeting started: its inputs are frozen as they stand now."))


@login_required
@require_POST
def review_approve(request, pk):
    return _act(request, pk, "reviews.approve_review",
                lambda r: services.review_approve(actor=request.user, review=r), _("The minutes were approved."))


@login_required
def review_close(request, pk):
    user = request.user
    review = selectors.review_get_for_user(user, pk)
    require(request, "reviews.change_review", review)
    form = CloseForm(request.POST or None, initial={"conclusions": review.conclusions})
    if request.method == "POST":
        ok, _r = run_form(form, lambda: services.review_close(actor=user, review=review, **form.cleaned_data))
        if ok:
            messages.success(request, _("The meeting was closed: the agency head approves the minutes."))
            return redirect("reviews:review-detail", review.pk)
    return form_page(request, form, title=_("Close the meeting"), submit_label=_("Close the meeting"),
                     intro=_("A review closes with at least one output, or with an explicit “no action needed”."),
                     cancel_url=reverse("reviews:review-detail", args=[review.pk]))


@login_required
def review_addoutput(request, pk):
    user = request.user
    review = selectors.review_get_for_user(user, pk)
    require(request, "reviews.change_review", review)
    form = OutputForm(request.POST or None, people=_people(user, review.agency))
    if request.method == "POST":
        ok, _o = run_form(form, lambda: services.output_create(actor=user, review=review, **form.cleaned_data))
        if ok:
            messages.success(request, _("The output was recorded."))
            return redirect("reviews:review-detail", review.pk)
    return form_page(request, form, title=_("Record an output of the review"),
                     intro=_("A decision on improvement, a change to the QMS or a resource need, with its owner and "
                             "due date."), cancel_url=reverse("reviews:review-detail", args=[review.pk]))


@login_required
def reviewoutput_status(request, pk):
    user = request.user
    output = selectors.output_get_for_user(user, pk)
    require(request, "reviews.update_output", output)
    form = OutputStatusForm(request.POST or None, initial={"status": output.status})
    if request.method == "POST":
        ok, _o = run_form(form, lambda: services.output_set_status(actor=user, output=output, **form.cleaned_data))
        if ok:
            messages.success(request, _("The output's status was saved."))
            return redirect("reviews:review-detail", output.review_id)
    return form_page(request, form, title=_("Status of the output"), intro=output.description,
                     cancel_url=reverse("reviews:review-detail", args=[output.review_id]))


@login_required
def reviewoutput_correctiveaction(request, pk):
    user = request.user
    output = selectors.output_get_for_user(user, pk)
    require(request, "reviews.change_review", output.review)
    form = CorrectiveActionForm(request.POST or None)
    if request.method == "POST":
        ok, nc = run_form(form, lambda: services.output_open_corrective_action(actor=user, output=output,
                                                                               **form.cleaned_data))
        if ok:
            messages.success(request, _("Nonconformity %(code)s and its corrective action were opened.")
                             % {"code": nc.code})
            return redirect("improvements:nonconformity-detail", nc.pk)
    return form_page(request, form, title=_("Open a corrective action"), intro=output.description,
                     submit_label=_("Open a corrective action"),
                     cancel_url=reverse("reviews:review-detail", args=[output.review_id]))


@login_required
def reviewoutput_objective(request, pk):
    user = request.user
    output = selectors.output_get_for_user(user, pk)
    require(request, "reviews.change_review", output.review)
    form = ObjectiveFromOutputForm(request.POST or None, initial={"year": output.due_on.year})
    if request.method == "POST":
        ok, objective = run_form(form, lambda: services.output_open_objective(actor=user, output=output,
                                                                              **form.cleaned_data))
        if ok:
            messages.success(request, _("The objective was drafted; the agency head approves it."))
            return redirect("objectives:objective-detail", objective.pk)
    return form_page(request, form, title=_("Draft a quality objective"), intro=output.description,
                     cancel_url=reverse("reviews:review-detail", args=[output.review_id]))


app_name = "reviews"
urlpatterns = [
    path("reviews/", review_list, name="review-list"),
    path("reviews/new/", review_create, name="review-create"),
    path("reviews/<int:pk>/", review_detail, name="review-detail"),
    path("reviews/<int:pk>/edit/", review_update, name="review-update"),
    path("reviews/<int:pk>/start/", review_start, name="review-start"),
    path("reviews/<int:pk>/close/", review_close, name="review-close"),
    path("reviews/<int:pk>/approve/", review_approve, name="review-approve"),
    path("reviews/<int:pk>/outputs/new/", review_addoutput, name="review-addoutput"),
    path("reviews/outputs/<int:pk>/status/", reviewoutput_status, name="reviewoutput-status"),
    path("reviews/outputs/<int:pk>/corrective-action/", reviewoutput_correctiveaction,
         name="reviewoutput-correctiveaction"),
    path("reviews/outputs/<int:pk>/objective/", reviewoutput_objective, name="reviewoutput-objective"),
]
