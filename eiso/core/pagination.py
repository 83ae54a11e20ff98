"""List pages: search, filters and pagination in one place so every list behaves the same."""

from django.conf import settings
from django.core.paginator import Paginator


def paginate(request, queryset, per_page: int | None = None, count: int | None = None):
    """The requested page of ``queryset``; out-of-range or junk page numbers give the nearest page.
    ``count``: how many rows ``queryset`` holds when the page already counted them (the list's tab
    counts), which spares a second ``COUNT(*)`` over the same rows."""
    paginator = Paginator(queryset, per_page or settings.EISO_PAGE_SIZE)
    if count is not None:
        paginator.count = count  # Paginator.count is a cached_property: this is its cached value
    return paginator.get_page(request.GET.get("page"))


def querystring_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
