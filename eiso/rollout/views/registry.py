"""Pages of the procedure registry: the fill from the TTHC catalogue, one procedure added by hand,
its changes, its progress (drafting, in review), its issue with the document, its removal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eiso.core.pages import form_page, next_url, require, run_form
from eiso.rollout import selectors, services
from eiso.rollout.choices import ItemStatus
from eiso.rollout.forms import ItemIssueForm, RegistryFillForm, RegistryItemCreateForm, RegistryItemForm
from eiso.rollout.views.common import agency_procedures, agency_units, run_action


def _registry_url(rollout_id) -> str:
    return reverse("rollout:rollout-detail", args=[rollout_id]) + "?tab=registry"


@login_required
def rollout_fill(request, pk):
    """Fill the registry from the TTHC catalogue in one step (the page lists what it will add)."""
    user = request.user
    rollout = selectors.rollout_get_for_user(user, pk)
    require(request, "rollout.change_rollout", rollout)
    form = RegistryFillForm(request.POST or None, units=agency_units(user, rollout))
    if request.method == "POST":
        ok, created = run_form(form, lambda: services.registry_fill(actor=user, rollout=rollout, **form.cleaned_data))
        if ok:
            if created:
                messages.success(request, _("%(n)s procedures were added to the registry, one per TTHC with no "
                                            "procedure in force.") % {"n": len(created)})
            else:
                messages.info(request, _("Every published TTHC already has a procedure in force or in the "
                                         "registry: nothing to add."))
            return redirect(_registry_url(rollout.pk))
    return render(request, "rollout/registry_fill.html", {
        "rollout": rollout, "form": form, "gaps": list(services.catalogue_gaps(rollout).select_related(None)),
        "cancel_url": _registry_url(rollout.pk)})


@login_required
def rollout_itemcreate(request, pk):
    user = request.user
    rollout = selectors.rollout_get_for_user(user, pk)
    require(request, "rollout.change_rollout", rollout)
    form = RegistryItemCreateForm(request.POST or None, units=agency_units(user, rollout),
                                  procedures=agency_procedures(user, rollout))
    if request.method == "POST":
        ok, _item = run_form(form, lambda: services.registry_item_add(actor=user, rollout=rollout,
                                                                      **form.cleaned_data))
        if ok:
            messages.success(request, _("The procedure was added to the registry."))
            return redirect(_registry_url(rollout.pk))
    return form_page(request, form, title=_("Add a procedure to the registry"), intro=rollout.title,
                     cancel_url=_registry_url(rollout.pk))


@login_required
def registryitem_update(request, pk):
    user = request.user
    item = selectors.registry_item_get_for_user(user, pk)
    require(request, "rollout.change_rollout", item)
    form = RegistryItemForm(request.POST or None, instance=item, units=agency_units(user, item.rollout))
    if request.method == "POST":
        ok, _saved = run_form(form, lambda: services.registry_item_update(actor=user, item=item,
                                                                          **form.cleaned_data))
        if ok:
            messages.success(request, _("The procedure was saved."))
            return redirect(_registry_url(item.rollout_id))
    return form_page(request, form, title=_("Edit a procedure of the registry"), intro=str(item),
                     cancel_url=_registry_url(item.rollout_id))


@login_required
@require_POST
def registryitem_status(request, pk):
    """Move a procedure to drafting or in review (or back); issuing has its own page."""
    item = selectors.registry_item_get_for_user(request.user, pk)
    require(request, "rollout.progress_registryitem", item)
    status = request.POST.get("status", "")
    if status not in ItemStatus.values or status == ItemStatus.ISSUED:
        messages.error(request, _("Unknown status."))
    else:
        run_action(request, lambda: services.registry_item_transition(actor=request.user, item=item, status=status),
                   _("“%(item)s”: %(status)s.") % {"item": item.title, "status": ItemStatus(status).label})
    return redirect(next_url(request, _registry_url(item.rollout_id)))


@login_required
def registryitem_issue(request, pk):
    user = request.user
    item = selectors.registry_item_get_for_user(user, pk)
    require(request, "rollout.change_rollout", item)
    documents = selectors.documents_to_issue(item.rollout)
    initial = {}
    tthc = item.admin_procedure
    if tthc is not None and tthc.process_document_id and documents.filter(pk=tthc.process_document_id).exists():
        initial["document"] = tthc.process_document_id
    form = ItemIssueForm(request.POST or None, documents=documents, initial=initial)
    if request.method == "POST":
        ok, _saved = run_form(form, lambda: services.registry_item_transition(
            actor=user, item=item, status=ItemStatus.ISSUED, **form.cleaned_data))
        if ok:
            messages.success(request, _("“%(item)s” is issued.") % {"item": item.title})
            return redirect(_registry_url(item.rollout_id))
    return form_page(request, form, title=_("Issue a procedure of the registry"), intro=str(item),
                     submit_label=_("Mark as issued"), cancel_url=_registry_url(item.rollout_id))


@login_required
@require_POST
def registryitem_remove(request, pk):
    item = selectors.registry_item_get_for_user(request.user, pk)
    require(request, "rollout.change_rollout", item)
    run_action(request, lambda: services.registry_item_remove(actor=request.user, item=item),
               _("“%(item)s” was taken out of the registry.") % {"item": item.title})
    return redirect(_registry_url(item.rollout_id))


urlpatterns = [
    path("rollouts/<int:pk>/registry/fill/", rollout_fill, name="rollout-fill"),
    path("rollouts/<int:pk>/registry/new/", rollout_itemcreate, name="rollout-itemcreate"),
    path("registry-items/<int:pk>/edit/", registryitem_update, name="registryitem-update"),
    path("registry-items/<int:pk>/status/", registryitem_status, name="registryitem-status"),
    path("registry-items/<int:pk>/issue/", registryitem_issue, name="registryitem-issue"),
    path("registry-items/<int:pk>/remove/", registryitem_remove, name="registryitem-remove"),
]
