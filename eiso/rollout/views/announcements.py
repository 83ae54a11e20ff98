"""Pages of the conformity announcement: the status of each agency (renewal due and why), the
announcements, one announcement with its preconditions and frozen scope, and the actions of the
secretary (prepare, post, notify) and of the head (confirm effectiveness, sign)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from eiso.core.errors import Conflict, Forbidden, ValidationFailed
from eiso.core.pages import form_page, paged, render_list, require, run_form, tab_of
from eiso.rollout import announcement_forms as forms
from eiso.rollout import announcements, renewal
from eiso.rollout.choices import AnnouncementStatus, RenewalReason
from eiso.rollout.preconditions import check_all

TABS = (("agencies", gettext_lazy("Agencies")), ("history", gettext_lazy("Announcements")))


def _labelled(reasons):
    return [{**r, "label": RenewalReason(r["kind"]).label} for r in reasons]


@login_required
def announcement_list(request):
    user = request.user
    agency = user.agency
    tab = tab_of(request, TABS)
    own = None
    if agency is not None:
        own = renewal.renewal_status(agency)
        own["reasons"] = _labelled(own["reasons"])
        own["draft"] = renewal.announcement_draft(agency)
    context = {"own": own, "tab": tab, "tabs": TABS,
               "can_prepare": agency is not None and user.has_perm("rollout.change_announcement", agency)}
    if tab == "agencies":
        filters = forms.StatusFilterForm(request.GET or None)
        kwargs = filters.selector_kwargs()
        statuses = renewal.renewal_statuses(renewal.agencies_for_status(user, q=kwargs.get("q", "")))
        rows = [{**s, "reasons": _labelled(s["reasons"])} for s in statuses.values()]
        if kwargs.get("due") in ("0", "1"):
            rows = [r for r in rows if r["due"] == (kwargs["due"] == "1")]
        never = sum(1 for r in rows if r["due"] and r["reasons"][0]["kind"] == RenewalReason.NOT_ANNOUNCED)
        due_count = sum(1 for r in rows if r["due"]) - never
        context.update(filters=filters, due_count=due_count, total=len(rows), **paged(request, rows), chart={
            "type": "doughnut", "labels": [_("Up to date"), _("Renewal due"), _("Never announced")],
            "datasets": [{"label": _("Agencies"), "data": [len(rows) - due_count - never, due_count, never]}]})
    else:
        filters = forms.AnnouncementFilterForm(request.GET or None)
        kwargs = filters.selector_kwargs()
        context.update(filters=filters, **paged(request, renewal.announcements_for_user(
            user, q=kwargs.get("q", ""), status=kwargs.get("status", ""))))
    return render_list(request, "rollout/announcement_list.html", context)


@login_required
def announcement_create(request):
    agency = request.user.agency
    if agency is None or not request.user.has_perm("rollout.change_announcement", agency):
        raise Forbidden()
    draft = renewal.announcement_draft(agency)
    if draft is not None:
        return redirect("rollout:announcement-detail", draft.pk)
    form = forms.AnnouncementForm(request.POST or None)
    if request.method == "POST":
        ok, created = run_form(form, lambda: announcements.announcement_prepare(
            actor=request.user, agency=agency, processes=form.cleaned_data["processes"],
            review_held_on=form.cleaned_data["review_held_on"]))
        if ok:
            messages.success(request, _("The announcement is in preparation: the head signs it once every "
                                        "precondition holds."))
            return redirect("rollout:announcement-detail", created.pk)
    return form_page(request, form, title=_("Prepare a conformity announcement"),
                     cancel_url=reverse("rollout:announcement-list"),
                     intro=_("Its scope covers every published TTHC and every unit of the agency, frozen when "
                             "the head signs."))


@login_required
def announcement_detail(request, pk):
    user = request.user
    announcement = renewal.announcement_get_for_user(user, pk)
    draft = announcement.status == AnnouncementStatus.DRAFT
    checks = check_all(announcement) if draft else announcement.preconditions
    can_change = user.has_perm("rollout.change_announcement", announcement)
    can_sign = user.has_perm("rollout.sign_announcement", announcement)
    status = renewal.renewal_status(announcement.agency) if announcement.status == AnnouncementStatus.ISSUED else None
    if status:
        status["reasons"] = _labelled(status["reasons"])
    return render(request, "rollout/announcement_detail.html", {
        "announcement": announcement, "draft": draft, "checks": checks,
        "all_ok": all((c.ok if hasattr(c, "ok") else c["ok"]) for c in checks),
        "can_change": can_change and draft, "can_sign": can_sign and draft,
        "can_record": can_change and announcement.status == AnnouncementStatus.ISSUED,
        "status": status, "issue_form": forms.IssueForm() if can_sign and draft else None,
        "scope_procedures": announcement.scope_procedures if not draft else None,
        "supersedes": announcement.supersedes.first(),
    })


def _action_page(request, pk, form_class, call, *, perm, title, success, initial=None, intro=""):
    announcement = renewal.announcement_get_for_user(request.user, pk)
    require(request, perm, announcement)
    form = form_class(request.POST or None, initial=initial(announcement) if initial else None)
    if request.method == "POST":
        ok, _done = run_form(form, lambda: call(announcement, form.cleaned_data))
        if ok:
            messages.success(request, success)
            return redirect("rollout:announcement-detail", announcement.pk)
    return form_page(request, form, title=title, intro=intro,
                     cancel_url=reverse("rollout:announcement-detail", args=[announcement.pk]))


@login_required
def announcement_update(request, pk):
    return _action_page(
        request, pk, forms.AnnouncementForm,
        lambda a, data: announcements.announcement_update(actor=request.user, announcement=a,
                                                          processes=data["processes"],
                                                          review_held_on=data["review_held_on"]),
        perm="rollout.change_announcement",
        title=_("Change the announcement in preparation"), success=_("The announcement was saved."),
        initial=lambda a: {"processes": "\n".join(a.processes), "review_held_on": a.review_held_on})


@login_required
def announcement_issue(request, pk):
    return _action_page(
        request, pk, forms.IssueForm,
        lambda a, data: announcements.announcement_issue(actor=request.user, announcement=a, **data),
        title=_("Sign the conformity announcement"),
        perm="rollout.sign_announcement",
        success=_("The announcement is issued: post it and notify the Department of Science and Technology."),
        intro=_("Signing freezes the scope: the TTHC, units and processes covered never change afterwards."))


@login_required
def announcement_posting(request, pk):
    return _action_page(
        request, pk, forms.PostingForm,
        lambda a, data: announcements.announcement_record_posting(actor=request.user, announcement=a, **data),
        title=_("Where the announcement was posted"), success=_("The posting was recorded."),
        perm="rollout.change_announcement",
        initial=lambda a: {"posted_where": a.posted_where, "posted_on": a.posted_on} if a.posted_on else None)


@login_required
def announcement_notice(request, pk):
    return _action_page(
        request, pk, forms.NoticeForm,
        lambda a, data: announcements.announcement_record_notice(actor=request.user, announcement=a, **data),
        title=_("Notice to the Department of Science and Technology"), success=_("The notice was recorded."),
        perm="rollout.change_announcement",
        initial=lambda a: {"notice_number": a.notice_number, "notice_date": a.notice_date} if a.notice_date else None)


@login_required
@require_POST
def announcement_confirm(request, pk):
    announcement = renewal.announcement_get_for_user(request.user, pk)
    try:
        announcements.announcement_confirm_effectiveness(actor=request.user, announcement=announcement)
        messages.success(request, _("You confirmed the QMS effective."))
    except (ValidationFailed, Conflict) as exc:
        messages.error(request, str(exc.message))
    return redirect("rollout:announcement-detail", announcement.pk)


urlpatterns = [
    path("announcements/", announcement_list, name="announcement-list"),
    path("announcements/new/", announcement_create, name="announcement-create"),
    path("announcements/<int:pk>/", announcement_detail, name="announcement-detail"),
    path("announcements/<int:pk>/edit/", announcement_update, name="announcement-update"),
    path("announcements/<int:pk>/confirm/", announcement_confirm, name="announcement-confirm"),
    path("announcements/<int:pk>/issue/", announcement_issue, name="announcement-issue"),
    path("announcements/<int:pk>/posting/", announcement_posting, name="announcement-posting"),
    path("announcements/<int:pk>/notice/", announcement_notice, name="announcement-notice"),
]
