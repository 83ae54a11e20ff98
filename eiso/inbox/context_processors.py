from django.utils.functional import SimpleLazyObject

from eiso.inbox.selectors import inbox_count


def inbox(request):
    """``inbox_count`` for the header: one query, made only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_count": SimpleLazyObject(lambda: inbox_count(user))}
