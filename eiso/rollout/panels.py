"""What the rollout app shows in earlier apps' pages (``eiso.core.panels``): on the improvements page
of what needs attention, the agencies whose conformity announcement must be renewed."""

from django.utils.translation import gettext as _

from eiso.core.panels import Panel
from eiso.rollout.choices import RenewalReason
from eiso.rollout.renewal import agencies_for_status, renewal_statuses


def attention_panel(request, **_objects) -> Panel | None:
    """Slot ``improvements.attention``: a card with the count of agencies (announced once at least)
    whose announcement is due for renewal."""
    if request is None or not request.user.is_authenticated:
        return None
    statuses = renewal_statuses(agencies_for_status(request.user)).values()
    due = sum(1 for s in statuses if s["due"] and s["reasons"][0]["kind"] != RenewalReason.NOT_ANNOUNCED)
    return Panel(title=_("Conformity announcements to renew"), summary="rollout/panels/attention_card.html",
                 data={"total": due})
