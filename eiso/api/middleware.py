"""Under /api/, every error is JSON with a message and a code, including the ones Django answers
before the API is reached (unknown path 404, wrong method 405)."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

_CODES = {
    400: ("bad_request", N_("The request is not valid.")),
    401: ("unauthenticated", N_("Authentication required: send Authorization: Bearer <token>.")),
    403: ("forbidden", N_("You do not have permission to do this.")),
    404: ("not_found", N_("Not found.")),
    405: ("method_not_allowed", N_("This method is not allowed here.")),
    413: ("too_large", N_("The request is too large.")),
}


class ApiJsonErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            code, message = _CODES.get(response.status_code, ("server_error", N_("An unexpected error occurred.")))
            json_response = JsonResponse({"message": _(message), "code": code}, status=response.status_code,
                                         json_dumps_params={"ensure_ascii": False})
            if response.has_header("Allow"):
                json_response["Allow"] = response["Allow"]
            return json_response
        return response
