"""Turn domain errors raised in views into pages with the right status and a clear message; refuse
oversized request bodies before they are read; the default language."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from eiso.core.errors import DomainError


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DomainError):
            if request.path.startswith("/api/"):
                return None  # the API renders its own JSON errors
            return render(
                request,
                "error.html",
                {"status": exception.status, "message": exception.message},
                status=exception.status,
            )
        return None


class DefaultLanguageMiddleware:
    """Vietnamese unless the user chose otherwise.

    Django would follow the browser's Accept-Language, and many agency PCs run an English
    Windows or browser: eISO shows the site language (settings.LANGUAGE_CODE) until the user
    picks another with the language switch, which sets the language cookie. Runs before
    LocaleMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            request.META["HTTP_ACCEPT_LANGUAGE"] = settings.LANGUAGE_CODE
        return self.get_response(request)


def request_too_large(request, limit: int):
    """The 413 answer: JSON under /api/, a page elsewhere."""
    message = _("The request is too large: at most %(limit)s can be sent at once.") % {
        "limit": filesizeformat(limit)}
    if request.path.startswith("/api/"):
        response = JsonResponse({"message": message, "code": "too_large"}, status=413,
                                json_dumps_params={"ensure_ascii": False})
    else:
        response = render(request, "error.html", {"status": 413, "message": message}, status=413)
    return response  # (no Connection header: WSGI forbids it; the server closes or drains the unread body)


class RequestSizeLimitMiddleware:
    """Refuse a request whose body declares more than ``EISO_MAX_REQUEST_BYTES`` with 413, before any
    of it is read: Django's own limit (DATA_UPLOAD_MAX_MEMORY_SIZE) leaves out files, which would be
    spooled whole to the temporary directory before the upload's size is checked.

    A body without a declared length: under WSGI Django reads none of it; under ASGI
    ``eiso.core.asgi`` stops reading at the limit and marks the request, refused here as well.
    The reverse proxy should refuse such bodies first (nginx ``client_max_body_size``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.EISO_MAX_REQUEST_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit or getattr(getattr(request, "_stream", None), "eiso_too_large", False):
            return request_too_large(request, limit)
        return self.get_response(request)
