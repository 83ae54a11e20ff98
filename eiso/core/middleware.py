"""Turn domain errors raised in views into pages with the right status and a clear message."""

from django.conf import settings
from django.shortcuts import render

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
