"""List pages: search, filters and pagination in one place so every list behaves the same."""

from django.conf import settings
from django.core.paginator import Paginator


def paginate(request, queryset, per_page: int | None = None):
    """The requested page of ``queryset``; out-of-range or junk page numbers give the nearest page."""
    paginator = Paginator(queryset, per_page or settings.EISO_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def querystring_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
