"""The downloads of printed documents, one module per area, each with its own URL patterns.

Each view reads through a collector (so through the apps' selectors: another agency's id is a 404)
and hands the plain data to a pure layout. Files are sent as attachments named
``<code> <title>.docx`` (an ASCII fallback plus the UTF-8 name of RFC 5987/6266).
"""

import functools

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseNotAllowed


def scoped_get(lookup):
    """For a view taking an id: log in, get the object through ``lookup`` (a ``*_get_for_user``
    selector, so another agency's id is a 404 whatever the method), then refuse all but GET."""

    def decorate(view):
        @functools.wraps(view)
        @login_required
        def wrapper(request, pk):
            found = lookup(request.user, pk)
            if request.method not in ("GET", "HEAD"):
                return HttpResponseNotAllowed(["GET", "HEAD"])
            return view(request, found)

        return wrapper

    return decorate


def query_params(request, *names: str) -> dict[str, str]:
    """The named query parameters, trimmed to 200 characters ("" when absent)."""
    return {name: request.GET.get(name, "").strip()[:200] for name in names}
