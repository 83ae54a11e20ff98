"""Property-based fuzzing of the whole API from its OpenAPI schema (schemathesis), part of `make test`:
every route and method, with a valid token, never answers a server error, and every answer matches
the published schema (status code, content type, body). Fixed seed (derandomized) and a bounded
number of cases per operation, so a run is repeatable and stays around a minute."""

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

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


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
def bearer(keep_test_connection, a_secretary, unit_a, one_stop_a, b_staff, agency_q):
    """Agency A's ISO secretary may write most of agency A's objects, so generated bodies reach the
    services (and generated ids sometimes hit real rows)."""
    _token, raw = api_token_create(actor=None, user=a_secretary)
    return {"Authorization": f"Bearer {raw}"}


@schema.parametrize()
@settings(max_examples=10, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_the_api_never_fails_and_matches_its_schema(case, bearer):
    response = case.call(headers=bearer)
    assert response.status_code < 500, case.as_curl_command(headers=bearer)
    case.validate_response(response, headers=bearer, checks=CHECKS)
