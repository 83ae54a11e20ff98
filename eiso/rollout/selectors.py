"""Scoped reads of rollouts, their phases, registry and gap surveys."""

from eiso.core.selectors import get_or_404
from eiso.core.text import is_id
from eiso.rollout.models import Rollout
from eiso.rollout.permissions import policy


def rollouts_for_user(user, *, agency: str = "", status: str = "", q: str = ""):
    qs = policy.filter(user, "view_rollout", Rollout.objects).select_related("agency")
    if agency:
        qs = qs.filter(agency_id=int(agency)) if is_id(agency) else qs.filter(agency__code=agency)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(title__icontains=q.strip())
    return qs.order_by("agency__name", "-started_on")


def rollout_get_for_user(user, pk) -> Rollout:
    return get_or_404(rollouts_for_user(user), pk)
