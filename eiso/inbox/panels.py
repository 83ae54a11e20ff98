"""What the task list shows in earlier apps' pages (``eiso.core.panels``): on one's own profile,
the daily digest setting."""

from eiso.core.panels import Panel
from eiso.inbox.services import digest_wanted


def profile_panel(request, *, person) -> Panel | None:
    """Slot ``organizations.person``: one's own digest setting (nobody else's)."""
    if request is None or request.user.pk != person.pk:
        return None
    return Panel(summary="inbox/profile_digest.html", data={"daily_digest": digest_wanted(person)})
