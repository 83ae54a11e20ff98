"""A conformity announcement as its decision prints it: the frozen scope once signed, the live one
(what signing would freeze) on a draft. The announcement comes from ``announcement_get_for_user``."""

from eiso.audits.selectors import current_edition
from eiso.procedures.models import AdminProcedure
from eiso.reports.collectors.common import agency_head, agency_heading, signer
from eiso.reports.layouts.announcement import AnnouncementDecision, ScopeProcedure
from eiso.rollout.choices import AnnouncementStatus


def collect_announcement(user, announcement) -> AnnouncementDecision:
    agency = announcement.agency
    draft = announcement.status == AnnouncementStatus.DRAFT
    if draft:
        procedures = [ScopeProcedure(p.code, p.name, p.field) for p in
                      AdminProcedure.objects.filter(agency=agency, is_active=True).order_by("field", "code")]
        units = [u.name for u in agency.units.filter(is_active=True).order_by("name")]
        edition, agency_name, head = current_edition(agency).name, agency.name, agency_head(user, agency)
    else:
        procedures = [ScopeProcedure(p.get("code", ""), p.get("name", ""), p.get("field", ""))
                      for p in announcement.scope_procedures]
        units = [u.get("name", "") for u in announcement.scope_units]
        edition = announcement.edition.name if announcement.edition_id else ""
        agency_name, head = announcement.agency_name, signer(announcement.signed_by)
    previous = announcement.supersedes.order_by("-signed_on").first() if announcement.pk else None
    supersedes = (f"số {previous.number} ngày {previous.signed_on:%d/%m/%Y}" if previous and previous.signed_on
                  else "")
    return AnnouncementDecision(
        agency=agency_heading(agency), agency_name=agency_name, edition=edition, number=announcement.number,
        signed_on=announcement.signed_on, draft=draft, signer=head, procedures=tuple(procedures),
        processes=tuple(announcement.processes), units=tuple(units), supersedes=supersedes)
