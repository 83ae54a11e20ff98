"""What feedback shows in earlier apps' pages (``eiso.core.panels``): on the improvements page of
what needs attention, the complaints past their answer date, like actions past due."""

from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.panels import Panel
from eiso.feedback.selectors import overdue_by_agency


def attention_panel(request, **_objects) -> Panel | None:
    """Slot ``improvements.attention``: a card with the overdue complaints (per agency)."""
    if request is None or not request.user.is_authenticated:
        return None
    by_agency = overdue_by_agency(request.user, today=timezone.localdate())
    return Panel(title=_("Complaints past due"), summary="feedback/panels/attention_card.html",
                 data={"total": sum(by_agency.values()), "by_agency": by_agency})
