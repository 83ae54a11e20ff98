"""Pages of the external (legal) document register, its import, review tasks and the procedures
citing documents no longer in force.

Views parse input, call a service (writes) and render. Scoped data is read only through
selectors, which raise ``NotFound`` (404) outside the user's scope; services raise ``Forbidden``
(403 page) and ``ValidationFailed``/``Conflict``, which the forms show on their fields.
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from eiso.core.audit import history_for
from eiso.core.errors import Conflict, ValidationFailed
from eiso.core.import_templates import ImportColumn, template_response
from eiso.core.jobs import import_job_start

# --- shared helpers (the records pages use them too) ----------------------------------------------
from eiso.core.pages import ImportExample, form_page, import_page, paged, render_list, require, tab_of
from eiso.core.pages import run_form as run
from eiso.core.selectors import importjobs_recent
from eiso.core.tasks import import_job_enqueue
from eiso.documents import jobs
from eiso.documents.forms_external import (
    ExternalAmendForm,
    ExternalCiteForm,
    ExternalDocumentFilterForm,
    ExternalDocumentForm,
    ExternalExpireForm,
    ExternalImportForm,
    ExternalReplaceForm,
    OutdatedFilterForm,
    ReviewTaskCompleteForm,
    ReviewTaskFilterForm,
)
from eiso.documents.selectors import external as selectors
from eiso.documents.services import external as services
from eiso.organizations.agency_choices import agencies_for, initial_agency

# --- the register ----------------------------------------------------------------------------------

EXTERNAL_TABS = [
    ("info", gettext_lazy("Overview")),
    ("tasks", gettext_lazy("Review tasks")),
    ("history", gettext_lazy("History")),
]


def _can_add(user) -> bool:
    return user.agency is not None and user.has_perm("documents.add_externaldocument", user.agency)


@login_required
def externaldocument_list(request):
    filters = ExternalDocumentFilterForm(request.GET or None, user=request.user)
    documents = selectors.external_documents_for_user(request.user, **filters.selector_kwargs())
    return render_list(
        request,
        "documents/external_list.html",
        {
            "filters": filters,
            **paged(request, documents),
            "can_add": _can_add(request.user),
            "task_counts": selectors.review_task_counts(request.user),
            "export_query": request.GET.urlencode(),
        },
    )


@login_required
def externaldocument_detail(request, pk):
    document = selectors.external_document_get_for_user(request.user, pk)
    user = request.user
    tab = tab_of(request, EXTERNAL_TABS)
    can_change = user.has_perm("documents.change_externaldocument", document)
    context = {
        "document": document,
        "tab": tab,
        "tabs": EXTERNAL_TABS,
        "can_change": can_change,
        "can_act": can_change and document.status != "expired",
    }
    if tab == "info":
        context.update(
            citing=list(selectors.citing_documents(document)),
            replaces=list(selectors.replaced_documents(document)),
            amendments=list(history_for(document).filter(action="amend")),
        )
    elif tab == "tasks":
        context.update(paged(request, selectors.review_tasks_for_user(user, external=str(document.pk))))
    else:
        context.update(paged(request, history_for(document)))
    return render(request, "documents/external_detail.html", context)


@login_required
def externaldocument_create(request):
    agencies = agencies_for(request, "documents.add_externaldocument", required=True)
    form = ExternalDocumentForm(request.POST or None, agencies=agencies, initial=initial_agency(request, agencies))
    if request.method == "POST":

        def create():
            data = dict(form.cleaned_data)
            agency = data.pop("agency", None) or agencies.first()
            return services.external_document_create(actor=request.user, agency=agency, **data)

        ok, document = run(form, create)
        if ok:
            messages.success(request, _("%(number)s was added to the register.") % {"number": document.number})
            return redirect("documents:externaldocument-detail", document.pk)
    return form_page(
        request, form, title=_("New external document"), cancel_url=reverse("documents:externaldocument-list")
    )


@login_required
def externaldocument_update(request, pk):
    document = selectors.external_document_get_for_user(request.user, pk)
    require(request, "documents.change_externaldocument", document)
    form = ExternalDocumentForm(request.POST or None, instance=document)
    if request.method == "POST":
        ok, _document = run(
            form,
            lambda: services.external_document_update(actor=request.user, document=document, **form.cleaned_data),
        )
        if ok:
            messages.success(request, _("The changes were saved."))
            return redirect("documents:externaldocument-detail", document.pk)
    return form_page(
        request,
        form,
        title=_("Edit %(number)s") % {"number": document.number},
        cancel_url=reverse("documents:externaldocument-detail", args=[document.pk]),
    )


def _action_page(request, pk, *, form_class, title, intro, submit_label, call, done, with_candidates=True):
    document = selectors.external_document_get_for_user(request.user, pk)
    require(request, "documents.change_externaldocument", document)
    kwargs = {"candidates": selectors.replacement_candidates(request.user, document)} if with_candidates else {}
    form = form_class(request.POST or None, **kwargs)
    if request.method == "POST":
        ok, _result = run(form, lambda: call(document, form.cleaned_data))
        if ok:
            messages.success(request, done % {"number": document.number})
            return redirect("documents:externaldocument-detail", document.pk)
    return form_page(
        request,
        form,
        title=title % {"number": document.number},
        cancel_url=reverse("documents:externaldocument-detail", args=[document.pk]),
        submit_label=submit_label,
        intro=intro,
    )


@login_required
def externaldocument_replace(request, pk):
    return _action_page(
        request,
        pk,
        form_class=ExternalReplaceForm,
        title=_("%(number)s is replaced"),
        intro=_(
            "The document becomes expired. Every procedure citing it gets a review task due 3 months after "
            "the new document takes effect (QĐ 19/2014/QĐ-TTg)."
        ),
        submit_label=_("Record the replacement"),
        call=lambda document, data: services.external_document_replace(
            actor=request.user, document=document, replaced_by=data["replaced_by"]
        ),
        done=_("The replacement of %(number)s was recorded; review tasks were opened."),
    )


@login_required
def externaldocument_expire(request, pk):
    return _action_page(
        request,
        pk,
        form_class=ExternalExpireForm,
        with_candidates=False,
        title=_("%(number)s expires"),
        intro=_("Every procedure citing it gets a review task due 3 months after the expiry date."),
        submit_label=_("Record the expiry"),
        call=lambda document, data: services.external_document_expire(
            actor=request.user, document=document, expires_on=data["expires_on"]
        ),
        done=_("The expiry of %(number)s was recorded; review tasks were opened."),
    )


@login_required
def externaldocument_amend(request, pk):
    return _action_page(
        request,
        pk,
        form_class=ExternalAmendForm,
        title=_("%(number)s is amended"),
        intro=_(
            "The document stays in force, partly amended. Every procedure citing it gets a review task due "
            "3 months after the amendment takes effect."
        ),
        submit_label=_("Record the amendment"),
        call=lambda document, data: services.external_document_amend(
            actor=request.user,
            document=document,
            amended_by=data["amended_by"],
            effective_on=data["effective_on"],
        ),
        done=_("The amendment of %(number)s was recorded; review tasks were opened."),
    )


@login_required
def externaldocument_cite(request, pk):
    document = selectors.external_document_get_for_user(request.user, pk)
    require(request, "documents.change_externaldocument", document)
    procedures = selectors.procedures_to_cite(request.user, document.agency_id)
    form = ExternalCiteForm(
        request.POST or None,
        procedures=procedures,
        initial={"documents": [d.pk for d in selectors.citing_documents(document)]},
    )
    if request.method == "POST":
        ok, _result = run(
            form,
            lambda: services.external_document_cite(
                actor=request.user, external=document, documents=form.cleaned_data["documents"]
            ),
        )
        if ok:
            messages.success(request, _("The procedures citing %(number)s were saved.") % {"number": document.number})
            return redirect("documents:externaldocument-detail", document.pk)
    return form_page(
        request,
        form,
        title=_("Procedures citing %(number)s") % {"number": document.number},
        cancel_url=reverse("documents:externaldocument-detail", args=[document.pk]),
        intro=_("Tick the agency's procedures that cite this document as their legal basis."),
    )


EXTERNAL_IMPORT_SPEC = (
    ImportColumn("Số ký hiệu", gettext_lazy("Number and symbol of the document"), True, "118/2025/NĐ-CP"),
    ImportColumn("Loại văn bản", gettext_lazy("Type: Luật, Nghị định, Thông tư, Quyết định, Nghị quyết, Tiêu chuẩn "
                                              "or Khác"), True, "Nghị định"),
    ImportColumn("Trích yếu", gettext_lazy("Title (what the document is about)"), True,
                 "Về thực hiện thủ tục hành chính…"),
    ImportColumn("Cơ quan ban hành", gettext_lazy("Issuing body"), True, "Chính phủ"),
    ImportColumn("Ngày ban hành", gettext_lazy("Date issued (dd/mm/yyyy)"), example="09/06/2025"),
    ImportColumn("Ngày hiệu lực", gettext_lazy("Date it takes effect (dd/mm/yyyy)"), example="01/07/2025"),
    ImportColumn("Ngày hết hiệu lực", gettext_lazy("Date it expires (dd/mm/yyyy), if known"), example=""),
    ImportColumn("Tình trạng hiệu lực", gettext_lazy("Còn hiệu lực, Sửa đổi một phần, Hết hiệu lực, Chưa có hiệu lực"),
                 example="Còn hiệu lực"),
    ImportColumn("Văn bản thay thế", gettext_lazy("Number of the document that replaces it"), example=""),
    ImportColumn("Ghi chú", gettext_lazy("Note"), example=""),
)
EXTERNAL_IMPORT_COLUMNS = tuple(column.header for column in EXTERNAL_IMPORT_SPEC[:9])
EXTERNAL_IMPORT_ROWS = (
    ("61/2018/NĐ-CP", "Nghị định", "Về thực hiện cơ chế một cửa…", "Chính phủ", "23/04/2018", "21/06/2018",
     "01/07/2025", "Hết hiệu lực", "118/2025/NĐ-CP"),
    ("118/2025/NĐ-CP", "Nghị định", "Về thực hiện thủ tục hành chính…", "Chính phủ", "09/06/2025", "01/07/2025", "",
     "Còn hiệu lực", ""),
)


@login_required
def externaldocument_import(request):
    agencies = agencies_for(request, "documents.add_externaldocument", required=True)
    form = ExternalImportForm(
        request.POST or None,
        request.FILES or None,
        agencies=agencies,
        initial=initial_agency(request, agencies),
    )
    refusal = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        agency = form.cleaned_data["agency"]
        try:
            job = import_job_start(kind=jobs.KIND, agency=agency, uploaded=upload, actor=request.user)
        except (ValidationFailed, Conflict) as exc:
            refusal = exc
        else:  # the task worker imports it; its page follows it
            transaction.on_commit(partial(import_job_enqueue, job))
            messages.success(request, _("%(name)s was uploaded; its import has started.") % {"name": job.original_name})
            return redirect("core:importjob-detail", job.pk)
    return import_page(
        request,
        form,
        title=_("Import the external document register"),
        intro=_(
            "Every row is checked first: a file with any bad row is refused whole and nothing is written. "
            "Documents are matched by their number, so importing the same file again adds nothing."
        ),
        cancel_url=reverse("documents:externaldocument-list"),
        columns=EXTERNAL_IMPORT_SPEC, template_url=reverse("documents:externaldocument-import-template"),
        examples=[ImportExample(_("Example"), columns=EXTERNAL_IMPORT_COLUMNS, rows=EXTERNAL_IMPORT_ROWS)],
        refusal=refusal, recent=importjobs_recent(request.user, jobs.KIND),
    )


# --- review tasks ----------------------------------------------------------------------------------


@login_required
def reviewtask_list(request):
    filters = ReviewTaskFilterForm(request.GET or None, user=request.user)
    tasks = selectors.review_tasks_for_user(request.user, **filters.selector_kwargs())
    return render_list(
        request,
        "documents/reviewtask_list.html",
        {
            "filters": filters,
            **paged(request, tasks),
            "task_counts": selectors.review_task_counts(request.user),
        },
    )


@login_required
def reviewtask_detail(request, pk):
    task = selectors.review_task_get_for_user(request.user, pk)
    can_complete = task.status == "open" and request.user.has_perm("documents.complete_reviewtask", task)
    return render(
        request,
        "documents/reviewtask_detail.html",
        {
            "task": task,
            "can_complete": can_complete,
            "form": ReviewTaskCompleteForm() if can_complete else None,
            "history": list(history_for(task)),
        },
    )


@login_required
@require_POST
def reviewtask_complete(request, pk):
    task = selectors.review_task_get_for_user(request.user, pk)
    require(request, "documents.complete_reviewtask", task)
    form = ReviewTaskCompleteForm(request.POST)
    ok, _task = run(
        form,
        lambda: services.review_task_complete(actor=request.user, task=task, outcome=form.cleaned_data["outcome"]),
    )
    if ok:
        messages.success(request, _("The review of %(code)s was marked done.") % {"code": task.document.code})
        return redirect("documents:reviewtask-detail", task.pk)
    return render(
        request,
        "documents/reviewtask_detail.html",
        {"task": task, "can_complete": True, "form": form, "history": list(history_for(task))},
        status=400,
    )


@login_required
def procedures_outdated(request):
    filters = OutdatedFilterForm(request.GET or None, user=request.user)
    procedures = selectors.procedures_citing_no_longer_in_force(request.user, **filters.selector_kwargs())
    return render_list(request, "documents/external_outdated.html", {"filters": filters, **paged(request, procedures)})


@login_required
def externaldocument_import_template(request):
    agencies_for(request, "documents.add_externaldocument", required=True)
    return template_response(EXTERNAL_IMPORT_SPEC, "mau-nhap-van-ban-ben-ngoai.xlsx")


urlpatterns = [
    path("external-documents/", externaldocument_list, name="externaldocument-list"),
    path("external-documents/new/", externaldocument_create, name="externaldocument-create"),
    path("external-documents/import/", externaldocument_import, name="externaldocument-import"),
    path("external-documents/import/template.xlsx", externaldocument_import_template,
         name="externaldocument-import-template"),
    path("external-documents/outdated-procedures/", procedures_outdated, name="procedures-outdated"),
    path("external-documents/<int:pk>/", externaldocument_detail, name="externaldocument-detail"),
    path("external-documents/<int:pk>/edit/", externaldocument_update, name="externaldocument-update"),
    path("external-documents/<int:pk>/replace/", externaldocument_replace, name="externaldocument-replace"),
    path("external-documents/<int:pk>/expire/", externaldocument_expire, name="externaldocument-expire"),
    path("external-documents/<int:pk>/amend/", externaldocument_amend, name="externaldocument-amend"),
    path("external-documents/<int:pk>/procedures/", externaldocument_cite, name="externaldocument-cite"),
    path("review-tasks/", reviewtask_list, name="reviewtask-list"),
    path("review-tasks/<int:pk>/", reviewtask_detail, name="reviewtask-detail"),
    path("review-tasks/<int:pk>/done/", reviewtask_complete, name="reviewtask-complete"),
]
