"""Pages of one-stop imports: upload a file, watch its progress, list past imports.

The upload stores the file (``services.imports``) and queues its import (``tasks``) once stored;
the task worker runs it and writes its progress on the ``DossierImport`` row, which the detail page
polls with htmx.
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from eiso.core.errors import Forbidden, ValidationFailed
from eiso.core.pages import paged, render_list
from eiso.dossiers.forms_imports import DossierImportFilterForm, DossierImportForm
from eiso.dossiers.selectors.imports import dossier_import_get_for_user, dossier_imports_for_user
from eiso.dossiers.services import imports as services
from eiso.dossiers.tasks import dossier_import_task


def _can_import(user) -> bool:
    return user.agency is not None and user.has_perm("dossiers.import_dossiers", user.agency)


@login_required
def dossierimport_list(request):
    filters = DossierImportFilterForm(request.GET or None)
    kwargs = filters.selector_kwargs()
    imports = dossier_imports_for_user(request.user, q=kwargs.get("q", ""), status=kwargs.get("status", ""))
    return render_list(request, "dossiers/import_list.html", {
        "filters": filters, **paged(request, imports), "can_import": _can_import(request.user)})


@login_required
def dossierimport_create(request):
    if not _can_import(request.user):
        raise Forbidden()
    form = DossierImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.dossier_import_start(actor=request.user, uploaded=form.cleaned_data["file"])
        except ValidationFailed as exc:
            form.apply_domain_error(exc)
        else:
            transaction.on_commit(partial(dossier_import_task.enqueue, record.pk))
            messages.success(request, _("%(name)s was uploaded; its import has started.")
                             % {"name": record.original_name})
            return redirect("dossiers:dossierimport-detail", record.pk)
    return render(request, "dossiers/import_form.html", {"form": form, "agency": request.user.agency},
                  status=400 if form.errors else 200)


@login_required
def dossierimport_detail(request, pk):
    record = dossier_import_get_for_user(request.user, pk)
    context = {"record": record, "running": record.status in services.RUNNING,
               "percent": _percent(record), "can_import": _can_import(request.user)}
    template = "dossiers/import_detail.html"
    if request.htmx and request.htmx.target == "import-progress":
        template += "#progress"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


def _percent(record) -> int | None:
    """Share of the rows done, or None while the total is not known (the first reading)."""
    if record.status == "done":
        return 100
    if record.status == "importing" and record.rows_total:
        return min(100, int(record.rows_done * 100 / record.rows_total))
    if record.status == "validating" and record.rows_total:
        return min(100, int(record.rows_done * 100 / record.rows_total))
    return None


urlpatterns = [
    path("dossiers/imports/", dossierimport_list, name="dossierimport-list"),
    path("dossiers/imports/new/", dossierimport_create, name="dossierimport-create"),
    path("dossiers/imports/<int:pk>/", dossierimport_detail, name="dossierimport-detail"),
]
