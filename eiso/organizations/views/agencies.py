"""Pages of the agencies: list, overview with its tabs, create, edit and merge; and the
agency-choice helpers every organisation page that creates something in an agency uses.

Views parse input, call a service (writes) and render. Scoped data is read only through
``selectors``, which raise ``NotFound`` (404) outside the user's scope; services raise
``Forbidden`` (403 page via ``DomainErrorMiddleware``) and ``ValidationFailed``/``Conflict``,
which the forms show on their fields so nothing changes and the user sees why.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core.audit import history_for
from eiso.core.pages import form_page, paged, render_list, require, tab_of
from eiso.core.pages import run_form as run
from eiso.organizations import selectors, services
from eiso.organizations.agency_choices import agencies_for, initial_agency  # noqa: F401 (used by the views)
from eiso.organizations.forms import AgencyFilterForm, AgencyForm, AgencyMergeForm

# --- shared helpers (the other organisation pages use them too) -----------------------------------




def visible_agency_ids(request, agencies) -> set[int]:
    ids = {a.pk for a in agencies if a is not None}
    if not ids:
        return set()
    return set(selectors.agencies_for_user(request.user).filter(pk__in=ids).values_list("pk", flat=True))


# --- agencies -------------------------------------------------------------------------------------

AGENCY_TABS = [
    ("info", gettext_lazy("Overview")),
    ("units", gettext_lazy("Units")),
    ("people", gettext_lazy("People")),
    ("committee", gettext_lazy("Steering committee")),
    ("history", gettext_lazy("History")),
]


@login_required
def agency_list(request):
    filters = AgencyFilterForm(request.GET or None)
    agencies = selectors.agencies_with_counts_for_user(request.user, **filters.selector_kwargs())
    return render_list(
        request,
        "organizations/agency_list.html",
        {
            "filters": filters,
            **paged(request, agencies),
            "can_add": request.user.has_perm("organizations.add_agency"),
            "can_merge": request.user.has_perm("organizations.merge_agencies"),
            "today": timezone.localdate().isoformat(),  # an agency's status follows the date: its rows' key too
        },
    )


@login_required
def agency_detail(request, pk):
    agency = selectors.agency_get_for_user(request.user, pk)
    user = request.user
    tab = tab_of(request, AGENCY_TABS)
    context = {
        "agency": agency,
        "tab": tab,
        "tabs": AGENCY_TABS,
        "can_edit": user.has_perm("organizations.change_agency", agency),
        "can_change_sessions": user.has_perm("organizations.change_session_settings", agency),
        "can_add_unit": agency.is_active and user.has_perm("organizations.add_unit", agency),
        "can_add_user": agency.is_active and user.has_perm("organizations.add_user", agency),
        "can_add_committee": agency.is_active
        and user.has_perm("organizations.add_steeringcommittee", agency),
    }
    if tab == "info":
        predecessors, successors = list(agency.predecessors.all()), list(agency.successors.all())
        context.update(
            predecessors=predecessors,
            successors=successors,
            visible_ids=visible_agency_ids(request, [*predecessors, *successors, agency.parent]),
            counts=selectors.agencies_with_counts_for_user(user).filter(pk=agency.pk).first(),
        )
    elif tab == "units":
        context.update(paged(request, selectors.units_with_counts_for_user(user, agency=str(agency.pk))))
    elif tab == "people":
        context.update(paged(request, selectors.users_for_user(user, agency=str(agency.pk))))
    elif tab == "committee":
        context["committees"] = list(selectors.steering_committees_for_user(user, agency=str(agency.pk)))
    else:
        context.update(paged(request, history_for(agency)))
    return render(request, "organizations/agency_detail.html", context)


@login_required
def agency_create(request):
    require(request, "organizations.add_agency")
    initial = {"province": request.user.agency.province_id} if request.user.agency else {}
    form = AgencyForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST":
        ok, agency = run(form, lambda: services.agency_create(actor=request.user, **form.cleaned_data))
        if ok:
            messages.success(request, _("The agency %(name)s was created.") % {"name": agency.name})
            return redirect("organizations:agency-detail", agency.pk)
    return form_page(request, form, title=_("New agency"), cancel_url=reverse("organizations:agency-list"))


@login_required
def agency_update(request, pk):
    agency = selectors.agency_get_for_user(request.user, pk)
    require(request, "organizations.change_agency", agency)
    form = AgencyForm(request.POST or None, user=request.user, instance=agency)
    if request.method == "POST":
        ok, _agency = run(
            form, lambda: services.agency_update(actor=request.user, agency=agency, **form.cleaned_data)
        )
        if ok:
            messages.success(request, _("The changes were saved."))
            return redirect("organizations:agency-detail", agency.pk)
    return form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": agency.name},
        cancel_url=reverse("organizations:agency-detail", args=[agency.pk]),
    )


@login_required
def agency_merge(request):
    require(request, "organizations.merge_agencies")
    form = AgencyMergeForm(request.POST or None, user=request.user)
    if request.method == "POST":

        def merge():
            data = form.cleaned_data
            return services.agencies_merge(
                actor=request.user,
                sources=list(data["sources"]),
                code=data["code"],
                name=data["name"],
                short_name=data["short_name"],
                level=data["level"] or None,
                effective_date=data["effective_date"],
            )

        ok, agency = run(form, merge)
        if ok:
            messages.success(request, _("The agencies were merged into %(name)s.") % {"name": agency.name})
            return redirect("organizations:agency-detail", agency.pk)
    return form_page(
        request,
        form,
        title=_("Merge agencies"),
        cancel_url=reverse("organizations:agency-list"),
        submit_label=_("Merge"),
        intro=_(
            "The chosen agencies end the day before the effective date. Their active units and people move "
            "to the new agency, which records them as its predecessors; old documents and dossiers keep "
            "pointing at the agency that existed then."
        ),
    )


urlpatterns = [
    path("agencies/", agency_list, name="agency-list"),
    path("agencies/new/", agency_create, name="agency-create"),
    path("agencies/merge/", agency_merge, name="agency-merge"),
    path("agencies/<int:pk>/", agency_detail, name="agency-detail"),
    path("agencies/<int:pk>/edit/", agency_update, name="agency-update"),
]
