"""API of sessions: an agency's idle timeout, and "sign out everywhere".

    GET  /api/v1/agencies/{id}/session-settings      → {"session_idle_hours": 8}
    PUT  /api/v1/agencies/{id}/session-settings      {"session_idle_hours": 4}
    POST /api/v1/users/{id}/sign-out-everywhere      an administrator, for a person
    POST /api/v1/me/sign-out-everywhere              the token's owner, for their browser sessions

API tokens are not sessions: they are revoked one by one (``eiso token revoke``).
"""

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from eiso.core.errors import ValidationFailed
from eiso.organizations import selectors
from eiso.organizations.api import ERRORS
from eiso.organizations.sessions import agency_session_settings_update, user_sign_out_everywhere

router = Router(tags=["sessions"])


class SessionSettings(Schema):
    session_idle_hours: int = Field(ge=1, le=72, description="Hours without activity before a person is signed out.")


class SessionSettingsIn(Schema):
    # Checked by the service (1 to 72) after the agency is found: another agency's id answers 404 first.
    session_idle_hours: int | None = Field(None, description="Hours without activity before sign-out, 1 to 72.")


class SignedOut(Schema):
    session_generation: int = Field(description="Sessions signed in before this number are refused.")


@router.get("/agencies/{agency_id}/session-settings", response={200: SessionSettings, **ERRORS},
            summary="An agency's idle timeout")
def session_settings_get(request, agency_id: int):
    agency = selectors.agency_get_for_user(request.auth, agency_id)
    return {"session_idle_hours": agency.session_idle_hours}


@router.put("/agencies/{agency_id}/session-settings", response={200: SessionSettings, **ERRORS},
            summary="Change an agency's idle timeout")
def session_settings_put(request, agency_id: int, payload: SessionSettingsIn):
    agency = selectors.agency_get_for_user(request.auth, agency_id)
    if payload.session_idle_hours is None:
        message = _("Enter the number of hours.")
        raise ValidationFailed(message, errors={"session_idle_hours": [message]})
    agency = agency_session_settings_update(actor=request.auth, agency=agency,
                                            session_idle_hours=payload.session_idle_hours)
    return {"session_idle_hours": agency.session_idle_hours}


@router.post("/users/{user_id}/sign-out-everywhere", response={200: SignedOut, **ERRORS},
             summary="Sign a person out on every device")
def user_sign_out(request, user_id: int):
    person = selectors.user_get_for_user(request.auth, user_id)
    user_sign_out_everywhere(actor=request.auth, user=person)
    return {"session_generation": person.session_generation}


@router.post("/me/sign-out-everywhere", response={200: SignedOut, **ERRORS},
             summary="Sign yourself out on every device (browser sessions)")
def own_sign_out(request):
    user_sign_out_everywhere(actor=request.auth, user=request.auth)
    return {"session_generation": request.auth.session_generation}
