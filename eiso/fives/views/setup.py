"""Pages that set up 5S: the programmes of the years, the areas of the units, the checklist
(the agency's copy of the default set once edited) and the rewards of a quarter."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eiso.core.errors import DomainError
from eiso.core.pages import form_page, paged, render_list, require, run_form
from eiso.fives import scoring, selectors, services
from eiso.fives.choices import S
from eiso.fives.forms import AreaForm, ItemForm, ProgrammeForm, RewardForm
from eiso.fives.views import chosen_agency, own_agency, recent_periods
from eiso.organizations import selectors as org_selectors
from eiso.organizations.forms import FilterForm


def _units(request, agency):
    return org_selectors.units_for_user(request.user, agency=str(agency.pk), active="1").order_by("name")


# --- programmes ------------------------------------------------------------------------------------

@login_required
def programme_list(request):
    user = request.user
    agency = user.agency
    can_add = agency is not None and user.has_perm("fives.manage_fives", agency)
    form = ProgrammeForm(request.POST or None) if can_add else None
    if request.method == "POST":
        require(request, "fives.manage_fives", agency)
        ok, _programme = run_form(form, lambda: services.programme_create(actor=user, agency=agency,
                                                                           **form.cleaned_data))
        if ok:
            messages.success(request, _("The 5S programme was set up."))
            return redirect("fives:programme-list")
    programmes = list(selectors.programmes_for_user(user))
    for programme in programmes:
        programme.can_change = user.has_perm("fives.change_fives", programme)
    return render(request, "fives/programme_list.html", {"programmes": programmes, "form": form},
                  status=400 if form is not None and form.errors else 200)


@login_required
def fivesprogramme_update(request, pk):
    programme = selectors.programme_get_for_user(request.user, pk)
    require(request, "fives.change_fives", programme)
    form = ProgrammeForm(request.POST or None, editing=True,
                         initial={"title": programme.title, "goals": programme.goals, "frequency": programme.frequency})
    if request.method == "POST":
        ok, _programme = run_form(form, lambda: services.programme_update(actor=request.user, programme=programme,
                                                                           **form.cleaned_data))
        if ok:
            messages.success(request, _("The 5S programme was saved."))
            return redirect("fives:programme-list")
    return form_page(request, form, title=_("5S programme %(year)s") % {"year": programme.year},
                     cancel_url=reverse("fives:programme-list"))


# --- areas -----------------------------------------------------------------------------------------

@login_required
def area_list(request):
    user = request.user
    filters = FilterForm(request.GET or None)
    areas = selectors.areas_for_user(user, **filters.selector_kwargs())
    agency = user.agency
    return render_list(request, "fives/area_list.html", {
        "filters": filters, **paged(request, areas),
        "can_add": agency is not None and user.has_perm("fives.manage_fives", agency),
        "show_agency": org_selectors.agencies_for_user(user).count() > 1,
    })


@login_required
def area_create(request):
    agency = own_agency(request)
    require(request, "fives.manage_fives", agency)
    form = AreaForm(request.POST or None, units=_units(request, agency))
    if request.method == "POST":
        ok, _area = run_form(form, lambda: services.area_create(actor=request.user, agency=agency, **form.cleaned_data))
        if ok:
            messages.success(request, _("The area was added."))
            return redirect("fives:area-list")
    return form_page(request, form, title=_("New 5S area"), cancel_url=reverse("fives:area-list"))


@login_required
def area_update(request, pk):
    area = selectors.area_get_for_user(request.user, pk)
    require(request, "fives.change_fives", area)
    form = AreaForm(request.POST or None, units=_units(request, area.agency), editing=True, initial={
        "unit": area.unit_id, "name": area.name, "kind": area.kind, "location": area.location, "active": area.active})
    if request.method == "POST":
        ok, _area = run_form(form, lambda: services.area_update(actor=request.user, area=area, **form.cleaned_data))
        if ok:
            messages.success(request, _("The area was saved."))
            return redirect("fives:area-list")
    return form_page(request, form, title=area.name, cancel_url=reverse("fives:area-list"))


# --- checklist -------------------------------------------------------------------------------------

@login_required
def checklist(request):
    user = request.user
    agency = chosen_agency(request)
    items = selectors.checklist_of(agency.pk if agency else None)
    sections = []
    for s, name in S.choices:
        rows = [i for i in items if i.s == s]
        sections.append({"s": s, "name": name, "items": rows, "points": sum(i.points for i in rows)})
    can_edit = agency is not None and agency == user.agency and user.has_perm("fives.manage_fives", agency)
    return render(request, "fives/checklist.html", {
        "agency": agency, "sections": sections, "total": sum(i.points for i in items), "count": len(items),
        "own": agency is not None and selectors.agency_has_own_checklist(agency.pk), "can_edit": can_edit,
    })


def _item_data(form) -> dict:
    data = dict(form.cleaned_data)
    if data.get("position") is None:
        data.pop("position", None)
    return data


@login_required
def fivesitem_create(request):
    agency = own_agency(request)
    require(request, "fives.manage_fives", agency)
    form = ItemForm(request.POST or None, initial={"s": request.GET.get("s", "")})
    if request.method == "POST":
        ok, _item = run_form(form, lambda: services.item_create(actor=request.user, agency=agency, **_item_data(form)))
        if ok:
            messages.success(request, _("The item was added to the agency's checklist."))
            return redirect("fives:checklist")
    return form_page(request, form, title=_("New checklist item"), cancel_url=reverse("fives:checklist"))


@login_required
def fivesitem_update(request, pk):
    agency = own_agency(request)
    item = selectors.item_get_for_user(request.user, pk)
    require(request, "fives.manage_fives", agency)
    form = ItemForm(request.POST or None, initial={"s": item.s, "text": item.text, "points": item.points,
                                                   "graded": item.graded, "position": item.position})
    if request.method == "POST":
        ok, _item = run_form(form, lambda: services.item_update(actor=request.user, agency=agency, item=item,
                                                                 **_item_data(form)))
        if ok:
            messages.success(request, _("The item was saved."))
            return redirect("fives:checklist")
    intro = _("This item is from the default set: saving copies the whole set into the agency's own checklist "
              "first.") if item.agency_id is None else ""
    return form_page(request, form, title=_("Checklist item"), intro=intro, cancel_url=reverse("fives:checklist"))


@login_required
@require_POST
def fivesitem_remove(request, pk):
    agency = own_agency(request)
    item = selectors.item_get_for_user(request.user, pk)
    require(request, "fives.manage_fives", agency)
    try:
        services.item_remove(actor=request.user, agency=agency, item=item)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The item was taken out of the checklist."))
    return redirect("fives:checklist")


# --- rewards ---------------------------------------------------------------------------------------

@login_required
def reward_create(request):
    agency = own_agency(request)
    require(request, "fives.manage_fives", agency)
    form = RewardForm(request.POST or None, units=_units(request, agency), periods=recent_periods(),
                      initial={"period": request.GET.get("period", ""), "unit": request.GET.get("unit", "")})
    if request.method == "POST":
        def create():
            data = dict(form.cleaned_data)
            period = scoring.parse_period(data.pop("period"))
            return services.reward_create(actor=request.user, agency=agency, year=period.year, quarter=period.quarter,
                                          **data)

        ok, reward = run_form(form, create)
        if ok:
            messages.success(request, _("The reward was recorded."))
            return redirect(f"{reverse('fives:ranking')}?period={reward.year}-Q{reward.quarter}")
    return form_page(request, form, title=_("Record a 5S reward"), cancel_url=reverse("fives:ranking"))


@login_required
@require_POST
def reward_remove(request, pk):
    reward = selectors.reward_get_for_user(request.user, pk)
    require(request, "fives.change_fives", reward)
    services.reward_delete(actor=request.user, reward=reward)
    messages.success(request, _("The reward was deleted."))
    return redirect(f"{reverse('fives:ranking')}?period={reward.year}-Q{reward.quarter}")
