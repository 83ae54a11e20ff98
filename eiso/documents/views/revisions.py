"""Pages of the internal document register, revisions and their workflow, change requests and
the "documents to read" list.

Views parse input, call a service (writes) and render. Scoped data is read only through
``eiso.documents.selectors.revisions`` (another agency's id → NotFound → 404); services raise
``Forbidden`` (403 page) and ``ValidationFailed``/``Conflict``, which the forms show on their
fields so nothing changes and the user sees why. Buttons follow ``has_perm``; the services check
again.
"""

import io
import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from eiso.core.audit import history_for
from eiso.core.errors import Conflict, Forbidden, ValidationFailed
from eiso.core.pagination import querystring_without_page
from eiso.documents.choices import (
    AWAITING_DECISION,
    EDITABLE_STATUSES,
    OPEN_STATUSES,
    PROCEDURE_KINDS,
    ChangeRequestKind,
    ChangeRequestStatus,
    RevisionAction,
    RevisionStatus,
)
from eiso.documents.forms_revisions import (
    SECTION_FIELDS,
    ChangeRequestDecideForm,
    ChangeRequestFilterForm,
    ChangeRequestForm,
    CommentForm,
    DocumentFilterForm,
    DocumentForm,
    RevisionCreateForm,
    RevisionFileForm,
    RevisionForm,
    TransitionForm,
)
from eiso.documents.models import DocumentRevision
from eiso.documents.selectors import revisions as selectors
from eiso.documents.services import revisions as services
from eiso.documents.stamping import stamp_obsolete, stamped_name

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# --- shared helpers ------------------------------------------------------------------------------

from eiso.core.pages import next_url  # noqa: E402
from eiso.core.pages import paged as _paged  # noqa: E402
from eiso.core.pages import render_list as _render_list  # noqa: E402
from eiso.core.pages import require as _require  # noqa: E402
from eiso.core.pages import run_form as _run  # noqa: E402
from eiso.core.pages import tab_of as _tab  # noqa: E402


def _form_page(request, form, *, title, cancel_url, submit_label=None, intro="", locked="", multipart=False,
               context=None):
    return render(request, "documents/document_form.html", {
        "form": form, "title": title, "cancel_url": cancel_url, "intro": intro, "locked": locked,
        "submit_label": submit_label or _("Save"), "multipart": multipart, **(context or {}),
    })


def _own_agency(request, perm: str):
    """The user's agency, when they may ``perm`` in it (a new document or request goes there)."""
    agency = request.user.agency
    if agency is None or not request.user.has_perm(perm, agency):
        raise Forbidden()
    return agency


def _locked_message(revision: DocumentRevision) -> str:
    """The services' refusal for a revision past drafting, shown before anyone tries."""
    values = {"n": revision.issue_number, "status": revision.get_status_display().lower()}
    if revision.status in OPEN_STATUSES:  # in review, awaiting approval, approved: returned, it is a draft again
        return _("Issue %(n)s is %(status)s: it can be edited again once it is returned for changes.") % values
    return _("Issue %(n)s is %(status)s: its content and files can no longer change. "
             "Make a new revision instead.") % values


# --- the register ----------------------------------------------------------------------------------


@login_required
def document_list(request):
    filters = DocumentFilterForm(request.GET or None, user=request.user)
    documents = selectors.documents_for_user(request.user, **filters.selector_kwargs())
    agency = request.user.agency
    return _render_list(request, "documents/document_list.html", {
        "filters": filters,
        **_paged(request, documents),
        "can_add": agency is not None and request.user.has_perm("documents.add_document", agency),
        "can_request": agency is not None and request.user.has_perm("documents.add_changerequest", agency),
        "export_query": querystring_without_page(request),
        "show_agency": "agency" in filters.fields,
    })


@login_required
def document_create(request):
    agency = _own_agency(request, "documents.add_document")
    membership = request.user.membership
    initial = {"owner_unit": membership.unit_id} if membership and membership.unit_id else {}
    form = DocumentForm(request.POST or None, user=request.user, agency=agency, initial=initial)
    if request.method == "POST":
        ok, document = _run(form, lambda: services.document_create(
            actor=request.user, agency=agency, **form.cleaned_data))
        if ok:
            messages.success(request, _("The document %(code)s was added to the register. Now draft its "
                                        "first issue.") % {"code": document.code})
            return redirect("documents:document-detail", document.pk)
    return _form_page(request, form, title=_("New document"), cancel_url=reverse("documents:document-list"))


def _document_tabs(can_see_distribution: bool):
    tabs = [
        ("info", gettext_lazy("Overview")),
        ("comments", gettext_lazy("Comments")),
        ("requests", gettext_lazy("Change requests")),
    ]
    if can_see_distribution:
        tabs.append(("distribution", gettext_lazy("Distribution")))
    tabs.append(("history", gettext_lazy("History")))
    return tabs


@login_required
def document_detail(request, pk):
    user = request.user
    document = selectors.document_get_for_user(user, pk)
    current = document.effective_revisions[0] if document.effective_revisions else None
    can_see_distribution = current is not None and user.has_perm("documents.view_distribution", current)
    tabs = _document_tabs(can_see_distribution)
    tab = _tab(request, tabs)
    open_revision = document.revisions.filter(status__in=OPEN_STATUSES).first()
    context = {
        "document": document,
        "current": current,
        "open_revision": open_revision,
        "tab": tab,
        "tabs": tabs,
        "is_procedure": document.kind in PROCEDURE_KINDS,
        "can_edit": user.has_perm("documents.change_document", document),
        "can_revise": open_revision is None and user.has_perm("documents.add_revision", document),
        "can_request": user.has_perm("documents.add_changerequest", document),
    }
    if tab == "info":
        context.update(
            revisions=list(selectors.revisions_of(document)),
            current_files=list(current.files.all()) if current else [],
            legal_basis=list(document.legal_basis.order_by("-issued_on", "number")),
            attachments=list(selectors.documents_for_user(user).filter(parent=document)),
        )
    elif tab == "comments":
        context.update(_paged(request, selectors.comments_of(document)))
    elif tab == "requests":
        context.update(_paged(request, selectors.change_requests_for_user(user).filter(document=document)))
    elif tab == "distribution":
        show = request.GET.get("show", "pending")
        show = show if show in ("pending", "done") else "pending"
        entries = selectors.distribution_of(current)
        context.update(
            show=show,
            pending_count=entries.filter(acknowledged_at__isnull=True).count(),
            done_count=entries.filter(acknowledged_at__isnull=False).count(),
            **_paged(request, entries.filter(acknowledged_at__isnull=(show == "pending"))),
        )
    else:
        context.update(
            transitions=list(selectors.transitions_of(document)[:300]),
            **_paged(request, history_for(document)),
        )
    return render(request, "documents/document_detail.html", context)


@login_required
def document_update(request, pk):
    document = selectors.document_get_for_user(request.user, pk)
    _require(request, "documents.change_document", document)
    form = DocumentForm(request.POST or None, user=request.user, agency=document.agency, instance=document)
    if request.method == "POST":
        ok, _doc = _run(form, lambda: services.document_update(
            actor=request.user, document=document, **form.cleaned_data))
        if ok:
            messages.success(request, _("The changes were saved."))
            return redirect("documents:document-detail", document.pk)
    return _form_page(request, form, title=_("Edit %(code)s") % {"code": document.code},
                      cancel_url=reverse("documents:document-detail", args=[document.pk]))


@login_required
def document_revise(request, pk):
    """A new draft revision of a document (the next issue number)."""
    document = selectors.document_get_for_user(request.user, pk)
    _require(request, "documents.add_revision", document)
    open_revision = document.revisions.filter(status__in=OPEN_STATUSES).first()
    form = RevisionCreateForm(request.POST or None)
    if request.method == "POST":
        ok, revision = _run(form, lambda: services.revision_create(
            actor=request.user, document=document, **form.cleaned_data))
        if ok:
            messages.success(request, _("Issue %(n)s was drafted. Add its content or files, then send it for "
                                        "review.") % {"n": revision.issue_number})
            return redirect("documents:revision-detail", revision.pk)
    locked = ""
    if open_revision is not None and request.method != "POST":
        locked = _("This document already has a revision being drafted or reviewed; finish it first.")
    return _form_page(
        request, form, title=_("New revision of %(code)s") % {"code": document.code},
        cancel_url=reverse("documents:document-detail", args=[document.pk]),
        submit_label=_("Draft the revision"),
        intro=_("A change to a document in force is a new revision: it goes through review and approval, and "
                "replaces the current one on its effective date."),
        locked=locked, context={"open_revision": open_revision})


# --- revisions --------------------------------------------------------------------------------------


def _may(user, action: str, revision) -> bool:
    if action == RevisionAction.RETURN:
        return user.has_perm("documents.review_revision", revision) or user.has_perm(
            "documents.approve_revision", revision)
    return user.has_perm(services.ACTION_PERMISSIONS[action], revision)


def _actions(user, revision) -> list[dict]:
    """The workflow buttons this user may press on this revision now."""
    status = revision.status
    wanted = []
    if status == RevisionStatus.DRAFT:
        wanted.append(RevisionAction.SUBMIT)
    elif status in AWAITING_DECISION:
        wanted.append(AWAITING_DECISION[status])
        wanted.append(RevisionAction.RETURN)
    elif status == RevisionStatus.APPROVED:
        if revision.effective_date and revision.effective_date <= timezone.localdate():
            wanted.append(RevisionAction.ACTIVATE)
        wanted.append(RevisionAction.RETURN)
    if status in (*OPEN_STATUSES, RevisionStatus.EFFECTIVE):
        wanted.append(RevisionAction.WITHDRAW)
    buttons = {
        RevisionAction.SUBMIT: (_("Send for review"), "primary", "send"),
        RevisionAction.REVIEW: (_("Reviewed: pass to approval"), "primary", "check2"),
        RevisionAction.APPROVE: (_("Approve"), "success", "check2-all"),
        RevisionAction.ACTIVATE: (_("Put into force now"), "success", "lightning"),
        RevisionAction.RETURN: (_("Return for changes"), "warning", "arrow-return-left"),
        RevisionAction.WITHDRAW: (_("Withdraw"), "danger", "x-octagon"),
    }
    actions = []
    for action in wanted:
        if _may(user, action, revision):
            label, css, icon = buttons[action]
            actions.append({"action": action.value, "label": label, "css": css, "icon": icon,
                            "needs_comment": action in (RevisionAction.RETURN, RevisionAction.WITHDRAW)})
    return actions


def _revision_page(request, revision, *, file_form=None, transition_form=None, comment_form=None):
    user = request.user
    document = revision.document
    current = None
    if revision.status != RevisionStatus.EFFECTIVE:
        current = selectors.current_revision(document)
    can_edit = revision.status in EDITABLE_STATUSES and user.has_perm("documents.change_revision", revision)
    can_comment = not revision.is_obsolete and user.has_perm("documents.comment_revision", revision)
    my_entry = revision.distribution.filter(user=user).first() if user.pk else None
    failed_action = transition_form.data.get("action") if transition_form is not None else None
    sections = []
    if document.kind in PROCEDURE_KINDS:
        sections = [(label, text) for key, label in SECTION_FIELDS if (text := (revision.sections or {}).get(key))]
    distribution = None
    if user.has_perm("documents.view_distribution", revision):
        entries = revision.distribution.all()
        total = entries.count()
        if total:
            distribution = {"total": total, "done": entries.filter(acknowledged_at__isnull=False).count()}
    context = {
        "revision": revision,
        "document": document,
        "current": current,
        "is_procedure": document.kind in PROCEDURE_KINDS,
        "sections": sections,
        "files": list(revision.files.all()),
        "transitions": list(revision.transitions.all()),
        "comments": list(revision.comments.all()),
        "actions": _actions(user, revision),
        "failed_action": failed_action,
        "transition_form": transition_form or TransitionForm(),
        "can_edit": can_edit,
        "locked_message": "" if revision.status in EDITABLE_STATUSES else _locked_message(revision),
        "file_form": file_form or (RevisionFileForm() if can_edit else None),
        "can_comment": can_comment,
        "comment_form": comment_form or (CommentForm() if can_comment else None),
        "my_entry": my_entry,
        "distribution": distribution,
        "can_revise": revision.status == RevisionStatus.EFFECTIVE and not document.revisions.filter(
            status__in=OPEN_STATUSES).exists() and user.has_perm("documents.add_revision", document),
    }
    return render(request, "documents/revision_detail.html", context)


@login_required
def revision_detail(request, pk):
    revision = selectors.revision_get_for_user(request.user, pk)
    return _revision_page(request, revision)


@login_required
def revision_update(request, pk):
    revision = selectors.revision_get_for_user(request.user, pk)
    _require(request, "documents.change_revision", revision)
    form = RevisionForm(request.POST or None, revision=revision)
    if request.method == "POST":
        ok, _rev = _run(form, lambda: services.revision_update(
            actor=request.user, revision=revision, **form.service_data()))
        if ok:
            messages.success(request, _("The changes were saved."))
            return redirect("documents:revision-detail", revision.pk)
    locked = ""
    if revision.status not in EDITABLE_STATUSES and request.method != "POST":
        locked = _locked_message(revision)
    return _form_page(
        request, form,
        title=_("Edit issue %(n)s of %(code)s") % {"n": revision.issue_number,
                                                     "code": revision.document.code},
        cancel_url=reverse("documents:revision-detail", args=[revision.pk]), locked=locked)


@login_required
@require_POST
def revision_upload(request, pk):
    revision = selectors.revision_get_for_user(request.user, pk)
    _require(request, "documents.change_revision", revision)
    form = RevisionFileForm(request.POST, request.FILES)
    ok, attached = _run(form, lambda: services.revision_file_add(
        actor=request.user, revision=revision, uploaded=form.cleaned_data["file"]))
    if not ok:
        return _revision_page(request, revision, file_form=form)
    messages.success(request, _("%(name)s was attached.") % {"name": attached.original_name})
    return redirect("documents:revision-detail", revision.pk)


@login_required
@require_POST
def revision_file_remove(request, pk):
    attached = selectors.revision_file_get_for_user(request.user, pk)
    revision = attached.revision
    _require(request, "documents.change_revision", revision)
    try:
        services.revision_file_remove(actor=request.user, attached=attached)
    except (ValidationFailed, Conflict) as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("%(name)s was removed.") % {"name": attached.original_name})
    return redirect("documents:revision-detail", revision.pk)


@login_required
def revision_file_download(request, pk):
    """The stored file, to those who may see it; an obsolete revision's file is stamped."""
    attached = selectors.revision_file_get_for_user(request.user, pk)
    content_type = CONTENT_TYPES.get(attached.file_type) or mimetypes.guess_type(attached.original_name)[0] \
        or "application/octet-stream"
    if attached.revision.is_obsolete:
        with attached.file.open("rb") as handle:
            data = handle.read()
        data = stamp_obsolete(data, attached.file_type, _("NO LONGER IN FORCE"))
        response = FileResponse(io.BytesIO(data), as_attachment=True,
                                filename=stamped_name(attached.original_name), content_type=content_type)
    else:
        response = FileResponse(attached.file.open("rb"), as_attachment=True, filename=attached.original_name,
                                content_type=content_type)
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_POST
def revision_transition(request, pk):
    revision = selectors.revision_get_for_user(request.user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _revision_page(request, revision, transition_form=form)
    action = form.cleaned_data["action"]
    if not _may(request.user, action, revision):
        raise Forbidden()
    ok, moved = _run(form, lambda: services.revision_transition(
        actor=request.user, revision=revision, action=action, comment=form.cleaned_data["comment"]))
    if not ok:
        revision = selectors.revision_get_for_user(request.user, pk)
        return _revision_page(request, revision, transition_form=form)
    messages.success(request, _("Issue %(n)s: %(action)s. Status now: %(status)s.") % {
        "n": moved.issue_number, "action": RevisionAction(action).label,
        "status": moved.get_status_display().lower()})
    return redirect("documents:revision-detail", revision.pk)


@login_required
@require_POST
def revision_comment(request, pk):
    revision = selectors.revision_get_for_user(request.user, pk)
    _require(request, "documents.comment_revision", revision)
    form = CommentForm(request.POST)
    ok, _comment = _run(form, lambda: services.comment_add(
        actor=request.user, revision=revision, body=form.cleaned_data["body"]))
    if not ok:
        return _revision_page(request, revision, comment_form=form)
    messages.success(request, _("Your comment was added."))
    return redirect(reverse("documents:revision-detail", args=[revision.pk]) + "#comments")


@login_required
@require_POST
def revision_acknowledge(request, pk):
    revision = selectors.revision_get_for_user(request.user, pk)
    entry = revision.distribution.filter(user=request.user).first()
    if entry is None:
        raise Forbidden(_("You are not on the distribution list of this revision."))
    services.distribution_acknowledge(actor=request.user, entry=entry)
    messages.success(request, _("You acknowledged %(code)s, issue %(n)s.") % {
        "code": revision.document.code, "n": revision.issue_number})
    return redirect(next_url(request, reverse("documents:revision-detail", args=[revision.pk])))


@login_required
def reading_list(request):
    """Documents this user must read and has not acknowledged; for managers, revisions waiting for
    their review or approval."""
    return render(request, "documents/document_reading.html", {
        **_paged(request, selectors.pending_acknowledgements(request.user)),
        "awaiting": selectors.revisions_awaiting_user(request.user),
    })


# --- change requests --------------------------------------------------------------------------------


@login_required
def changerequest_list(request):
    filters = ChangeRequestFilterForm(request.GET or None, user=request.user)
    requests = selectors.change_requests_for_user(request.user, **filters.selector_kwargs())
    agency = request.user.agency
    return _render_list(request, "documents/changerequest_list.html", {
        "filters": filters,
        **_paged(request, requests),
        "can_add": agency is not None and request.user.has_perm("documents.add_changerequest", agency),
        "show_agency": "agency" in filters.fields,
    })


@login_required
def changerequest_create(request):
    agency = _own_agency(request, "documents.add_changerequest")
    initial = {"kind": ChangeRequestKind.AMEND}
    wanted = request.GET.get("document", "")
    if wanted.isascii() and wanted.isdigit():
        initial["document"] = int(wanted)
    if request.GET.get("kind") in ChangeRequestKind.values:
        initial["kind"] = request.GET["kind"]
    form = ChangeRequestForm(request.POST or None, user=request.user, agency=agency, initial=initial)
    if request.method == "POST":
        ok, change_request = _run(form, lambda: services.change_request_create(
            actor=request.user, agency=agency, **form.cleaned_data))
        if ok:
            messages.success(request, _("Your request was filed; the ISO secretary or the agency head will "
                                        "decide on it."))
            return redirect("documents:changerequest-detail", change_request.pk)
    return _form_page(
        request, form, title=_("New change request"), cancel_url=reverse("documents:changerequest-list"),
        submit_label=_("File the request"),
        intro=_("Ask for a new document, a change to a document, or its withdrawal, and say why."))


def _changerequest_page(request, change_request, decide_form=None):
    can_decide = change_request.status == ChangeRequestStatus.SUBMITTED and request.user.has_perm(
        "documents.decide_changerequest", change_request)
    return render(request, "documents/changerequest_detail.html", {
        "change_request": change_request,
        "opened": list(change_request.revisions.select_related("document")),
        "can_decide": can_decide,
        "decide_form": decide_form or (ChangeRequestDecideForm() if can_decide else None),
    })


@login_required
def changerequest_detail(request, pk):
    return _changerequest_page(request, selectors.change_request_get_for_user(request.user, pk))


@login_required
@require_POST
def changerequest_decide(request, pk):
    change_request = selectors.change_request_get_for_user(request.user, pk)
    _require(request, "documents.decide_changerequest", change_request)
    form = ChangeRequestDecideForm(request.POST)
    ok, decided = _run(form, lambda: services.change_request_decide(
        actor=request.user, request=change_request, approve=form.cleaned_data["decision"] == "approve",
        note=form.cleaned_data["decision_note"]))
    if not ok:
        return _changerequest_page(request, change_request, decide_form=form)
    if decided.status == ChangeRequestStatus.APPROVED:
        messages.success(request, _("The request was approved."))
    else:
        messages.success(request, _("The request was refused."))
    return redirect("documents:changerequest-detail", decided.pk)


urlpatterns = [
    path("documents/", document_list, name="document-list"),
    path("documents/new/", document_create, name="document-create"),
    path("documents/to-read/", reading_list, name="reading-list"),
    path("documents/<int:pk>/", document_detail, name="document-detail"),
    path("documents/<int:pk>/edit/", document_update, name="document-update"),
    path("documents/<int:pk>/revisions/new/", document_revise, name="document-revise"),
    path("revisions/<int:pk>/", revision_detail, name="revision-detail"),
    path("revisions/<int:pk>/edit/", revision_update, name="revision-update"),
    path("revisions/<int:pk>/files/", revision_upload, name="revision-upload"),
    path("revisions/<int:pk>/transition/", revision_transition, name="revision-transition"),
    path("revisions/<int:pk>/comments/", revision_comment, name="revision-comment"),
    path("revisions/<int:pk>/acknowledge/", revision_acknowledge, name="revision-acknowledge"),
    path("revisions/files/<int:pk>/download/", revision_file_download, name="revision-file-download"),
    path("revisions/files/<int:pk>/remove/", revision_file_remove, name="revision-file-remove"),
    path("change-requests/", changerequest_list, name="changerequest-list"),
    path("change-requests/new/", changerequest_create, name="changerequest-create"),
    path("change-requests/<int:pk>/", changerequest_detail, name="changerequest-detail"),
    path("change-requests/<int:pk>/decide/", changerequest_decide, name="changerequest-decide"),
]
