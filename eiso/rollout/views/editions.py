"""Pages of the move between ISO 9001 editions: the edition each agency follows and its transitions,
starting one (the checklist comes from the correspondence), ticking tasks off, completing it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eiso.audits import selectors as audit_selectors
from eiso.core.errors import Conflict, Forbidden, ValidationFailed
from eiso.core.pages import form_page, next_url, paged, render_list, require, run_form
from eiso.organizations.models import User
from eiso.rollout import announcement_forms as forms
from eiso.rollout import transitions


def _people(agency):
    return User.objects.filter(memberships__agency=agency, memberships__valid_to=None, is_active=True).distinct(
    ).order_by("full_name")


@login_required
def transition_list(request):
    user = request.user
    agency = user.agency
    current = audit_selectors.current_edition(agency)
    rows = transitions.transitions_for_user(user).annotate(
        task_count=Count("tasks"), done_count=Count("tasks", filter=Q(tasks__done_on__isnull=False)))
    return render_list(request, "rollout/transition_list.html", {
        "current": current, "agency": agency, "editions": audit_selectors.editions(),
        "can_start": agency is not None and user.has_perm("rollout.change_editiontransition", agency),
        **paged(request, rows)})


@login_required
def transition_create(request):
    agency = request.user.agency
    if agency is None or not request.user.has_perm("rollout.change_editiontransition", agency):
        raise Forbidden()
    current = audit_selectors.current_edition(agency)
    later = audit_selectors.editions().filter(code__gt=current.code)
    form = forms.TransitionForm(request.POST or None, editions=later, people=_people(agency))
    if request.method == "POST":
        ok, created = run_form(form, lambda: transitions.transition_start(actor=request.user, agency=agency,
                                                                           **form.cleaned_data))
        if ok:
            messages.success(request, _("The transition checklist was generated from the correspondence "
                                        "between the editions."))
            return redirect("rollout:transition-detail", created.pk)
    return form_page(request, form, title=_("Move to another ISO 9001 edition"),
                     cancel_url=reverse("rollout:transition-list"),
                     intro=_("%(name)s follows %(edition)s. Each new or changed clause of the edition chosen "
                             "becomes a task with an owner and a due date.") % {
                         "name": agency.name, "edition": current.name})


@login_required
def transition_detail(request, pk):
    user = request.user
    transition = transitions.transition_get_for_user(user, pk)
    tasks = list(transitions.transition_tasks_of(transition))
    progress = transitions.transition_progress(transition)
    in_progress = transition.status == "in_progress"
    return render(request, "rollout/transition_detail.html", {
        "transition": transition, "tasks": tasks, "progress": progress,
        "can_change": in_progress and user.has_perm("rollout.change_editiontransition", transition),
        "can_tick": {t.pk for t in tasks if in_progress and user.has_perm("rollout.do_transitiontask", t)},
        "today": timezone.localdate(),
        "chart": {"type": "doughnut", "labels": [_("Done"), _("Late"), _("Open")], "datasets": [{
            "label": _("Tasks"), "data": [progress["done"], progress["late"],
                                          progress["total"] - progress["done"] - progress["late"]]}]},
    })


@login_required
@require_POST
def transitiontask_done(request, pk):
    task = transitions.transition_task_get_for_user(request.user, pk)
    try:
        transitions.transition_task_done(actor=request.user, task=task, done=request.POST.get("done") != "0")
    except (ValidationFailed, Conflict) as exc:
        messages.error(request, str(exc.message))
    return redirect(next_url(request, reverse("rollout:transition-detail", args=[task.transition_id])))


@login_required
def transitiontask_update(request, pk):
    task = transitions.transition_task_get_for_user(request.user, pk)
    require(request, "rollout.change_editiontransition", task)
    form = forms.TaskForm(request.POST or None, people=_people(task.transition.agency),
                          initial={"owner": task.owner, "due_on": task.due_on})
    if request.method == "POST":
        ok, _done = run_form(form, lambda: transitions.transition_task_update(actor=request.user, task=task,
                                                                              **form.cleaned_data))
        if ok:
            messages.success(request, _("The task was saved."))
            return redirect("rollout:transition-detail", task.transition_id)
    return form_page(request, form, title=f"{task.clause} {task.title}",
                     cancel_url=reverse("rollout:transition-detail", args=[task.transition_id]))


@login_required
def transition_complete(request, pk):
    transition = transitions.transition_get_for_user(request.user, pk)
    require(request, "rollout.change_editiontransition", transition)
    form = forms.CompleteForm(request.POST or None)
    if request.method == "POST":
        ok, _done = run_form(form, lambda: transitions.transition_complete(actor=request.user, transition=transition,
                                                                           **form.cleaned_data))
        if ok:
            messages.success(request, _("The agency now follows %(name)s; its open audits were re-linked to the new "
                                        "clause numbers.") % {"name": transition.to_edition.name})
            return redirect("rollout:transition-detail", transition.pk)
    return form_page(request, form, title=_("Complete the transition"),
                     cancel_url=reverse("rollout:transition-detail", args=[transition.pk]),
                     intro=_("Once every task is done, the agency follows the new edition; the questions and "
                             "findings of its open audits move to the new clause numbers."))


urlpatterns = [
    path("transitions/", transition_list, name="transition-list"),
    path("transitions/new/", transition_create, name="transition-create"),
    path("transitions/<int:pk>/", transition_detail, name="transition-detail"),
    path("transitions/<int:pk>/complete/", transition_complete, name="transition-complete"),
    path("transitions/tasks/<int:pk>/done/", transitiontask_done, name="transitiontask-done"),
    path("transitions/tasks/<int:pk>/edit/", transitiontask_update, name="transitiontask-update"),
]
