"""Search over documents, revisions, external documents and records, scoped to what the user may read.

The index itself (``eiso.core.search``) knows nothing of people: this selector is the gate that
turns a user into the list of agencies whose entries they may see.
"""

from django.utils.translation import gettext_lazy as _

from eiso.core.search import Hit, search_query
from eiso.organizations.selectors import visible_agencies

# kind of a search entry → its label (the ``type`` filter of the page and the API)
SEARCH_KINDS = {
    "document": _("Documents"),
    "revision": _("Revisions"),
    "external": _("Legal documents"),
    "record": _("Records"),
}


def search_agency_ids(user) -> list[int] | None:
    """The agencies whose entries ``user`` may see; None means every entry (a superuser)."""
    if not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return None
    return sorted(set(visible_agencies(user).values_list("pk", flat=True)))


def search_for_user(
    user, q: str, kinds: list[str] | None = None, limit: int = 20, offset: int = 0
) -> tuple[list[Hit], int]:
    """Ranked hits for ``q`` among the entries ``user`` may read, and how many there are in all."""
    agency_ids = search_agency_ids(user)
    if agency_ids == [] or not (q or "").strip():
        return [], 0
    kinds = [k for k in (kinds or []) if k in SEARCH_KINDS] or None
    return search_query(q, agency_ids=agency_ids, kinds=kinds, limit=limit, offset=offset)
