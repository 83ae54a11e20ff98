"""The ORM inside a Playwright session uses a database connection of its own, closed with the session."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections

from tests.browser.conftest import playwright_session

pytestmark = pytest.mark.browser


def test_the_connection_opened_inside_a_playwright_session_is_closed_with_it(transactional_db):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("Django never closes a connection to an in-memory SQLite database (it would be lost)")
    outside = connections["default"]
    with playwright_session():
        inside = connections["default"]
        get_user_model().objects.exists()
        assert inside is not outside and inside.connection is not None  # a connection of its own
    assert inside.connection is None  # closed: on PostgreSQL the test database can be dropped at the end
