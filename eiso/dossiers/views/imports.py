"""Pages of one-stop imports: upload a file, watch its progress, list past imports.

The upload stores the file (``services.imports``) and queues its import (``tasks``) once stored;
the task worker runs it and writes its progress on the ``DossierImport`` row, which the detail page
polls with htmx.
"""

import json
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from eiso.core import workers
from eiso.core.errors import Forbidden, ValidationFailed
from eiso.core.import_templates import ImportColumn, template_response
from eiso.core.pages import ImportExample, import_page, paged, render_list
from eiso.dossiers.choices import EventKind, ImportStatus
from eiso.dossiers.forms_imports import DossierImportFilterForm, DossierImportForm
from eiso.dossiers.selectors.imports import dossier_import_get_for_user, dossier_imports_for_user
from eiso.dossiers.services import imports as services
from eiso.dossiers.tasks import dossier_import_enqueue

IMPORT_SPEC = (
    ImportColumn("Mã hồ sơ", gettext_lazy("Code of the dossier in the one-stop system"), True, "STP-260213-0001"),
    ImportColumn("Mã cơ quan", gettext_lazy("Code of the agency (on the row that receives the dossier)"),
                 example="STP"),
    ImportColumn("Mã thủ tục", gettext_lazy("Code of the administrative procedure (on the row that receives the "
                                            "dossier)"), example="1.004227"),
    ImportColumn("Kênh tiếp nhận", gettext_lazy("How it was submitted: direct, online or postal"), example="online"),
    ImportColumn("Sự kiện", gettext_lazy("What happened (one of the events listed below)"), True, "received"),
    ImportColumn("Thời điểm", gettext_lazy("When: dd/mm/yyyy hh:mm or ISO 8601"), True, "13/02/2026 10:00"),
    ImportColumn("Bước", gettext_lazy("Step number, for the events of a step"), example="1"),
    ImportColumn("Ghi chú", gettext_lazy("Note"), example="Chuyển phòng chuyên môn"),
    ImportColumn("Người nộp", gettext_lazy("Applicant"), example="Nguyễn Văn A"),
    ImportColumn("Người xử lý", gettext_lazy("Who handled it"), example="Trần Thị B"),
)
EXAMPLE_COLUMNS = tuple(column.header for column in IMPORT_SPEC[:8])


def _can_import(user) -> bool:
    return user.agency is not None and user.has_perm("dossiers.import_dossiers", user.agency)


@login_required
def dossierimport_list(request):
    filters = DossierImportFilterForm(request.GET or None)
    kwargs = filters.selector_kwargs()
    services.dossier_imports_mark_interrupted(dossier_imports_for_user(request.user))
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
            transaction.on_commit(partial(dossier_import_enqueue, record))
            messages.success(request, _("%(name)s was uploaded; its import has started.")
                             % {"name": record.original_name})
            return redirect("dossiers:dossierimport-detail", record.pk)
    agency = request.user.agency
    return import_page(
        request, form, title=_("Import one-stop dossiers"),
        intro=_("The events are imported into %(agency)s. Every row is checked first: a file with any bad row is "
                "refused whole and nothing is written. An event already stored is not stored again, so importing "
                "the same file twice adds nothing; events may come in any order and in several files.")
        % {"agency": agency.name},
        cancel_url=reverse("dossiers:dossierimport-list"), examples=_examples(agency.code),
        columns=IMPORT_SPEC, template_url=reverse("dossiers:dossierimport-template"),
        status=400 if form.errors else 200)


def _examples(code: str) -> list[ImportExample]:
    """The example files of the upload page, with the agency's own code."""
    dossier = f"{code}-260213-0001"
    return [
        ImportExample(_("Example (CSV or Excel)"), columns=EXAMPLE_COLUMNS, rows=[
            (dossier, code, "1.004227", "online", "received", "2026-02-13 10:00", "", ""),
            (dossier, "", "", "", "step_done", "2026-02-13 14:00", "1", "Chuyển phòng chuyên môn"),
            (dossier, "", "", "", "returned", "2026-02-25T09:30:00+07:00", "", ""),
        ], codes_label=_("Events:"), codes=EventKind.values),
        ImportExample(_("Example (JSONL, one dossier per line)"), text=json.dumps(
            {"code": dossier, "agency": code, "procedure": "1.004227", "channel": "online", "events": [
                {"event": "received", "at": "2026-02-13 10:00"},
                {"event": "step_done", "at": "2026-02-13 14:00", "step": 1}]}, ensure_ascii=False)),
    ]


@login_required
def dossierimport_detail(request, pk):
    record = dossier_import_get_for_user(request.user, pk)
    services.dossier_imports_mark_interrupted([record])
    context = {"record": record, "running": record.status in services.RUNNING,
               "percent": _percent(record), "can_import": _can_import(request.user),
               "no_worker": record.status == ImportStatus.QUEUED and workers.workers_missing(record.queued_at)}
    template = "dossiers/import_detail.html"
    if request.htmx and request.htmx.target == "import-progress":
        template += "#progress"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


@login_required
@require_POST
def dossierimport_retry(request, pk):
    record = dossier_import_get_for_user(request.user, pk)
    record = services.dossier_import_retry(dossier_import=record, actor=request.user)
    transaction.on_commit(partial(dossier_import_enqueue, record))
    messages.success(request, _("%(name)s was queued again.") % {"name": record.original_name})
    return redirect("dossiers:dossierimport-detail", record.pk)


def _percent(record) -> int | None:
    """Share of the rows done, or None while the total is not known (the first reading)."""
    if record.status == "done":
        return 100
    if record.status == "importing" and record.rows_total:
        return min(100, int(record.rows_done * 100 / record.rows_total))
    if record.status == "validating" and record.rows_total:
        return min(100, int(record.rows_done * 100 / record.rows_total))
    return None


@login_required
def dossierimport_template(request):
    if not _can_import(request.user):
        raise Forbidden()
    return template_response(IMPORT_SPEC, "mau-nhap-ho-so-mot-cua.xlsx")


urlpatterns = [
    path("dossiers/imports/", dossierimport_list, name="dossierimport-list"),
    path("dossiers/imports/template.xlsx", dossierimport_template, name="dossierimport-template"),
    path("dossiers/imports/new/", dossierimport_create, name="dossierimport-create"),
    path("dossiers/imports/<int:pk>/", dossierimport_detail, name="dossierimport-detail"),
    path("dossiers/imports/<int:pk>/retry/", dossierimport_retry, name="dossierimport-retry"),
]
