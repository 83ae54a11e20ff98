"""Pages of dossiers: the list with its quick tabs, the dossier page (steps, events, printouts)
and the apology letter with its new appointment.

Views parse input, call a service and render; dossiers are reached only through the selectors
(another agency's id is a 404). Pages pass the clock (``timezone.now()``) to the selectors.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core.pages import form_page, paged, render_list, require, run_form
from eiso.dossiers.choices import OPEN_STATUSES, EventKind
from eiso.dossiers.forms import ApologyForm, DossierFilterForm
from eiso.dossiers.list_rows import table_rows
from eiso.dossiers.selectors import apology_of, dossier_get_for_user, steps_with_units
from eiso.dossiers.selectors.lists import (
    dossier_list_for_user,
    dossier_tab_counts,
    due_soon_cutoffs,
    is_overdue,
    is_running,
)
from eiso.dossiers.services.apology import apology_issue, apology_lateness

TABS = [
    ("all", gettext_lazy("All")),
    ("open", gettext_lazy("Open")),
    ("due_soon", gettext_lazy("Due soon")),
    ("overdue", gettext_lazy("Overdue")),
]


def _tab(request) -> str:
    tab = request.GET.get("tab", "all")
    return tab if tab in dict(TABS) else "all"


@login_required
def dossier_list(request):
    filters = DossierFilterForm(request.GET or None, user=request.user)
    kwargs = filters.selector_kwargs()
    now = timezone.now()
    tab = _tab(request)
    # The due-soon window of each agency in view, computed once for the counts and the list (the
    # form has read the agencies the user reads; a valid agency filter keeps one of them).
    agency = kwargs.get("agency", "")
    cutoffs = due_soon_cutoffs([pk for pk in filters.agency_ids if not agency or str(pk) == agency], now,
                               request.user)
    counts = dossier_tab_counts(request.user, now=now, cutoffs=cutoffs, **kwargs)
    dossiers = dossier_list_for_user(request.user, now=now, tab=tab, cutoffs=cutoffs, **kwargs)
    context = {
        "filters": filters,
        "tab": tab,
        "tabs": [(key, label, counts[key]) for key, label in TABS],
        "now": now,
        "show_agency": "agency" in filters.fields,
        "export_query": request.GET.urlencode(),
        **paged(request, dossiers, count=counts[tab]),  # the tab's count: same filters, same instant
    }
    for dossier in context["page"].object_list:
        dossier.overdue = is_overdue(dossier, now)
        dossier.is_open = dossier.status in OPEN_STATUSES
    context["rows"] = table_rows(context["page"].object_list, show_agency=context["show_agency"])
    return render_list(request, "dossiers/dossier_list.html", context)


def _steps(dossier, now):
    """The steps of the dossier page: their units by name, the current one marked (and flagged
    when it is past its own due instant)."""
    steps, units = steps_with_units(dossier)
    running = is_running(dossier)
    rows = []
    for s in steps:
        current = running and dossier.current_step == s.step and s.finished_at is None
        rows.append({
            "step": s.step, "name": s.name, "unit": units.get(s.unit_id, ""), "started_at": s.started_at,
            "due_at": s.due_at, "finished_at": s.finished_at, "result": s.result, "current": current,
            "overdue": current and s.due_at is not None and s.due_at < now,
        })
    return rows


@login_required
def dossier_detail(request, pk):
    dossier = dossier_get_for_user(request.user, pk)
    now = timezone.now()
    apology = apology_of(dossier)
    overdue = is_overdue(dossier, now)
    can_apologise = (apology is None and dossier.due_at is not None and dossier.status in OPEN_STATUSES
                     and request.user.has_perm("dossiers.issue_apology", dossier))
    return render(request, "dossiers/dossier_detail.html", {
        "dossier": dossier,
        "now": now,
        "overdue": overdue,
        "is_open": dossier.status in OPEN_STATUSES,
        "steps": _steps(dossier, now),
        "events": list(dossier.events.all()),
        "event_kinds": EventKind,
        "apology": apology,
        "apology_late": apology_lateness(dossier, apology.issued_at) if apology else "",
        "can_apologise": can_apologise,
    })


@login_required
def dossier_apology(request, pk):
    dossier = dossier_get_for_user(request.user, pk)
    require(request, "dossiers.issue_apology", dossier)
    detail_url = reverse("dossiers:dossier-detail", args=[dossier.pk])
    existing = apology_of(dossier)
    if existing is not None:  # one new appointment only: show the letter given, change nothing
        return render(request, "dossiers/apology_exists.html", {"dossier": dossier, "apology": existing},
                      status=409 if request.method == "POST" else 200)
    now = timezone.now()
    overdue = is_overdue(dossier, now)
    form = ApologyForm(request.POST or None, overdue=overdue)
    if request.method == "POST":
        ok, apology = run_form(form, lambda: apology_issue(
            actor=request.user, dossier=dossier, reason=form.cleaned_data["reason"],
            new_due_at=form.cleaned_data["new_due_at"], now=now))
        if ok:
            late = apology_lateness(dossier, apology.issued_at)
            if apology.sent_in_time:
                messages.success(request, _("The apology letter of %(code)s was issued.") % {"code": dossier.code})
            elif late:
                messages.warning(request, _("The apology letter of %(code)s was issued when the dossier was already "
                                            "%(late)s overdue.") % {"code": dossier.code, "late": late})
            else:
                messages.warning(request, _("The apology letter of %(code)s was issued, less than one working day "
                                            "before the due date.") % {"code": dossier.code})
            return redirect(detail_url)
    due = timezone.localtime(dossier.due_at).strftime("%d/%m/%Y %H:%M") if dossier.due_at else "—"
    return form_page(
        request, form,
        title=_("Apology letter and new appointment: %(code)s") % {"code": dossier.code},
        cancel_url=detail_url,
        submit_label=_("Issue the letter"),
        intro=_("Due %(due)s. The letter should reach the applicant at least one working day before the due date; "
                "a dossier gets one new appointment only.") % {"due": due},
    )


urlpatterns = [
    path("dossiers/", dossier_list, name="dossier-list"),
    path("dossiers/<int:pk>/", dossier_detail, name="dossier-detail"),
    path("dossiers/<int:pk>/apology/", dossier_apology, name="dossier-apology"),
]
