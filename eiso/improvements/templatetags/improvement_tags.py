"""Template helpers other areas use to offer improvement actions: the dossier statistics' one-click
nonconformity from a late step, and the audit findings' nonconformity (a button, or a link to it).

Earlier apps (audits, dossiers) never import this app; their templates load these tags."""

from dataclasses import dataclass, field

from django import template
from django.db.models import Exists, OuterRef

from eiso.audits.choices import NONCONFORMITY_KINDS
from eiso.improvements.models import CorrectiveAction, Nonconformity
from eiso.improvements.services import DEFAULT_LATE_THRESHOLD

register = template.Library()


@register.filter
def may_record_late_steps(user) -> bool:
    """Whether ``user`` may turn a late process step of their own agency into a nonconformity."""
    agency = getattr(user, "agency", None)
    return agency is not None and user.has_perm("improvements.add_nonconformity_from_dossiers", agency)


@register.simple_tag
def late_step_threshold() -> int:
    return DEFAULT_LATE_THRESHOLD


@dataclass
class FindingNonconformities:
    """The nonconformities of some audit findings, and how many of their nonconformity findings have
    none yet or no corrective action yet (the gap inspectors keep finding)."""

    by_finding: dict = field(default_factory=dict)  # finding id → Nonconformity (with has_action)
    without_nonconformity: int = 0
    without_action: int = 0

    @property
    def gaps(self) -> int:
        return self.without_nonconformity + self.without_action


@register.simple_tag
def finding_nonconformities(findings) -> FindingNonconformities:
    """Reads the nonconformities of ``findings`` in one query."""
    findings = list(findings)
    result = FindingNonconformities()
    ids = [f.pk for f in findings if f.kind in NONCONFORMITY_KINDS]
    if ids:
        rows = (Nonconformity.objects.filter(finding_id__in=ids)
                .annotate(has_action=Exists(CorrectiveAction.objects.filter(nonconformity=OuterRef("pk"))))
                .only("pk", "code", "status", "finding_id"))
        result.by_finding = {nc.finding_id: nc for nc in rows}
    for pk in ids:
        nc = result.by_finding.get(pk)
        if nc is None:
            result.without_nonconformity += 1
        elif not nc.has_action:
            result.without_action += 1
    return result


@register.inclusion_tag("improvements/finding_nonconformity.html", takes_context=True)
def finding_nonconformity(context, finding, links: FindingNonconformities):
    """The nonconformity of one finding: a link to it, or (for a nonconformity finding without one)
    a warning and, for the secretary, the head or the audit's lead, the button that records it."""
    request = context.get("request")
    user = getattr(request, "user", None)
    is_nc = finding.kind in NONCONFORMITY_KINDS
    nc = links.by_finding.get(finding.pk) if links else None
    return {
        "finding": finding, "nc": nc, "is_nc": is_nc,
        "can_record": is_nc and nc is None and user is not None
        and user.has_perm("improvements.add_nonconformity_from_finding", finding),
        "csrf_token": context.get("csrf_token"),
    }
