"""Pages of newcomers' onboarding: the list with each person's progress, the start of an
onboarding, and one onboarding with each document read or still to read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from eiso.core.errors import Forbidden
from eiso.core.pages import form_page, paged, render_list, run_form
from eiso.organizations.forms import FilterForm
from eiso.people import selectors, services
from eiso.people.forms import OnboardingForm
from eiso.people.views.common import people_of


def _onboarding_unit(user):
    m = user.membership
    if m is None or m.unit is None:
        return None
    return m.unit


@login_required
def onboarding_list(request):
    user = request.user
    filters = FilterForm(request.GET or None)
    onboardings = selectors.onboardings_for_user(user, **filters.selector_kwargs())
    context = {"filters": filters, **paged(request, onboardings)}
    context["progress"] = selectors.onboarding_progress(context["page"].object_list)
    for o in context["page"].object_list:
        o.read, o.total = context["progress"].get(o.pk, (0, 0))
        o.percent = round(100 * o.read / o.total) if o.total else 0
    unit = _onboarding_unit(user)
    context["can_add"] = unit is not None and user.has_perm("people.add_onboarding", unit) or (
        user.agency is not None and user.has_perm("people.add_course", user.agency))
    return render_list(request, "people/onboarding_list.html", context)


@login_required
def onboarding_create(request):
    user = request.user
    agency = user.agency
    if agency is None:
        raise Forbidden()
    if user.has_perm("people.add_course", agency):  # the secretary and the head: anyone of the agency
        people = people_of(agency)
    else:
        unit = _onboarding_unit(user)
        if unit is None or not user.has_perm("people.add_onboarding", unit):
            raise Forbidden()
        people = people_of(agency, unit)
    form = OnboardingForm(request.POST or None, people=people.filter(onboarding__isnull=True))
    if request.method == "POST":
        ok, onboarding = run_form(form, lambda: services.onboarding_start(
            actor=user, person=form.cleaned_data["person"], started_on=form.cleaned_data["started_on"]))
        if ok:
            messages.success(request, _("The onboarding started: the documents are on the newcomer's reading list."))
            return redirect("people:onboarding-detail", onboarding.pk)
    return form_page(request, form, title=_("Onboard a newcomer"), cancel_url=reverse("people:onboarding-list"),
                     intro=_("The quality policy, the quality objectives and the procedures in force of the "
                             "newcomer's unit go on their reading list; you follow what they have read here."))


@login_required
def onboarding_detail(request, pk):
    onboarding = selectors.onboarding_get_for_user(request.user, pk)
    items = selectors.onboarding_items(onboarding)
    read = sum(1 for _r, e in items if e is not None and e.acknowledged_at)
    return render(request, "people/onboarding_detail.html", {
        "onboarding": onboarding, "items": items, "read": read, "total": len(items),
        "percent": round(100 * read / len(items)) if items else 0,
        "is_me": onboarding.user_id == request.user.pk,
    })
