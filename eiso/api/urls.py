import json

from django.http import HttpResponse
from django.urls import path
from ninja.responses import NinjaJSONEncoder

from eiso.api.api import api


def openapi_json(request):
    """The schema with Vietnamese letters as themselves (ninja's own view escapes them)."""
    schema = api.get_openapi_schema()
    return HttpResponse(json.dumps(schema, cls=NinjaJSONEncoder, ensure_ascii=False),
                        content_type="application/json; charset=utf-8")


urlpatterns = [
    path("openapi.json", openapi_json, name="openapi-json"),
    path("", api.urls),
]
