"""Turn domain errors raised in views into pages with the right status and a clear message."""

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
