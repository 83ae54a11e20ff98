"""Pages of the people (list, profile with memberships and history, create, edit) and the
signed-in user's own password change."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import path, reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core.errors import Forbidden, ValidationFailed
from eiso.core.pages import form_page, paged, render_list, require, tab_of
from eiso.core.pages import run_form as run
from eiso.organizations import selectors, services
from eiso.organizations.agency_choices import agencies_for, initial_agency
from eiso.organizations.forms import PasswordChangeForm, PersonCreateForm, PersonEditForm, PersonFilterForm
from eiso.organizations.views.agencies import visible_agency_ids

# --- password change ------------------------------------------------------------------------------


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, with the write going through ``services.user_set_password`` so
    it leaves an audit event."""

    form_class = PasswordChangeForm
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        user = form.user
        try:
            services.user_set_password(actor=user, user=user, password=form.cleaned_data["new_password1"])
        except ValidationFailed as exc:
            form.add_error("new_password2", str(exc.message))
            return self.form_invalid(form)
        update_session_auth_hash(self.request, user)
        return HttpResponseRedirect(self.get_success_url())


# --- people ---------------------------------------------------------------------------------------

PERSON_TABS = [
    ("info", gettext_lazy("Overview")),
    ("memberships", gettext_lazy("Agencies and roles")),
    ("history", gettext_lazy("History")),
]


@login_required
def user_list(request):
    filters = PersonFilterForm(request.GET or None, user=request.user)
    people = selectors.users_for_user(request.user, **filters.selector_kwargs())
    return render_list(
        request,
        "organizations/user_list.html",
        {
            "filters": filters,
            **paged(request, people),
            "can_add": request.user.agency is not None
            and request.user.has_perm("organizations.add_user", request.user.agency),
        },
    )


@login_required
def user_detail(request, pk):
    person = selectors.user_get_for_user(request.user, pk)
    tab = tab_of(request, PERSON_TABS)
    context = {
        "person": person,
        "tab": tab,
        "tabs": PERSON_TABS,
        "membership": person.active_memberships[0] if person.active_memberships else None,
        "can_edit": request.user.has_perm("organizations.change_user", person),
    }
    if tab == "info":
        context["committees"] = list(
            selectors.steering_committees_for_user(request.user).filter(members__user=person).distinct()
        )
    elif tab == "memberships":
        memberships = list(selectors.membership_history(person, viewer=request.user))
        context.update(
            memberships=memberships, visible_ids=visible_agency_ids(request, [m.agency for m in memberships])
        )
    else:
        context.update(paged(request, selectors.person_history_for_user(request.user, person)))
    return render(request, "organizations/user_detail.html", context)


def _membership_choices(request):
    agencies = agencies_for(request, "organizations.add_user")
    if not agencies.exists():
        raise Forbidden()
    units = selectors.units_for_user(request.user, active="1").filter(agency__in=agencies)
    return agencies, units


@login_required
def user_create(request):
    agencies, units = _membership_choices(request)
    form = PersonCreateForm(request.POST or None, initial=initial_agency(request, agencies))
    form.setup_membership(agencies=agencies, units=units)
    if request.method == "POST":

        def create():
            data = form.cleaned_data
            return services.user_create(
                actor=request.user,
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                password=data["password"] or None,
                agency=data["agency"],
                unit=data["unit"],
                roles=data["roles"],
                position=data["position"],
                phone=data["phone"],
            )

        ok, person = run(form, create)
        if ok:
            messages.success(request, _("%(name)s was added.") % {"name": person})
            return redirect("organizations:user-detail", person.pk)
    return form_page(request, form, title=_("New person"), cancel_url=reverse("organizations:user-list"))


@login_required
def user_update(request, pk):
    person = selectors.user_get_for_user(request.user, pk)
    require(request, "organizations.change_user", person)
    agencies, units = _membership_choices(request)
    form = PersonEditForm(request.POST or None, initial=PersonEditForm.initial_for(person))
    form.setup_membership(agencies=agencies, units=units)
    if request.method == "POST":

        def save():
            data = form.cleaned_data
            # One transaction: details, membership and password change together or not at all.
            with transaction.atomic():
                services.user_update(
                    actor=request.user,
                    user=person,
                    **{name: data[name] for name in PersonEditForm.DETAIL_FIELDS},
                )
                services.membership_change(
                    actor=request.user,
                    user=person,
                    roles=data["roles"],
                    unit=data["unit"],
                    agency=data["agency"],
                )
                if data["new_password"]:
                    services.user_set_password(actor=request.user, user=person, password=data["new_password"])
            return person

        ok, _person = run(form, save)
        if ok:
            messages.success(request, _("The changes were saved."))
            return redirect("organizations:user-detail", person.pk)
    return form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": person},
        cancel_url=reverse("organizations:user-detail", args=[person.pk]),
    )


urlpatterns = [
    path("people/", user_list, name="user-list"),
    path("people/new/", user_create, name="user-create"),
    path("people/<int:pk>/", user_detail, name="user-detail"),
    path("people/<int:pk>/edit/", user_update, name="user-update"),
]
