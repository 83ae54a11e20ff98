from django.conf import settings
from django.urls import get_urlconf
from django.utils import timezone

from eiso.core import freshness
from eiso.core.navigation import build_menu


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # The menu changes with the data (the reader's roles and agency) and the day (an agency that has
    # ended takes no new work): kept in the process until either changes, not asked of the rules on
    # every page. Its labels are lazy: translated as each page renders them.
    # It is asked of the reader's roles and agency (kept with their membership: writes of other
    # agencies leave both) and of rows of no one agency (the person, an agency's own row).
    key = (user.pk, get_urlconf() or settings.ROOT_URLCONF, timezone.localdate())
    agency = user.agency
    return {"nav_menu": freshness.kept_in_process("core.menu", key, lambda: build_menu(user), user,
                                                  None if agency is None else [agency.pk])}
