"""Template helpers other areas use to offer improvement actions (the dossier statistics' one-click
nonconformity from a late step)."""

from django import template

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
