"""Pages of the ISO steering committees (Ban chỉ đạo ISO) and their members."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from eiso.core.audit import history_for
from eiso.core.errors import Forbidden, NotFound
from eiso.core.pages import form_page, paged, render_list, require, tab_of
from eiso.core.pages import run_form as run
from eiso.organizations import selectors, services
from eiso.organizations.agency_choices import agencies_for, initial_agency
from eiso.organizations.forms import (
    SteeringCommitteeCreateForm,
    SteeringCommitteeFilterForm,
    SteeringCommitteeForm,
    SteeringMemberForm,
)

COMMITTEE_TABS = [("members", gettext_lazy("Members")), ("history", gettext_lazy("History"))]


@login_required
def steeringcommittee_list(request):
    filters = SteeringCommitteeFilterForm(request.GET or None, user=request.user)
    committees = selectors.steering_committees_for_user(request.user, **filters.selector_kwargs())
    return render_list(
        request,
        "organizations/steeringcommittee_list.html",
        {
            "filters": filters,
            **paged(request, committees),
            "can_add": request.user.agency is not None
            and request.user.has_perm("organizations.add_steeringcommittee", request.user.agency),
        },
    )


def _member_form(request, committee, data=None):
    people = selectors.users_for_user(request.user, agency=str(committee.agency_id), active="1")
    return SteeringMemberForm(data, people=people)


@login_required
def steeringcommittee_detail(request, pk):
    committee = selectors.steering_committee_get_for_user(request.user, pk)
    tab = tab_of(request, COMMITTEE_TABS)
    can_edit = request.user.has_perm("organizations.change_steeringcommittee", committee)
    context = {"committee": committee, "tab": tab, "tabs": COMMITTEE_TABS, "can_edit": can_edit}
    if tab == "members":
        context["members"] = list(committee.members.all())
        if can_edit and committee.is_active:
            context["member_form"] = _member_form(request, committee)
    else:
        context.update(paged(request, history_for(committee)))
    return render(request, "organizations/steeringcommittee_detail.html", context)


@login_required
def steeringcommittee_create(request):
    agencies = agencies_for(request, "organizations.add_steeringcommittee")
    if not agencies.exists():
        raise Forbidden()
    form = SteeringCommitteeCreateForm(
        request.POST or None, agencies=agencies, initial=initial_agency(request, agencies)
    )
    if request.method == "POST":
        ok, committee = run(
            form, lambda: services.steering_committee_create(actor=request.user, **form.cleaned_data)
        )
        if ok:
            messages.success(request, _("The steering committee was created. Now add its members."))
            return redirect("organizations:steeringcommittee-detail", committee.pk)
    return form_page(
        request,
        form,
        title=_("New ISO steering committee"),
        cancel_url=reverse("organizations:steeringcommittee-list"),
    )


@login_required
def steeringcommittee_update(request, pk):
    committee = selectors.steering_committee_get_for_user(request.user, pk)
    require(request, "organizations.change_steeringcommittee", committee)
    form = SteeringCommitteeForm(request.POST or None, instance=committee)
    if request.method == "POST":
        ok, _committee = run(
            form,
            lambda: services.steering_committee_update(
                actor=request.user, committee=committee, **form.cleaned_data
            ),
        )
        if ok:
            messages.success(request, _("The changes were saved."))
            return redirect("organizations:steeringcommittee-detail", committee.pk)
    return form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": committee.name},
        cancel_url=reverse("organizations:steeringcommittee-detail", args=[committee.pk]),
    )


@login_required
def steeringmember_add(request, pk):
    committee = selectors.steering_committee_get_for_user(request.user, pk)
    require(request, "organizations.change_steeringcommittee", committee)
    form = _member_form(request, committee, request.POST or None)
    if request.method == "POST":
        ok, member = run(
            form,
            lambda: services.steering_member_add(
                actor=request.user, committee=committee, **form.cleaned_data
            ),
        )
        if ok:
            messages.success(request, _("%(name)s joined the committee.") % {"name": member.user})
            return redirect(
                reverse("organizations:steeringcommittee-detail", args=[committee.pk]) + "?tab=members"
            )
    return form_page(
        request,
        form,
        title=_("Add a member to %(name)s") % {"name": committee.name},
        cancel_url=reverse("organizations:steeringcommittee-detail", args=[committee.pk]),
        submit_label=_("Add"),
    )


@login_required
@require_POST
def steeringmember_remove(request, pk, member_pk):
    committee = selectors.steering_committee_get_for_user(request.user, pk)
    require(request, "organizations.change_steeringcommittee", committee)
    member = next((m for m in committee.members.all() if m.pk == member_pk), None)
    if member is None:
        raise NotFound()
    services.steering_member_remove(actor=request.user, member=member)
    messages.success(request, _("%(name)s left the committee.") % {"name": member.user})
    return redirect(reverse("organizations:steeringcommittee-detail", args=[committee.pk]) + "?tab=members")


urlpatterns = [
    path("steering-committees/", steeringcommittee_list, name="steeringcommittee-list"),
    path("steering-committees/new/", steeringcommittee_create, name="steeringcommittee-create"),
    path("steering-committees/<int:pk>/", steeringcommittee_detail, name="steeringcommittee-detail"),
    path("steering-committees/<int:pk>/edit/", steeringcommittee_update, name="steeringcommittee-update"),
    path("steering-committees/<int:pk>/members/new/", steeringmember_add, name="steeringmember-add"),
    path(
        "steering-committees/<int:pk>/members/<int:member_pk>/remove/",
        steeringmember_remove,
        name="steeringmember-remove",
    ),
]
