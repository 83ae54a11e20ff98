"""Pages of the gap survey: a new survey (one row per clause), and one survey, where the clauses
are assessed (conforms, partly, not) with notes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from eiso.core.errors import ValidationFailed
from eiso.core.pages import form_page, require, run_form
from eiso.rollout import selectors, services
from eiso.rollout.choices import GapResult
from eiso.rollout.forms import GapSurveyForm

RESULT_BADGES = {GapResult.UNASSESSED: "text-bg-light border", GapResult.CONFORM: "text-bg-success",
                 GapResult.PARTLY: "text-bg-warning", GapResult.NOT: "text-bg-danger"}
RESULT_COLORS = "#adb5bd,#198754,#ffc107,#dc3545"  # in GapResult order


@login_required
def rollout_surveycreate(request, pk):
    rollout = selectors.rollout_get_for_user(request.user, pk)
    require(request, "rollout.change_rollout", rollout)
    form = GapSurveyForm(request.POST or None)
    if request.method == "POST":
        ok, survey = run_form(form, lambda: services.gap_survey_create(actor=request.user, rollout=rollout,
                                                                       **form.cleaned_data))
        if ok:
            messages.success(request, _("The survey lists every clause: assess each one."))
            return redirect("rollout:gapsurvey-detail", survey.pk)
    return form_page(request, form, title=_("New gap survey"), intro=rollout.title,
                     cancel_url=reverse("rollout:rollout-detail", args=[rollout.pk]) + "?tab=survey")


@login_required
def gapsurvey_detail(request, pk):
    user = request.user
    survey = selectors.gap_survey_get_for_user(user, pk)
    can_change = user.has_perm("rollout.change_rollout", survey)
    result_filter = request.GET.get("result", "")
    rows = list(selectors.gap_assessments_of(survey, result=result_filter))
    errors = {}
    if request.method == "POST":
        require(request, "rollout.change_rollout", survey)
        answers = {}
        for row in selectors.gap_assessments_of(survey):
            if f"result_{row.pk}" in request.POST:
                answers[row.pk] = (request.POST.get(f"result_{row.pk}", ""), request.POST.get(f"notes_{row.pk}", ""))
        try:
            changed = services.gap_survey_assess(actor=user, survey=survey, answers=answers)
        except ValidationFailed as exc:
            errors = exc.errors
            messages.error(request, str(exc.message))
            for row in rows:
                if row.pk in answers:
                    row.result, row.notes = answers[row.pk]
        else:
            messages.success(request, _("The survey was saved: %(n)s clauses changed.") % {"n": changed})
            return redirect(request.get_full_path())
    for row in rows:
        row.badge = RESULT_BADGES.get(row.result, "")
        row.error = (errors.get(f"result_{row.pk}") or errors.get(f"notes_{row.pk}") or [""])[0]
    summary = selectors.gap_summary(survey)
    return render(request, "rollout/gapsurvey_detail.html", {
        "survey": survey, "rollout": survey.rollout, "rows": rows, "can_change": can_change,
        "results": GapResult.choices, "result_filter": result_filter, "summary": summary,
        "summary_rows": [(r.value, r.label, summary[r.value], RESULT_BADGES[r]) for r in GapResult],
        "chart": {"type": "doughnut", "labels": [str(r.label) for r in GapResult],
                  "datasets": [{"label": _("Clauses"), "data": [summary[r.value] for r in GapResult]}]},
        "chart_colors": RESULT_COLORS,
    })


urlpatterns = [
    path("rollouts/<int:pk>/surveys/new/", rollout_surveycreate, name="rollout-surveycreate"),
    path("gap-surveys/<int:pk>/", gapsurvey_detail, name="gapsurvey-detail"),
]
