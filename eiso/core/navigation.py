"""The navigation of every planned area, as data.

An entry whose URL name does not resolve yet belongs to an area not built yet: the menu shows
it disabled with "coming soon" rather than as a dead link. A later issue only adds its URLs.
"""

import functools
from dataclasses import dataclass

import rules
from django.conf import settings
from django.urls import NoReverseMatch, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None = None  # a rules permission the user must hold to see the entry
    on_agency: bool = False  # the permission takes the user's agency (e.g. "may import for it")


@dataclass(frozen=True)
class NavSection:
    label: str
    icon: str
    items: tuple[NavItem, ...]


NAVIGATION: tuple[NavSection, ...] = (
    NavSection(
        _("Organisation"),
        "building",
        (
            NavItem(_("Agencies"), "organizations:agency-list"),
            NavItem(_("Units"), "organizations:unit-list"),
            NavItem(_("People"), "organizations:user-list"),
            NavItem(_("Job descriptions"), "organizations:jobdescription-list"),
            NavItem(_("ISO steering committees"), "organizations:steeringcommittee-list"),
            NavItem(_("Audit trail"), "organizations:auditevent-list", "organizations.view_audit_trail"),
        ),
    ),
    NavSection(
        _("Documented information"),
        "folder",
        (
            NavItem(_("Internal documents"), "documents:document-list"),
            NavItem(_("External documents"), "documents:externaldocument-list"),
            NavItem(_("Work records"), "documents:recordtype-list"),
            NavItem(_("Search"), "documents:search"),
        ),
    ),
    NavSection(
        _("Procedures and dossiers"),
        "diagram",
        (
            NavItem(_("Administrative procedures"), "procedures:adminprocedure-list"),
            NavItem(_("TTHC coverage"), "procedures:adminprocedure-coverage"),
            NavItem(_("Import TTHC"), "procedures:adminprocedure-import", "procedures.import_adminprocedure",
                    on_agency=True),
            NavItem(_("Dossiers"), "dossiers:dossier-list"),
            NavItem(_("On-time statistics"), "dossiers:statistics"),
            NavItem(_("Dossier imports"), "dossiers:dossierimport-list", "dossiers.import_dossiers", on_agency=True),
            NavItem(_("Dossier settings"), "dossiers:dossiersettings-update", "dossiers.change_settings",
                    on_agency=True),
            NavItem(_("Working calendar"), "organizations:calendar"),
        ),
    ),
    NavSection(
        _("Checking and improving"),
        "check",
        (
            NavItem(_("Needs attention"), "improvements:attention"),
            NavItem(_("Internal audits"), "audits:programme-list"),
            NavItem(_("Audit findings"), "audits:finding-list"),
            NavItem(_("QMS scope"), "audits:qms-scope"),
            NavItem(_("Nonconformities"), "improvements:nonconformity-list"),
            NavItem(_("Corrective actions"), "improvements:corrective-action-list"),
            NavItem(_("Risks and opportunities"), "improvements:risk-list"),
            NavItem(_("Complaints and recommendations"), "feedback:complaint-list"),
        ),
    ),
    NavSection(
        _("Objectives and review"),
        "target",
        (
            NavItem(_("Quality objectives"), "objectives:objective-list"),
            NavItem(_("Management review"), "reviews:review-list"),
            NavItem(_("Citizen satisfaction"), "feedback:satisfaction"),
            NavItem(_("Training"), "people:training-list"),
            NavItem(_("Competence"), "people:competence"),
            NavItem(_("Onboarding"), "people:onboarding-list"),
            NavItem(_("5S inspections"), "fives:inspection-list"),
        ),
    ),
    NavSection(
        _("Rollout and oversight"),
        "map",
        (
            NavItem(_("QMS rollout"), "rollout:rollout-list"),
            NavItem(_("Conformity announcement"), "rollout:announcement-list"),
            NavItem(_("ISO 9001 editions"), "rollout:transition-list"),
            NavItem(_("Provincial oversight"), "oversight:overview"),
            NavItem(_("Inspections"), "oversight:inspectionplan-list"),
        ),
    ),
)


@functools.cache
def _resolve(url_name: str, urlconf: str) -> str | None:
    """The URL of an area's page, or None while the area is not built. The URLconf does not
    change while a process runs, so each name is resolved once (keyed by URLconf for tests)."""
    try:
        return reverse(url_name, urlconf=urlconf)
    except NoReverseMatch:
        return None


def _allowed(user, item: NavItem) -> bool:
    if not item.on_agency:
        # Asked of the rules alone: a menu entry's permission is a rule (``NavItem.permission``), never
        # a permission row, and ``user.has_perm`` would go on to Django's ModelBackend when the rule
        # says no (two queries of the permission tables on every page of such a user).
        return rules.has_perm(item.permission, user)
    agency = getattr(user, "agency", None)
    return user.is_superuser or (agency is not None and user.has_perm(item.permission, agency))


def build_menu(user) -> list[dict]:
    """The menu for ``user``: sections with items marked enabled (URL exists) or coming soon."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    menu = []
    for section in NAVIGATION:
        items = []
        for item in section.items:
            if item.permission and not _allowed(user, item):
                continue
            url = _resolve(item.url_name, urlconf)
            items.append({"label": item.label, "url": url, "enabled": url is not None})
        if items:
            menu.append({"label": section.label, "icon": section.icon, "items": items,
                         "enabled": any(i["enabled"] for i in items)})
    return menu
