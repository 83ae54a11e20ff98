"""Property-based fuzzing of the read endpoints from the OpenAPI schema: whatever the query and path
parameters, a valid token never gets a server error, and every answer matches the documented schema."""

import pytest

schemathesis = pytest.importorskip("schemathesis")

from django.core.wsgi import get_wsgi_application  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from eiso.organizations.services import api_token_create  # noqa: E402

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application()).include(method="GET")


@pytest.fixture
def bearer(overseer, a_secretary, unit_a, one_stop_a, b_staff, agency_q):
    """The provincial overseer reads every agency of province P, so generated ids often hit real rows."""
    _token, raw = api_token_create(actor=None, user=overseer)
    return {"Authorization": f"Bearer {raw}"}


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_get_endpoints_never_fail(case, bearer):
    response = case.call(headers=bearer)
    assert response.status_code < 500, case.as_curl_command(headers=bearer)
    case.validate_response(response, headers=bearer, checks=[
        not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance])
