"""Property-based fuzzing of the read endpoints from the OpenAPI schema: whatever the query and path
parameters, a valid token never gets a server error, and every answer matches the documented schema."""

import pytest

schemathesis = pytest.importorskip("schemathesis")

from django.core.signals import request_finished, request_started  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import close_old_connections  # noqa: E402
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
def keep_test_connection():
    """Requests go through the real WSGI handler, which closes the database connection after each
    one; the test's transaction must survive that (Django's test client does the same)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def bearer(keep_test_connection, overseer, a_secretary, unit_a, one_stop_a, b_staff, agency_q):
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
