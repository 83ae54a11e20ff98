"""What must hold before the head can issue a conformity announcement, as registered checks.

Each check takes the draft announcement and answers ``Check(code, label, ok, detail)``. The
announcement page lists them all; ``announcement_issue`` refuses while one fails and freezes the
answers into the issued announcement. A later area adds its own with ``@register("code")``
(registering a check under the same code replaces it). The management review check reads the
reviews eISO holds, or the date the secretary records on the draft for a review held on paper."""

import datetime
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.audits.choices import AuditStatus
from eiso.audits.models import Audit
from eiso.documents.choices import DocumentKind, RevisionStatus
from eiso.documents.models import Document, DocumentRevision
from eiso.procedures.choices import Coverage
from eiso.procedures.models import AdminProcedure
from eiso.procedures.selectors import with_coverage
from eiso.reviews.choices import HELD
from eiso.reviews.models import ManagementReview
from eiso.rollout.choices import ItemStatus, RolloutStatus
from eiso.rollout.models import RegistryItem

YEAR = datetime.timedelta(days=365)  # internal audit and management review at least yearly (QĐ 19/2014)
SHOWN = 8  # items named in a detail before "…"


@dataclass(frozen=True)
class Check:
    code: str
    label: str
    ok: bool
    detail: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


CHECKS: dict[str, Callable] = {}


def register(code: str):
    def add(fn):
        CHECKS[code] = fn
        return fn
    return add


def check_all(announcement) -> list[Check]:
    return [fn(announcement) for fn in CHECKS.values()]


def _named(items: list[str]) -> str:
    return ", ".join(items[:SHOWN]) + ("…" if len(items) > SHOWN else "")


@register("documents_issued")
def documents_issued(announcement) -> Check:
    """The quality policy is in force and every published TTHC has an operational procedure in force
    (and, during a rollout, every procedure of its registry is issued)."""
    agency = announcement.agency
    label = _("Documents issued")
    effective = DocumentRevision.objects.filter(document=OuterRef("pk"), status=RevisionStatus.EFFECTIVE)
    has_policy = Document.objects.filter(agency=agency, kind=DocumentKind.POLICY).filter(Exists(effective)).exists()
    procedures = with_coverage(AdminProcedure.objects.filter(agency=agency, is_active=True))
    total = procedures.count()
    gaps = list(procedures.exclude(coverage=Coverage.COVERED.value).order_by("code").values_list("code", flat=True))
    pending = list(agency.rollouts.filter(status=RolloutStatus.IN_PROGRESS).values_list("pk", flat=True))
    unissued = 0
    if pending:
        unissued = RegistryItem.objects.filter(rollout_id__in=pending).exclude(status=ItemStatus.ISSUED).count()
    problems = []
    if not has_policy:
        problems.append(_("no quality policy in force"))
    if total == 0:
        problems.append(_("the TTHC catalogue is empty"))
    if gaps:
        problems.append(_("TTHC without a procedure in force: %(codes)s") % {"codes": _named(gaps)})
    if unissued:
        problems.append(_("%(n)s procedures of the registry not issued yet") % {"n": unissued})
    if problems:
        return Check("documents_issued", label, False, "; ".join(problems).capitalize() + ".")
    return Check("documents_issued", label, True,
                 _("Quality policy in force; %(n)s TTHC with a procedure in force.") % {"n": total})


@register("internal_audit")
def internal_audit(announcement) -> Check:
    label = _("Internal audit done in the last 12 months")
    today = timezone.localdate()
    last = (Audit.objects.filter(agency=announcement.agency, status__in=[AuditStatus.REPORTED, AuditStatus.CLOSED])
            .order_by("-end_date").first())
    if last is None:
        return Check("internal_audit", label, False, _("No internal audit reported yet."))
    ok = last.end_date >= today - YEAR
    return Check("internal_audit", label, ok, _("Last audit %(code)s ended on %(date)s.") % {
        "code": last.code, "date": last.end_date.strftime("%d/%m/%Y")})


@register("management_review")
def management_review(announcement) -> Check:
    """A management review held (its meeting started) in the last 12 months: read from the reviews
    eISO holds, else from the date the secretary recorded on the draft (a review held on paper)."""
    label = _("Management review held in the last 12 months")
    today = timezone.localdate()
    review = (ManagementReview.objects.filter(agency=announcement.agency, status__in=HELD, meeting_on__lte=today)
              .order_by("-meeting_on").first())
    held = max(d for d in (review.meeting_on if review else None, announcement.review_held_on) if d) if (
        review or announcement.review_held_on) else None
    if held is None:
        return Check("management_review", label, False,
                     _("No management review held yet: hold it in eISO or record the date of the last one."))
    ok = today - YEAR <= held <= today
    return Check("management_review", label, ok, _("Last review on %(date)s.") % {"date": held.strftime("%d/%m/%Y")})


@register("effectiveness_confirmed")
def effectiveness_confirmed(announcement) -> Check:
    label = _("The head confirmed the QMS effective")
    at = announcement.effectiveness_confirmed_at
    if at is None:
        return Check("effectiveness_confirmed", label, False, _("The agency head has not confirmed it yet."))
    by = announcement.effectiveness_confirmed_by
    return Check("effectiveness_confirmed", label, True, _("Confirmed by %(name)s on %(date)s.") % {
        "name": by.get_full_name() if by else "", "date": timezone.localtime(at).strftime("%d/%m/%Y")})
