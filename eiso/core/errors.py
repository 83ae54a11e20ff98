"""Domain errors: raised by services and selectors, turned into answers at the edges.

The web middleware renders them as pages, the API as ``{"message", "code"}`` JSON, so a rule
broken anywhere reaches the user as a clear message with the right status, never as a 500.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status = 400
    code = "error"
    default_message = _("The request could not be carried out.")

    def __init__(self, message=None, *, code: str | None = None, errors: dict | None = None):
        self.message = message or self.default_message
        if code:
            self.code = code
        self.errors = errors or {}
        super().__init__(str(self.message))


class NotFound(DomainError):
    status = 404
    code = "not_found"
    default_message = _("Not found.")


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    default_message = _("You do not have permission to do this.")


class ValidationFailed(DomainError):
    status = 400
    code = "invalid"
    default_message = _("The data is not valid.")


class Conflict(DomainError):
    status = 409
    code = "conflict"
    default_message = _("This change conflicts with the current state.")
