import pytest


@pytest.fixture(autouse=True)
def _async_unsafe_orm(monkeypatch):
    """Playwright's sync API runs an event loop in the test's thread; the ORM calls the fixtures
    make there are still synchronous and safe. Set for these tests only, never for a subprocess of
    another test (Django's deployment check refuses the variable)."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
