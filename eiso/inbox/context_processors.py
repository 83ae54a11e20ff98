from django.utils.functional import SimpleLazyObject

from eiso.inbox.selectors import inbox_count_cached


def inbox(request):
    """``inbox_count`` for the header, made only when a page shows it, and kept until the data
    change (one small query to learn whether they did)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_count": SimpleLazyObject(lambda: inbox_count_cached(user))}
