"""The landing page, one per kind of user: agency staff, provincial overseer, administrator.

Reads go through the organisation selectors only; counts are annotated in one query so the
number of queries does not grow with the number of agencies.
"""

import datetime as dt
from collections import Counter

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core import freshness
from eiso.dashboard import selectors as dashboard_selectors
from eiso.documents.selectors import revisions as document_selectors
from eiso.dossiers.rates import default_period
from eiso.dossiers.selectors import statistics as statistics_selectors
from eiso.fives import selectors as fives_selectors
from eiso.fives.choices import InspectionStatus
from eiso.organizations import selectors
from eiso.organizations.choices import AgencyLevel, Role
from eiso.organizations.permissions import agencies_read_by

CHART_TOP = 15


def _link(label, url_name, icon, *args, query=""):
    return {"label": label, "url": reverse(url_name, args=args) + query, "icon": icon}


def _quick_links(user, agency, unit, committee) -> list[dict]:
    links = []
    if user.has_role(Role.AGENCY_HEAD, Role.QMS_SECRETARY):
        links += [
            _link(_("Units of the agency"), "organizations:unit-list", "diagram-3"),
            _link(_("People of the agency"), "organizations:user-list", "people"),
        ]
        if user.has_perm("organizations.add_unit", agency):
            links.append(_link(_("New unit"), "organizations:unit-create", "plus-lg"))
        if committee is None and user.has_perm("organizations.add_steeringcommittee", agency):
            links.append(
                _link(
                    _("Set up the ISO steering committee"),
                    "organizations:steeringcommittee-create",
                    "people-fill",
                )
            )
    if user.has_role(Role.UNIT_HEAD) and unit is not None:
        links += [
            _link(_("My unit"), "organizations:unit-detail", "diagram-2", unit.pk),
            _link(
                _("Job descriptions of my unit"),
                "organizations:jobdescription-list",
                "card-checklist",
                query=f"?unit={unit.pk}",
            ),
        ]
    if user.has_perm("organizations.add_jobdescription", agency):
        links.append(
            _link(_("New job description"), "organizations:jobdescription-create", "file-earmark-plus")
        )
    if user.has_role(Role.STEERING_MEMBER, Role.AGENCY_HEAD, Role.QMS_SECRETARY) and committee is not None:
        links.append(
            _link(
                _("ISO steering committee"),
                "organizations:steeringcommittee-detail",
                "people-fill",
                committee.pk,
            )
        )
    if user.has_role(Role.STEERING_MEMBER, Role.AGENCY_HEAD, Role.QMS_SECRETARY):
        links.append(_link(_("Management review"), "reviews:review-list", "clipboard-data"))
    if user.has_role(Role.AUDITOR):
        links.append(_link(_("Units to audit"), "organizations:unit-list", "clipboard-check"))
    to_inspect = fives_selectors.inspections_for_user(user, status=InspectionStatus.PLANNED).filter(
        inspector=user).count()
    if to_inspect:
        links.append(_link(_("My 5S inspections to do (%(count)s)") % {"count": to_inspect},
                           "fives:inspection-list", "clipboard2-check"))
    if unit is not None:
        links.append(
            _link(
                _("People of my unit"),
                "organizations:user-list",
                "person-lines-fill",
                query=f"?unit={unit.pk}",
            )
        )
    links += [
        _link(_("Job descriptions"), "organizations:jobdescription-list", "card-list"),
        _link(_("My profile"), "organizations:user-detail", "person", user.pk),
    ]
    if user.has_perm("organizations.view_audit_trail"):
        links.append(_link(_("Audit trail"), "organizations:auditevent-list", "clock-history"))
    seen, unique = set(), []
    for link in links:
        if link["url"] not in seen:
            seen.add(link["url"])
            unique.append(link)
    return unique


def _province_context(user, agencies) -> dict:
    """The province's table and charts of ``agencies`` (the active ones, their counts set)."""
    order = {value: i for i, value in enumerate(AgencyLevel.values)}
    agencies = sorted(agencies, key=lambda a: (order.get(a.level, len(order)), a.name))
    levels = Counter(a.level for a in agencies)
    busiest = sorted(agencies, key=lambda a: (-a.people_count, a.name))[:CHART_TOP]
    return {
        "agencies": agencies,
        "totals": {
            "agencies": len(agencies),
            "units": sum(a.unit_count for a in agencies),
            "people": sum(a.people_count for a in agencies),
            "committees": sum(1 for a in agencies if a.has_committee),
        },
        "chart_people": {
            "type": "bar",
            "horizontal": True,
            "labels": [a.short_name or a.name for a in busiest],
            "datasets": [{"label": _("People"), "data": [a.people_count for a in busiest]}],
        },
        "chart_levels": {
            "type": "doughnut",
            "labels": [str(label) for value, label in AgencyLevel.choices if levels[value]],
            "datasets": [
                {
                    "label": _("Agencies"),
                    "data": [levels[value] for value, _label in AgencyLevel.choices if levels[value]],
                }
            ],
        },
        "chart_top": CHART_TOP,
    }


def _province_dashboard(user, *, is_admin: bool, is_overseer: bool) -> tuple[dt.datetime, dict]:
    """An overseer's or administrator's figures, assembled from each agency's (kept per agency,
    ``freshness.cached_per_agency``: a write in one agency recomputes that agency's alone, and the
    rest here is a few small reads): the instant the oldest was computed, and the context."""
    today = timezone.localdate()
    visible = list(selectors.agencies_for_user(user))
    active = [a for a in visible if a.is_active]
    province = is_overseer and user.agency is not None  # the overseer's on-time card and table
    query = None
    if province:
        start, end = default_period(today)
        query = statistics_selectors.StatsQuery(start=start, end=end)
    computed_at, parts = freshness.cached_per_agency(
        f"dashboard-agency:{today.isoformat()}:{'province' if province else 'counts'}", user,
        [a.pk for a in (visible if province else active)],
        lambda ids: dashboard_selectors.province_parts(user, ids, query=query, today=today))
    for a in active:
        a.unit_count, a.people_count, a.has_committee = (
            parts[a.pk]["unit_count"], parts[a.pk]["people_count"], parts[a.pk]["has_committee"])
    context = {"is_admin": is_admin, "is_overseer": is_overseer, **_province_context(user, active)}
    if is_admin:
        context["ended_count"] = len(visible) - len(active)
        context["recent_events"] = list(selectors.audit_events_for_user(user)[:10])
        context["can_add_agency"] = user.has_perm("organizations.add_agency")
        context["can_merge"] = user.has_perm("organizations.merge_agencies")
        context["can_add_user"] = user.agency is not None and user.has_perm("organizations.add_user", user.agency)
    if province:
        context["ontime"] = dashboard_selectors.province_summary(query, parts)
        context.update(dashboard_selectors.province_rows(context["agencies"], visible, parts))
    else:
        context["ontime"] = statistics_selectors.dashboard_summary(user)
    return computed_at, context


def _agency_context(user) -> dict:
    agency = user.agency
    if agency is None:
        return {}
    membership = user.membership
    unit = membership.unit if membership else None
    committee = selectors.steering_committees_for_user(user, agency=str(agency.pk), active="1").first()
    context = {
        "agency": agency,
        "agency_counts": selectors.agencies_with_counts_for_user(user).filter(pk=agency.pk).first(),
        "committee": committee,
        "unit": selectors.units_with_counts_for_user(user).filter(pk=unit.pk).first() if unit else None,
        "quick_links": _quick_links(user, agency, unit, committee),
    }
    if user.has_perm("organizations.view_audit_trail"):
        context["recent_events"] = list(selectors.audit_events_for_user(user, agency=str(agency.pk))[:8])
    context.update(_documents_context(user))
    return context


def _quality_context(user, ontime) -> dict:
    """The cards every agency user sees: dossiers due soon and overdue, this year's on-time rate,
    TTHC coverage and what the improvement process must not let drop."""
    agency = user.agency
    now = timezone.now()
    today = timezone.localdate(now)
    return {
        "deadlines": dashboard_selectors.deadlines(user, now=now),
        "year_ontime": dashboard_selectors.year_ontime(user, agency, today=today, summary=ontime),
        "coverage": dashboard_selectors.coverage(user, agency),
        "attention": dashboard_selectors.attention(user, agency, today=today),
    }


def _documents_context(user) -> dict:
    """The "documents to read" card: revisions in force this user has not acknowledged, and for
    reviewers and approvers the revisions waiting for them. For an agency's people, those of the
    agencies they read (as "Việc của tôi" lists them): their dashboard is kept through other
    agencies' writes, so an obligation left in an agency they moved from is not shown on it."""
    to_read = document_selectors.pending_acknowledgements(user)
    agencies = agencies_read_by(user)
    if agencies is not None:
        to_read = to_read.filter(revision__document__agency_id__in=agencies)
    return {
        "to_read_count": to_read.count(),
        "to_read": list(to_read[:5]),
        "awaiting_revisions": document_selectors.revisions_awaiting_user(user, limit=5),
    }


@login_required
def dashboard(request):
    """The figures, and the page rendered from them, are kept until the data change or for a minute
    (``eiso.core.freshness``): one small query when nothing changed."""
    user = request.user
    # An agency's people see its data alone (and those of the agencies it succeeded): their copy
    # stays through other agencies' writes. An overseer's or administrator's depends on every write,
    # but is assembled from figures kept per agency: a write recomputes its agency's alone.
    agencies = agencies_read_by(user)
    computed_at, context = freshness.cached_with_time("dashboard", user, lambda: dashboard_context(user), agencies,
                                                      timed=True)
    return render(request, "dashboard/dashboard.html",
                  {**context, **freshness.fragment(request, computed_at, agencies)})


def dashboard_context(user) -> tuple[dt.datetime, dict]:
    """The page's figures, and the instant the oldest of them was computed."""
    is_admin = user.is_superuser or user.has_role(Role.ADMIN)
    is_overseer = user.has_role(Role.OVERSEER)
    if is_admin or is_overseer:
        return _province_dashboard(user, is_admin=is_admin, is_overseer=is_overseer)
    now = timezone.now()
    context = {"is_admin": is_admin, "is_overseer": is_overseer, **_agency_context(user)}
    context["ontime"] = ontime = statistics_selectors.dashboard_summary(user)
    if user.agency is not None:
        context.update(_quality_context(user, ontime))
    return now, context
