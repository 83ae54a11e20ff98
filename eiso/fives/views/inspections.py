"""Pages of 5S inspections: the list, planning one, filling one in on a phone (one S per
section, big pass/fail toggles, a photo per failed item), reading one with its score per S,
cancelling, the photos, and the one-click nonconformity of a failed item."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from eiso.core import freshness
from eiso.core.audit import history_for
from eiso.core.errors import DomainError, NotFound, ValidationFailed
from eiso.core.pages import form_page, paged, render_list, require, run_form
from eiso.fives import scoring, selectors, services
from eiso.fives.choices import InspectionStatus, S
from eiso.fives.forms import InspectionFilterForm, PlanForm, ServiceForm
from eiso.fives.views import own_agency, recent_periods
from eiso.organizations import selectors as org_selectors

S_NAMES = dict(S.choices)


@login_required
def inspection_list(request):
    user = request.user
    # The filter's choices change only with the data: kept until they change (eiso.core.freshness).
    units = freshness.cached("fives-inspection-units", user, lambda: list(
        org_selectors.units_for_user(user, agency=str(user.agency.pk)).order_by("name"))) if user.agency else []
    filters = InspectionFilterForm(request.GET or None, user=user, units=units, periods=recent_periods())
    params = filters.selector_kwargs()
    period = scoring.parse_period(params.pop("period", "")) if params.get("period") else None
    inspections = selectors.inspections_for_user(user, period=period, **params)
    agency = user.agency
    return render_list(request, "fives/inspection_list.html", {
        "filters": filters, **paged(request, inspections),
        "can_plan": agency is not None and user.has_perm("fives.manage_fives", agency),
        "show_agency": "agency" in filters.fields,  # the filter offers agencies when the user reads several
        "mine": selectors.inspections_for_user(user, status=InspectionStatus.PLANNED).filter(inspector=user)
        if user.is_authenticated else [],
    })


@login_required
def inspection_create(request):
    user = request.user
    agency = own_agency(request)
    require(request, "fives.manage_fives", agency)
    form = PlanForm(request.POST or None,
                    areas=selectors.areas_for_user(user, agency=str(agency.pk), active="1"),
                    people=org_selectors.users_for_user(user, agency=str(agency.pk), active="1"))
    if request.method == "POST":
        ok, inspection = run_form(form, lambda: services.inspection_plan(actor=user, agency=agency,
                                                                         **form.cleaned_data))
        if ok:
            messages.success(request, _("The inspection was planned; the inspector fills it in on the day."))
            return redirect("fives:inspection-detail", inspection.pk)
    return form_page(request, form, title=_("Plan a 5S inspection"), cancel_url=reverse("fives:inspection-list"))


@login_required
def inspection_detail(request, pk):
    user = request.user
    inspection = selectors.inspection_get_for_user(user, pk)
    answers = list(selectors.answers_of(inspection))
    can_raise = {a.pk for a in answers if not a.passed and not a.nonconformity_id
                 and user.has_perm("fives.raise_fives_nonconformity", a)}
    sections = []
    for score in scoring.scores_by_s((a.s, a.score, a.points) for a in answers):
        rows = [a for a in answers if a.s == score.s]
        for a in rows:
            a.can_raise = a.pk in can_raise
        sections.append({"s": score.s, "name": S_NAMES[score.s], "score": score, "answers": rows})
    planned = inspection.status == InspectionStatus.PLANNED
    return render(request, "fives/inspection_detail.html", {
        "inspection": inspection, "sections": sections,
        "failed": sum(1 for a in answers if not a.passed),
        "missing_photos": sum(1 for a in answers if not a.passed and not a.photo),
        "can_fill": planned and user.has_perm("fives.inspect_fives", inspection),
        "can_cancel": planned and user.has_perm("fives.change_fives", inspection),
        "can_attach": user.has_perm("fives.inspect_fives", inspection),
        "history": list(history_for(inspection)[:20]),
        "chart": {
            "labels": [str(s["name"]) for s in sections], "percent": True, "horizontal": True,
            "datasets": [{"label": _("Score (%)"), "data": [float(s["score"].percent or 0) for s in sections],
                          "color": "#198754"}],
        } if sections else None,
    })


class DoneForm(ServiceForm):
    done_on = forms.DateField(label=gettext_lazy("Inspected on"))
    note = forms.CharField(label=gettext_lazy("Remarks"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


def _read_answers(request, checklist) -> tuple[list[dict], dict, dict]:
    """The answers, photos and each item's typed values from the posted sheet."""
    answers, photos, typed = [], {}, {}
    for item in checklist:
        key = str(item.pk)
        verdict = request.POST.get(f"a_{key}", "")
        score = request.POST.get(f"s_{key}", "").strip()
        remark = request.POST.get(f"r_{key}", "")[:500]
        typed[item.pk] = {"verdict": verdict, "score": score, "remark": remark}
        if item.graded:
            value = int(score) if score.isascii() and score.isdigit() and len(score) < 4 else (score or None)
            answers.append({"item": item.pk, "score": value, "remark": remark})
        elif verdict in ("1", "0"):
            answers.append({"item": item.pk, "passed": verdict == "1", "remark": remark})
        upload = request.FILES.get(f"p_{key}")
        if upload:
            photos[item.pk] = upload
    return answers, photos, typed


@login_required
def inspection_fill(request, pk):
    """The inspection sheet on a phone: one card per S, a big pass/fail toggle per item (or a
    score), a camera button under each; everything is saved together."""
    user = request.user
    inspection = selectors.inspection_get_for_user(user, pk)
    require(request, "fives.inspect_fives", inspection)
    if inspection.status != InspectionStatus.PLANNED:
        messages.info(request, _("This inspection is already %(status)s.") % {
            "status": inspection.get_status_display()})
        return redirect("fives:inspection-detail", inspection.pk)
    checklist = selectors.checklist_of(inspection.agency_id)
    form = DoneForm(request.POST or None, initial={"done_on": min(timezone.localdate(), inspection.planned_on)
                                                   if inspection.planned_on.year == timezone.localdate().year
                                                   else inspection.planned_on})
    typed, errors, status = {}, [], 200
    if request.method == "POST":
        answers, photos, typed = _read_answers(request, checklist)
        if form.is_valid():
            try:
                services.inspection_record(actor=user, inspection=inspection, answers=answers, photos=photos,
                                           done_on=form.cleaned_data["done_on"], note=form.cleaned_data["note"])
            except (ValidationFailed, DomainError) as exc:
                found = getattr(exc, "errors", None) or {}
                errors = [str(m) for v in found.values() for m in v] or [str(exc.message)]
            else:
                messages.success(request, _("The inspection was recorded."))
                return redirect("fives:inspection-detail", inspection.pk)
        status = 400
    sections = []
    for s, name in S.choices:
        items = [i for i in checklist if i.s == s]
        for item in items:
            item.typed = typed.get(item.pk, {})
        if items:
            sections.append({"s": s, "name": name, "items": items, "possible": sum(i.points for i in items)})
    return render(request, "fives/inspection_fill.html", {
        "inspection": inspection, "sections": sections, "form": form, "errors": errors,
    }, status=status)


@login_required
@require_POST
def inspection_cancel(request, pk):
    inspection = selectors.inspection_get_for_user(request.user, pk)
    require(request, "fives.change_fives", inspection)
    try:
        services.inspection_cancel(actor=request.user, inspection=inspection, note=request.POST.get("note", "")[:2000])
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The inspection was cancelled."))
    return redirect("fives:inspection-detail", inspection.pk)


@login_required
def fivesanswer_photo(request, pk):
    answer = selectors.answer_get_for_user(request.user, pk)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    if not answer.photo:
        raise NotFound()
    try:
        stream = answer.photo.open("rb")
    except OSError:  # the row outlived its file (a restore without the media)
        raise NotFound() from None
    return FileResponse(stream, as_attachment=False, filename=answer.photo_name)


@login_required
@require_POST
def fivesanswer_attach(request, pk):
    answer = selectors.answer_get_for_user(request.user, pk)
    require(request, "fives.inspect_fives", answer.inspection)
    upload = request.FILES.get("photo")
    try:
        if not upload:
            raise ValidationFailed(_("Choose or take a photo."))
        services.answer_photo_attach(actor=request.user, answer=answer, uploaded=upload)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The photo was attached."))
    return redirect(f"{reverse('fives:inspection-detail', args=[answer.inspection_id])}#answer-{answer.pk}")


@login_required
@require_POST
def fivesanswer_nonconformity(request, pk):
    """The one-click button beside a failed item: record it as a nonconformity."""
    answer = selectors.answer_get_for_user(request.user, pk)
    require(request, "fives.raise_fives_nonconformity", answer)
    try:
        nc = services.answer_nonconformity(actor=request.user, answer=answer)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("fives:inspection-detail", answer.inspection_id)
    messages.success(request, _("Nonconformity %(code)s was recorded: answer it with a corrective action request.")
                     % {"code": nc.code})
    return redirect("improvements:nonconformity-detail", nc.pk)

