"""The eISO API: django-ninja under /api/v1/, Bearer tokens, JSON errors with a message and a code.

Each app contributes a router from its own ``api.py``; they are wired here, and only here.
"""

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder
from ninja.security import HttpBearer
from pydantic import BaseModel

from eiso.core.errors import DomainError
from eiso.core.services import validation_failed_from
from eiso.organizations.services import api_token_authenticate


class UnicodeJSONRenderer(JSONRenderer):
    """Vietnamese letters as themselves, not ``\\u`` escapes."""

    def render(self, request, data, *, response_status):
        return json.dumps(data, cls=NinjaJSONEncoder, ensure_ascii=False)


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_authenticate(token)
        if user is None:
            return None
        request.user = user
        return user


class ErrorOut(BaseModel):
    message: str
    code: str
    errors: dict | list | None = None


api = NinjaAPI(
    title="eISO API",
    version="1",
    description="ISO điện tử: hệ thống quản lý chất lượng theo TCVN ISO 9001:2015.",
    auth=BearerToken(),
    renderer=UnicodeJSONRenderer(),
    urls_namespace="api",
)


def _error(request, status: int, message, code: str, errors=None):
    body = {"message": str(message), "code": code}
    if errors:
        body["errors"] = errors
    return api.create_response(request, body, status=status)


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return _error(request, exc.status, exc.message, exc.code, exc.errors or None)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc: NinjaValidationError):
    errors = [
        {"loc": [str(p) for p in e.get("loc", [])], "msg": str(e.get("msg", ""))} for e in exc.errors
    ]
    return _error(request, 422, _("The request body or parameters are not valid."), "invalid", errors)


@api.exception_handler(ValidationError)
def on_django_validation_error(request, exc: ValidationError):
    err = validation_failed_from(exc)
    return _error(request, 400, err.message, err.code, err.errors)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return _error(request, 401, _("Authentication required: send Authorization: Bearer <token>."),
                  "unauthenticated")


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, _("Not found."), "not_found")


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return _error(request, 403, _("You do not have permission to do this."), "forbidden")


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, ValueError):  # ninja's "Cannot parse request body" (bad JSON or encoding)
        return _error(request, 400, _("The request body is not valid JSON."), "malformed")
    return _error(request, exc.status_code, exc.message, "error")


@api.exception_handler(Exception)
def on_unexpected(request, exc):  # the last line of defence: JSON, never an HTML 500
    import logging

    logging.getLogger("eiso.api").exception("Unhandled API error")
    return _error(request, 500, _("An unexpected error occurred. It has been logged."), "server_error")


def _mount_routers():
    from eiso.organizations.api import router as organizations_router

    api.add_router("/", organizations_router)
    api.add_router("/", "eiso.organizations.api_calendar.router")
    api.add_router("/", "eiso.organizations.api_sessions.router")
    api.add_router("/", "eiso.documents.api.router")
    api.add_router("/", "eiso.procedures.api.router")
    api.add_router("/", "eiso.dossiers.api_statistics.router")  # before dossiers: /dossiers/{code}
    api.add_router("/", "eiso.dossiers.api.router")
    api.add_router("/", "eiso.audits.api.router")
    api.add_router("/", "eiso.improvements.api.router")
    api.add_router("/", "eiso.inbox.api.router")
    api.add_router("/", "eiso.api.jobs.router")
    api.add_router("/", "eiso.feedback.api.router")
    api.add_router("/", "eiso.objectives.api.router")
    api.add_router("/", "eiso.rollout.api_announcements.router")
    api.add_router("/", "eiso.rollout.api.router")
    api.add_router("/", "eiso.fives.api.router")
    api.add_router("/", "eiso.oversight.api.router")
    api.add_router("/", "eiso.reviews.api.router")
    api.add_router("/", "eiso.people.api.router")


_mount_routers()
