"""What 5S shows in earlier apps' pages (``eiso.core.panels``): on the improvements page of what
needs attention, the planned 5S inspections whose day has passed without being recorded."""

from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.panels import Panel
from eiso.fives.selectors import inspections_overdue


def attention_panel(request, **_objects) -> Panel | None:
    """Slot ``improvements.attention``: a card with the count of overdue 5S inspections."""
    if request is None or not request.user.is_authenticated:
        return None
    return Panel(title=_("5S inspections past their day"), summary="fives/panels/attention_card.html",
                 data={"total": inspections_overdue(request.user, timezone.localdate()).count()})
