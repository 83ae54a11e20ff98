"""Pages of the units of an agency (one-stop desk, office, specialist units)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core.audit import history_for
from eiso.core.errors import Forbidden
from eiso.core.pages import form_page, paged, render_list, require, tab_of
from eiso.core.pages import run_form as run
from eiso.organizations import selectors, services
from eiso.organizations.agency_choices import agencies_for, initial_agency
from eiso.organizations.forms import UnitCreateForm, UnitFilterForm, UnitForm

UNIT_TABS = [
    ("info", gettext_lazy("Overview")),
    ("people", gettext_lazy("People")),
    ("jobs", gettext_lazy("Job descriptions")),
    ("history", gettext_lazy("History")),
]


@login_required
def unit_list(request):
    filters = UnitFilterForm(request.GET or None, user=request.user)
    units = selectors.units_with_counts_for_user(request.user, **filters.selector_kwargs())
    return render_list(
        request,
        "organizations/unit_list.html",
        {
            "filters": filters,
            **paged(request, units),
            "can_add": request.user.agency is not None
            and request.user.has_perm("organizations.add_unit", request.user.agency),
        },
    )


@login_required
def unit_detail(request, pk):
    unit = selectors.unit_get_for_user(request.user, pk)
    tab = tab_of(request, UNIT_TABS)
    context = {
        "unit": unit,
        "tab": tab,
        "tabs": UNIT_TABS,
        "can_edit": request.user.has_perm("organizations.change_unit", unit),
        "can_add_job": unit.is_active
        and unit.agency.is_active
        and request.user.has_perm("organizations.add_jobdescription", unit.agency),
    }
    if tab == "info":
        context["counts"] = selectors.units_with_counts_for_user(request.user).filter(pk=unit.pk).first()
    elif tab == "people":
        context.update(paged(request, selectors.users_for_user(request.user, unit=str(unit.pk))))
    elif tab == "jobs":
        context.update(paged(request, selectors.job_descriptions_for_user(request.user, unit=str(unit.pk))))
    else:
        context.update(paged(request, history_for(unit)))
    return render(request, "organizations/unit_detail.html", context)


@login_required
def unit_create(request):
    agencies = agencies_for(request, "organizations.add_unit")
    if not agencies.exists():
        raise Forbidden()
    form = UnitCreateForm(request.POST or None, agencies=agencies, initial=initial_agency(request, agencies))
    if request.method == "POST":

        def create():
            data = form.cleaned_data
            return services.unit_create(
                actor=request.user,
                agency=data["agency"],
                code=data["code"],
                name=data["name"],
                kind=data["kind"],
            )

        ok, unit = run(form, create)
        if ok:
            messages.success(request, _("The unit %(name)s was created.") % {"name": unit.name})
            return redirect("organizations:unit-detail", unit.pk)
    return form_page(request, form, title=_("New unit"), cancel_url=reverse("organizations:unit-list"))


@login_required
def unit_update(request, pk):
    unit = selectors.unit_get_for_user(request.user, pk)
    require(request, "organizations.change_unit", unit)
    form = UnitForm(request.POST or None, instance=unit)
    if request.method == "POST":
        ok, _unit = run(
            form, lambda: services.unit_update(actor=request.user, unit=unit, **form.cleaned_data)
        )
        if ok:
            messages.success(request, _("The changes were saved."))
            return redirect("organizations:unit-detail", unit.pk)
    return form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": unit.name},
        cancel_url=reverse("organizations:unit-detail", args=[unit.pk]),
    )


urlpatterns = [
    path("units/", unit_list, name="unit-list"),
    path("units/new/", unit_create, name="unit-create"),
    path("units/<int:pk>/", unit_detail, name="unit-detail"),
    path("units/<int:pk>/edit/", unit_update, name="unit-update"),
]
