"""Reads of conformity announcements, and whether a new one is due.

Renewal is computed on read from the scope frozen in the announcement in force against the live
data: the TTHC catalogue, the agency's name, the agencies merged into it, the ISO 9001 edition it
follows. Adding a TTHC therefore makes renewal due in the same request, and removing it again
clears that reason; nothing is stored that could go stale. ``renewal_reasons`` is the pure core.
"""

from django.db.models import Q

from eiso.audits.clauses import DEFAULT_EDITION
from eiso.audits.models import ClauseEdition, EditionAdoption
from eiso.core.errors import NotFound
from eiso.core.selectors import by_agency, get_or_404
from eiso.core.text import fold
from eiso.organizations.models import Agency
from eiso.organizations.selectors import visible_agencies
from eiso.procedures.models import AdminProcedure
from eiso.rollout.choices import AnnouncementStatus, RenewalReason
from eiso.rollout.models import Announcement
from eiso.rollout.permissions import policy


def renewal_reasons(*, announced: bool, announced_codes=(), live_codes=(), announced_name: str = "",
                    live_name: str = "", merged=(), announced_edition: str = "", live_edition: str = "") -> list[dict]:
    """Why a new announcement is due: a list of ``{kind, items}``, empty when none is."""
    if not announced:
        return [{"kind": RenewalReason.NOT_ANNOUNCED.value, "items": []}]
    reasons = []
    added = sorted(set(live_codes) - set(announced_codes))
    removed = sorted(set(announced_codes) - set(live_codes))
    if added:
        reasons.append({"kind": RenewalReason.PROCEDURE_ADDED.value, "items": added})
    if removed:
        reasons.append({"kind": RenewalReason.PROCEDURE_REMOVED.value, "items": removed})
    if announced_name and live_name and announced_name.strip() != live_name.strip():
        reasons.append({"kind": RenewalReason.AGENCY_RENAMED.value, "items": [announced_name, live_name]})
    if merged:
        reasons.append({"kind": RenewalReason.AGENCY_MERGED.value, "items": sorted(merged)})
    if announced_edition and live_edition and announced_edition != live_edition:
        reasons.append({"kind": RenewalReason.EDITION_CHANGED.value, "items": [announced_edition, live_edition]})
    return reasons


# --- announcements ---------------------------------------------------------------------------------

def announcements_for_user(user, *, agency: str = "", status: str = "", q: str = ""):
    qs = (policy.filter(user, "view_announcement", Announcement.objects)
          .select_related("agency", "edition", "signed_by", "superseded_by"))
    qs = by_agency(qs, agency)
    if status:
        qs = qs.filter(status=status)
    if q:
        folded = fold(q)
        qs = qs.filter(Q(number__icontains=q) | Q(agency__name_folded__contains=folded))
    return qs.order_by("agency__name", "-signed_on", "-id")


def announcement_get_for_user(user, pk) -> Announcement:
    return get_or_404(announcements_for_user(user), pk)


def announcement_in_force(agency) -> Announcement | None:
    return Announcement.objects.filter(agency=agency, status=AnnouncementStatus.ISSUED).select_related(
        "edition").first()


def announcement_draft(agency) -> Announcement | None:
    return Announcement.objects.filter(agency=agency, status=AnnouncementStatus.DRAFT).first()


# --- renewal -----------------------------------------------------------------------------------------

def renewal_statuses(agencies, *, ids=None) -> dict[int, dict]:
    """Per agency id: ``{agency, announcement, due, reasons}``, in five queries whatever the number.
    ``ids``: the same agencies' ids as a subquery, when the caller has one (cheaper than 150
    parameters)."""
    agencies = list(agencies)
    ids = [a.pk for a in agencies] if ids is None else ids
    in_force = {a.agency_id: a for a in Announcement.objects.filter(
        agency_id__in=ids, status=AnnouncementStatus.ISSUED).select_related("edition")}
    live_codes: dict[int, set] = {}
    for agency_id, code in AdminProcedure.objects.filter(agency_id__in=ids, is_active=True).values_list(
            "agency_id", "code"):
        live_codes.setdefault(agency_id, set()).add(code)
    editions: dict[int, str] = {}
    for agency_id, code in (EditionAdoption.objects.filter(agency_id__in=ids)
                            .order_by("agency_id", "adopted_on", "id").values_list("agency_id", "edition__code")):
        editions[agency_id] = code  # the latest wins
    names = dict(ClauseEdition.objects.values_list("code", "name"))
    merged: dict[int, list] = {}
    for row in Agency.predecessors.through.objects.filter(from_agency_id__in=ids).values(
            "from_agency_id", "to_agency__name", "to_agency__valid_to"):
        merged.setdefault(row["from_agency_id"], []).append((row["to_agency__name"], row["to_agency__valid_to"]))
    result = {}
    for agency in agencies:
        announcement = in_force.get(agency.pk)
        live_edition = editions.get(agency.pk, DEFAULT_EDITION)
        if announcement is None:
            reasons = renewal_reasons(announced=False)
        else:
            signed = announcement.signed_on
            reasons = renewal_reasons(
                announced=True, announced_codes=[p["code"] for p in announcement.scope_procedures],
                live_codes=live_codes.get(agency.pk, ()), announced_name=announcement.agency_name,
                live_name=agency.name,
                merged=[name for name, until in merged.get(agency.pk, []) if until is None or until >= signed],
                announced_edition=announcement.edition.name if announcement.edition else "",
                live_edition=names.get(live_edition, live_edition))
        result[agency.pk] = {"agency": agency, "announcement": announcement, "due": bool(reasons),
                             "reasons": reasons}
    return result


def renewal_status(agency) -> dict:
    return renewal_statuses([agency])[agency.pk]


def agencies_for_status(user, *, q: str = ""):
    """The agencies in force whose announcement status the user reads: their own (and those it
    succeeded); the province for an overseer."""
    qs = visible_agencies(user).active()
    if q:
        qs = qs.filter(Q(name_folded__contains=fold(q)) | Q(code__icontains=q))
    return qs.order_by("name")


def agency_for_status(user, value: str) -> Agency:
    """The agency named by id or code, if the user reads it; NotFound otherwise."""
    qs = visible_agencies(user)
    if value.isdigit():
        return get_or_404(qs, value)
    agency = qs.filter(code=value[:40]).first()
    if agency is None:
        raise NotFound()
    return agency
