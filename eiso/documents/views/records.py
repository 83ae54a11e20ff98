"""Pages of the records: record types per procedure, the units' yearly file lists with their
coded files, and the files past retention to dispose of.

The records home (``recordtype-list``, the menu's "Work records") has three tabs, each its own
page: record types, file lists, files due for disposal.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.audit import history_for
from eiso.core.errors import Forbidden
from eiso.core.text import is_id
from eiso.documents.forms_records import (
    DisposalFilterForm,
    FileListFilterForm,
    FileListForm,
    RecordDisposeForm,
    RecordFileForm,
    RecordTypeFilterForm,
    RecordTypeForm,
)
from eiso.documents.models import FileList
from eiso.documents.periods import is_past_retention, retention_ends
from eiso.documents.selectors import records as selectors
from eiso.documents.services import records as services
from eiso.documents.views.external import (
    form_page,
    paged,
    render_list,
    require,
    run,
)
from eiso.organizations import selectors as org_selectors
from eiso.organizations.agency_choices import agencies_for, initial_agency


def _units(user, agencies):
    return org_selectors.units_for_user(user, active="1").filter(agency__in=agencies).select_related("agency")


def _can_add_filelist(user) -> bool:
    agency = user.agency
    if agency is None:
        return False
    if user.has_perm("documents.add_filelist", agency):
        return True
    unit = user.membership.unit if user.membership else None
    return unit is not None and user.has_perm("documents.add_filelist", FileList(agency=agency, unit=unit))


# --- record types ----------------------------------------------------------------------------------


@login_required
def recordtype_list(request):
    filters = RecordTypeFilterForm(request.GET or None, user=request.user)
    record_types = selectors.record_types_for_user(request.user, **filters.selector_kwargs())
    user = request.user
    return render_list(
        request,
        "documents/record_type_list.html",
        {
            "filters": filters,
            **paged(request, record_types),
            "records_tab": "types",
            "can_add": user.agency is not None and user.has_perm("documents.add_recordtype", user.agency),
        },
    )


@login_required
def recordtype_detail(request, pk):
    record_type = selectors.record_type_get_for_user(request.user, pk)
    files = (
        selectors.record_files_for_user(request.user)
        .filter(record_type=record_type)
        .order_by("-file_list__year", "code")
    )
    return render(
        request,
        "documents/record_type_detail.html",
        {
            "record_type": record_type,
            **paged(request, files),
            "can_edit": request.user.has_perm("documents.change_recordtype", record_type),
            "history": list(history_for(record_type)[:20]),
        },
    )


def _record_type_form(request, *, agencies, instance=None, initial=None):
    return RecordTypeForm(
        request.POST or None,
        agencies=agencies,
        units=_units(request.user, agencies),
        procedures=selectors.procedure_documents_for_user(request.user, agencies),
        instance=instance,
        initial=initial,
    )


@login_required
def recordtype_create(request):
    agencies = agencies_for(request, "documents.add_recordtype", required=True)
    initial = initial_agency(request, agencies)
    if is_id(request.GET.get("document", "")):
        initial["document"] = int(request.GET["document"])
    form = _record_type_form(request, agencies=agencies, initial=initial)
    if request.method == "POST":

        def create():
            agency = form.cleaned_data.get("agency") or agencies.first()
            return services.recordtype_create(actor=request.user, agency=agency, **form.service_data())

        ok, record_type = run(form, create)
        if ok:
            messages.success(request, _("The record type %(code)s was created.") % {"code": record_type.code})
            return redirect("documents:recordtype-detail", record_type.pk)
    return form_page(request, form, title=_("New record type"), cancel_url=reverse("documents:recordtype-list"))


@login_required
def recordtype_update(request, pk):
    record_type = selectors.record_type_get_for_user(request.user, pk)
    require(request, "documents.change_recordtype", record_type)
    agencies = org_selectors.agencies_for_user(request.user).filter(pk=record_type.agency_id)
    form = _record_type_form(request, agencies=agencies, instance=record_type)
    if request.method == "POST":
        ok, _result = run(
            form,
            lambda: services.recordtype_update(actor=request.user, record_type=record_type, **form.service_data()),
        )
        if ok:
            messages.success(request, _("The changes were saved."))
            return redirect("documents:recordtype-detail", record_type.pk)
    return form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": record_type},
        cancel_url=reverse("documents:recordtype-detail", args=[record_type.pk]),
    )


# --- file lists ------------------------------------------------------------------------------------


@login_required
def filelist_list(request):
    filters = FileListFilterForm(request.GET or None, user=request.user, years=selectors.file_list_years(request.user))
    file_lists = selectors.file_lists_for_user(request.user, **filters.selector_kwargs())
    return render_list(
        request,
        "documents/filelist_list.html",
        {
            "filters": filters,
            **paged(request, file_lists),
            "records_tab": "lists",
            "can_add": _can_add_filelist(request.user),
        },
    )


@login_required
def filelist_detail(request, pk):
    file_list = selectors.file_list_get_for_user(request.user, pk)
    user = request.user
    today = timezone.localdate()
    files = list(selectors.files_of(file_list))
    for file in files:
        file.past_retention = not file.disposed_on and is_past_retention(file.closed_on, file.retention_years, today)
        file.keep_until = (
            retention_ends(file.closed_on, file.retention_years)
            if file.closed_on and file.retention_years is not None
            else None
        )
    return render(
        request,
        "documents/filelist_detail.html",
        {
            "file_list": file_list,
            "files": files,
            "can_change": user.has_perm("documents.change_filelist", file_list),
            "can_dispose": user.has_perm("documents.dispose_recordfile", file_list),
        },
    )


@login_required
def filelist_create(request):
    units = [
        unit
        for unit in _units(request.user, org_selectors.agencies_for_user(request.user, status="active"))
        if request.user.has_perm("documents.add_filelist", FileList(agency=unit.agency, unit=unit))
    ]
    if not units:
        raise Forbidden()
    initial = {}
    membership = request.user.membership
    if is_id(request.GET.get("unit", "")):
        initial["unit"] = int(request.GET["unit"])
    elif membership is not None and membership.unit_id in {u.pk for u in units}:
        initial["unit"] = membership.unit_id
    form = FileListForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST":

        def create():
            unit = form.cleaned_data["unit"]
            return services.filelist_create(
                actor=request.user, agency=unit.agency, unit=unit, year=form.cleaned_data["year"]
            )

        ok, file_list = run(form, create)
        if ok:
            messages.success(request, _("The file list %(name)s was created.") % {"name": file_list})
            return redirect("documents:filelist-detail", file_list.pk)
    return form_page(request, form, title=_("New file list"), cancel_url=reverse("documents:filelist-list"))


# --- record files ----------------------------------------------------------------------------------


@login_required
def recordfile_create(request, list_pk):
    file_list = selectors.file_list_get_for_user(request.user, list_pk)
    require(request, "documents.change_filelist", file_list)
    record_types = selectors.record_types_for_user(request.user, agency=str(file_list.agency_id))
    form = RecordFileForm(request.POST or None, record_types=record_types)
    if request.method == "POST":
        ok, file = run(
            form,
            lambda: services.recordfile_create(
                actor=request.user, file_list=file_list, **form.service_data(creating=True)
            ),
        )
        if ok:
            messages.success(request, _("The file %(code)s was added.") % {"code": file.code})
            return redirect(reverse("documents:filelist-detail", args=[file_list.pk]) + f"#file-{file.pk}")
    return form_page(
        request,
        form,
        title=_("New file in %(name)s") % {"name": file_list},
        cancel_url=reverse("documents:filelist-detail", args=[file_list.pk]),
    )


@login_required
def recordfile_update(request, pk):
    file = selectors.record_file_get_for_user(request.user, pk)
    require(request, "documents.change_filelist", file.file_list)
    record_types = selectors.record_types_for_user(request.user, agency=str(file.file_list.agency_id))
    form = RecordFileForm(request.POST or None, record_types=record_types, instance=file)
    if request.method == "POST":
        ok, _file = run(
            form,
            lambda: services.recordfile_update(actor=request.user, file=file, **form.service_data(creating=False)),
        )
        if ok:
            messages.success(request, _("The changes were saved."))
            return redirect(reverse("documents:filelist-detail", args=[file.file_list_id]) + f"#file-{file.pk}")
    return form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": file},
        cancel_url=reverse("documents:filelist-detail", args=[file.file_list_id]),
    )


@login_required
def recordfile_dispose(request, pk):
    file = selectors.record_file_get_for_user(request.user, pk)
    require(request, "documents.dispose_recordfile", file)
    form = RecordDisposeForm(request.POST or None)
    if request.method == "POST":
        ok, _file = run(
            form,
            lambda: services.recordfile_dispose(
                actor=request.user,
                file=file,
                disposed_on=form.cleaned_data["disposed_on"],
                note=form.cleaned_data["note"],
            ),
        )
        if ok:
            messages.success(request, _("The disposal of %(code)s was recorded.") % {"code": file.code})
            return redirect("documents:records-disposal")
    if file.closed_on and file.retention_years is not None:
        intro = _("%(file)s, closed on %(closed)s, was to be kept until %(until)s.") % {
            "file": file,
            "closed": file.closed_on.strftime("%d/%m/%Y"),
            "until": retention_ends(file.closed_on, file.retention_years).strftime("%d/%m/%Y"),
        }
    else:
        intro = _("%(file)s is kept permanently or still open: it cannot be disposed of.") % {"file": file}
    return form_page(
        request,
        form,
        title=_("Dispose of %(code)s") % {"code": file.code},
        cancel_url=reverse("documents:records-disposal"),
        submit_label=_("Record the disposal"),
        intro=intro,
    )


@login_required
def records_disposal(request):
    filters = DisposalFilterForm(request.GET or None, user=request.user)
    files = selectors.records_past_retention(request.user, **filters.selector_kwargs())
    user = request.user
    return render_list(
        request,
        "documents/record_disposal.html",
        {
            "filters": filters,
            **paged(request, files),
            "records_tab": "disposal",
            "can_dispose": user.agency is not None and user.has_perm("documents.dispose_recordfile", user.agency),
        },
    )


urlpatterns = [
    path("records/", recordtype_list, name="recordtype-list"),
    path("records/types/new/", recordtype_create, name="recordtype-create"),
    path("records/types/<int:pk>/", recordtype_detail, name="recordtype-detail"),
    path("records/types/<int:pk>/edit/", recordtype_update, name="recordtype-update"),
    path("records/file-lists/", filelist_list, name="filelist-list"),
    path("records/file-lists/new/", filelist_create, name="filelist-create"),
    path("records/file-lists/<int:pk>/", filelist_detail, name="filelist-detail"),
    path("records/file-lists/<int:list_pk>/files/new/", recordfile_create, name="recordfile-create"),
    path("records/files/<int:pk>/edit/", recordfile_update, name="recordfile-update"),
    path("records/files/<int:pk>/dispose/", recordfile_dispose, name="recordfile-dispose"),
    path("records/disposal/", records_disposal, name="records-disposal"),
]
