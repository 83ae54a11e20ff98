"""Template helpers of the improvement actions offered in other areas' pages: the dossier
statistics' one-click nonconformity from a late step, and the audit findings' nonconformity (a
button, or a link to it).

Only this app's templates load them: the earlier apps' pages show these templates as panels
(``eiso.improvements.panels``), never by loading this library."""

from django import template

from eiso.audits.choices import NONCONFORMITY_KINDS
from eiso.improvements.panels import FindingNonconformities
from eiso.improvements.services import DEFAULT_LATE_THRESHOLD

register = template.Library()


@register.simple_tag
def late_step_nonconformity(recorded, row):
    """The open nonconformity already recorded for the step of a statistics row, if any."""
    return (recorded or {}).get((row.procedure_id, row.step))


@register.simple_tag
def late_step_threshold() -> int:
    return DEFAULT_LATE_THRESHOLD


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
