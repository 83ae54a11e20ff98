"""Pages of the TTHC catalogue: list, detail, create/edit, the process editor of an operational
procedure, coverage and the import.

Views parse input, call a service and render. Scoped data is read only through the selectors
(another agency's id → NotFound → 404); services raise ``Forbidden`` (403) and
``ValidationFailed``, shown on the forms so nothing changes and the user sees why.
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core.audit import history_for
from eiso.core.errors import Conflict, ValidationFailed
from eiso.core.import_templates import ImportColumn, template_response
from eiso.core.jobs import import_job_start
from eiso.core.pages import ImportExample, form_page, import_page, paged, render_list, require, run_form, tab_of
from eiso.core.selectors import importjobs_recent
from eiso.core.tasks import import_job_enqueue
from eiso.documents.selectors.revisions import current_revision, document_get_for_user
from eiso.organizations.agency_choices import agencies_for, initial_agency
from eiso.procedures import jobs, selectors, services
from eiso.procedures.choices import Coverage
from eiso.procedures.forms import (
    AdminProcedureFilterForm,
    AdminProcedureForm,
    AdminProcedureImportForm,
    CoverageFilterForm,
    ProcessNoteForm,
    StepFormSet,
)

DETAIL_TABS = [
    ("info", gettext_lazy("Overview")),
    ("versions", gettext_lazy("Process versions")),
    ("history", gettext_lazy("History")),
]




def _can(user, perm: str) -> bool:
    return user.agency is not None and user.has_perm(perm, user.agency)


def _gap_warning(gap) -> dict:
    return {"gap": gap, "gap_abs": abs(gap) if gap is not None else None}


@login_required
def adminprocedure_list(request):
    filters = AdminProcedureFilterForm(request.GET or None, user=request.user)
    procedures = selectors.admin_procedures_for_user(request.user, **filters.selector_kwargs())
    return render_list(request, "procedures/adminprocedure_list.html", {
        "filters": filters,
        **paged(request, procedures),
        "show_agency": "agency" in filters.fields,
        "can_add": _can(request.user, "procedures.add_adminprocedure"),
        "can_import": _can(request.user, "procedures.import_adminprocedure"),
    })


@login_required
def adminprocedure_detail(request, pk):
    procedure = selectors.admin_procedure_get_for_user(request.user, pk)
    tab = tab_of(request, DETAIL_TABS)
    document = procedure.process_document
    context = {
        "procedure": procedure,
        "tab": tab,
        "tabs": DETAIL_TABS,
        "can_change": request.user.has_perm("procedures.change_adminprocedure", procedure),
        "can_edit_process": document is not None
        and request.user.has_perm("procedures.change_processdefinition", document),
    }
    if tab == "info":
        definition = selectors.current_definition(document)
        context.update(
            definition=definition,
            steps=list(definition.steps.all()) if definition else [],
            total_hours=definition.total_hours if definition else None,
            revision=current_revision(document) if document else None,
            legal_basis=list(procedure.legal_basis.select_related("replaced_by").order_by("-issued_on", "number")),
            siblings=list(selectors.procedures_covered_by(document).exclude(pk=procedure.pk)) if document else [],
            **_gap_warning(services.allowance_gap(definition, procedure)),
        )
    elif tab == "versions":
        context["definitions"] = list(selectors.definitions_of(document))
    else:
        context.update(paged(request, history_for(procedure)))
    return render(request, "procedures/adminprocedure_detail.html", context)


@login_required
def adminprocedure_create(request):
    agencies = agencies_for(request, "procedures.add_adminprocedure", required=True)
    form = AdminProcedureForm(request.POST or None, agencies=agencies, initial=initial_agency(request, agencies))
    if request.method == "POST":

        def create():
            data = dict(form.cleaned_data)
            agency = data.pop("agency", None) or agencies.first()
            return services.admin_procedure_create(actor=request.user, agency=agency, **data)

        ok, procedure = run_form(form, create)
        if ok:
            messages.success(request, _("%(code)s was added to the catalogue.") % {"code": procedure.code})
            return redirect("procedures:adminprocedure-detail", procedure.pk)
    return form_page(request, form, title=_("New administrative procedure"),
                     cancel_url=reverse("procedures:adminprocedure-list"))


@login_required
def adminprocedure_update(request, pk):
    procedure = selectors.admin_procedure_get_for_user(request.user, pk)
    require(request, "procedures.change_adminprocedure", procedure)
    form = AdminProcedureForm(request.POST or None, instance=procedure, agencies=[procedure.agency])
    if request.method == "POST":

        def update():
            data = dict(form.cleaned_data)
            return services.admin_procedure_update(actor=request.user, procedure=procedure,
                                                   legal_basis=list(data.pop("legal_basis")), **data)

        ok, _procedure = run_form(form, update)
        if ok:
            messages.success(request, _("The changes were saved."))
            return redirect("procedures:adminprocedure-detail", procedure.pk)
    return form_page(request, form, title=_("Edit %(code)s") % {"code": procedure.code},
                     cancel_url=reverse("procedures:adminprocedure-detail", args=[procedure.pk]))


def _step_initial(definition) -> list[dict]:
    if definition is None:
        return []
    return [{"name": s.name, "unit": s.unit_id, "responsible": s.responsible, "hours": s.allowance_hours,
             "form": s.form_code, "result": s.result} for s in definition.steps.all()]


@login_required
def processdefinition_edit(request, pk):
    """The steps of an operational procedure (``pk`` is the Document): a table of rows; saving
    makes a new version of the process when the steps changed."""
    document = document_get_for_user(request.user, pk)
    require(request, "procedures.change_processdefinition", document)
    definition = selectors.current_definition(document)
    units = selectors.units_of(document.agency_id)
    # Initial rows only to show: a posted row equal to its initial value must still count as filled.
    formset = StepFormSet(request.POST or None, initial=None if request.method == "POST" else _step_initial(definition),
                          form_kwargs={"units": units}, prefix="steps")
    note_form = ProcessNoteForm(request.POST or None)
    covered = list(selectors.procedures_covered_by(document))
    back = (reverse("procedures:adminprocedure-detail", args=[covered[0].pk]) if len(covered) == 1
            else reverse("documents:document-detail", args=[document.pk]))
    errors = []
    status = 200
    if request.method == "POST":
        if formset.is_valid() and note_form.is_valid():
            try:
                _definition, created = services.process_definition_set(
                    actor=request.user, document=document, steps=formset.steps(),
                    note=note_form.cleaned_data["note"])
            except (ValidationFailed, Conflict) as exc:
                errors = [str(m) for messages_ in exc.errors.values() for m in messages_] or [str(exc.message)]
            else:
                if created:
                    messages.success(request, _("The process of %(code)s was saved as version %(version)s.")
                                     % {"code": document.code, "version": _definition.version})
                else:
                    messages.info(request, _("The steps did not change; nothing was saved."))
                return redirect(back)
        status = 400
    limits = sorted({p.time_limit_days for p in covered})
    return render(request, "procedures/process_edit.html", {
        "document": document, "definition": definition, "formset": formset, "note_form": note_form,
        "errors": errors, "covered": covered, "limits": limits, "cancel_url": back,
    }, status=status)


@login_required
def adminprocedure_coverage(request):
    filters = CoverageFilterForm(request.GET or None, user=request.user)
    agency = filters.selector_kwargs().get("agency", "")
    summary_ = selectors.coverage_summary(request.user, agency=agency)
    gaps = selectors.admin_procedures_for_user(request.user, agency=agency, active="1", coverage="gap")
    per_agency = selectors.coverage_by_agency(request.user) if "agency" in filters.fields and not agency else []
    labels = dict(Coverage.choices)
    chart = {
        "type": "doughnut",
        "labels": [str(labels[c]) for c in Coverage.values],
        "datasets": [{"label": _("Administrative procedures"), "data": [summary_[c] for c in Coverage.values]}],
    }
    context = {
        "filters": filters, "summary": summary_, "chart": chart, "per_agency": per_agency,
        "statuses": [(c, labels[c], summary_[c]) for c in Coverage.values if c != Coverage.COVERED],
        **paged(request, gaps),
    }
    if per_agency:
        context["agency_chart"] = {
            "type": "bar", "horizontal": True, "labels": [r["name"] for r in per_agency],
            "datasets": [{"label": _("Covered"), "data": [r["covered"] for r in per_agency]},
                         {"label": _("Not covered"), "data": [r["gap"] for r in per_agency]}],
        }
    return render_list(request, "procedures/adminprocedure_coverage.html", context)


IMPORT_SPEC = (
    ImportColumn("Mã cơ quan", gettext_lazy("Code of the agency, when the file holds several agencies"),
                 example="STP"),
    ImportColumn("Mã thủ tục", gettext_lazy("Code of the procedure in the national database"), True, "1.004227"),
    ImportColumn("Tên thủ tục", gettext_lazy("Name of the procedure"), True, "Đăng ký khai sinh"),
    ImportColumn("Lĩnh vực", gettext_lazy("Field"), example="Hộ tịch"),
    ImportColumn("Thời hạn giải quyết", gettext_lazy("Time limit in working days"), True, "3"),
    ImportColumn("Cấp thực hiện", gettext_lazy("Level that handles it: Cấp tỉnh, Cấp xã or Trung ương"),
                 example="Cấp tỉnh"),
    ImportColumn("Dịch vụ công trực tuyến", gettext_lazy("Online service: Toàn trình, Một phần or Không"),
                 example="Toàn trình"),
    ImportColumn("Phí, lệ phí", gettext_lazy("Fees"), example="8.000 đồng"),
    ImportColumn("Mã quy trình", gettext_lazy("Code of the internal procedure that carries it out"),
                 example="QT-05"),
    ImportColumn("Bước", gettext_lazy("Step number (one row per step; the procedure's columns repeat)"), example="1"),
    ImportColumn("Tên bước", gettext_lazy("What is done at the step"), example="Tiếp nhận hồ sơ"),
    ImportColumn("Mã đơn vị", gettext_lazy("Code of the unit that does the step"), example="MC"),
    ImportColumn("Trách nhiệm", gettext_lazy("Who does it"), example="Công chức Bộ phận Một cửa"),
    ImportColumn("Số giờ", gettext_lazy("Working hours allowed for the step (required on a step row)"), example="4"),
    ImportColumn("Mã biểu mẫu", gettext_lazy("Code of the form used at the step"), example="BM-01"),
    ImportColumn("Kết quả", gettext_lazy("What the step produces"), example="Phiếu tiếp nhận"),
)
IMPORT_COLUMNS = ("Mã cơ quan", "Mã thủ tục", "Tên thủ tục", "Lĩnh vực", "Thời hạn giải quyết", "Bước", "Tên bước",
                  "Mã đơn vị", "Số giờ", "Mã biểu mẫu")
IMPORT_ROWS = (
    ("STP", "1.004227", "Đăng ký khai sinh", "Hộ tịch", "3", "1", "Tiếp nhận hồ sơ", "MC", "4", "BM-01"),
    ("STP", "1.004227", "Đăng ký khai sinh", "Hộ tịch", "3", "2", "Thẩm định, trình ký", "HCTP", "16", "BM-02"),
    ("STP", "1.004227", "Đăng ký khai sinh", "Hộ tịch", "3", "3", "Trả kết quả", "MC", "4", "BM-03"),
)
IMPORT_JSON = """{"agency": "STP", "procedures": [{"code": "1.004227", "name": "Đăng ký khai sinh",
  "field": "Hộ tịch", "time_limit_days": 3,
  "steps": [{"name": "Tiếp nhận hồ sơ", "unit": "MC", "hours": 4, "form": "BM-01"}, …]}]}"""


@login_required
def adminprocedure_import(request):
    agencies = agencies_for(request, "procedures.import_adminprocedure", required=True)
    form = AdminProcedureImportForm(request.POST or None, request.FILES or None, agencies=agencies,
                                    initial=initial_agency(request, agencies))
    refusal = None
    if request.method == "POST" and form.is_valid():
        upload, agency = form.cleaned_data["file"], form.cleaned_data["agency"]
        try:
            job = import_job_start(kind=jobs.KIND, agency=agency, uploaded=upload, actor=request.user)
        except (ValidationFailed, Conflict) as exc:
            refusal = exc
        else:  # the task worker imports it; its page follows it
            transaction.on_commit(partial(import_job_enqueue, job))
            messages.success(request, _("%(name)s was uploaded; its import has started.") % {"name": job.original_name})
            return redirect("core:importjob-detail", job.pk)
    return import_page(
        request, form, title=_("Import administrative procedures"),
        intro=_("Every row is checked first: a file with any bad row is refused whole and nothing is written. "
                "Procedures are matched by their national code, so importing the same file again changes nothing. "
                "Where steps are given, the operational procedure (QT-<code> unless the TTHC already has one) is "
                "created if needed, put in force on the import date and given the steps as its process."),
        cancel_url=reverse("procedures:adminprocedure-list"),
        columns=IMPORT_SPEC, template_url=reverse("procedures:adminprocedure-import-template"),
        examples=[ImportExample(_("Example (.csv or .xlsx)"), columns=IMPORT_COLUMNS, rows=IMPORT_ROWS),
                  ImportExample(_("Example (.json)"), text=IMPORT_JSON)],
        refusal=refusal, recent=importjobs_recent(request.user, jobs.KIND))


@login_required
def adminprocedure_import_template(request):
    agencies_for(request, "procedures.import_adminprocedure", required=True)
    return template_response(IMPORT_SPEC, "mau-nhap-thu-tuc-hanh-chinh.xlsx")


urlpatterns = [
    path("admin-procedures/", adminprocedure_list, name="adminprocedure-list"),
    path("admin-procedures/new/", adminprocedure_create, name="adminprocedure-create"),
    path("admin-procedures/import/", adminprocedure_import, name="adminprocedure-import"),
    path("admin-procedures/import/template.xlsx", adminprocedure_import_template,
         name="adminprocedure-import-template"),
    path("admin-procedures/coverage/", adminprocedure_coverage, name="adminprocedure-coverage"),
    path("admin-procedures/<int:pk>/", adminprocedure_detail, name="adminprocedure-detail"),
    path("admin-procedures/<int:pk>/edit/", adminprocedure_update, name="adminprocedure-update"),
    path("processes/<int:pk>/edit/", processdefinition_edit, name="processdefinition-edit"),
]
