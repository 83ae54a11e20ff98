import pytest


@pytest.fixture(autouse=True)
def english():
    """Service messages are asserted in English (the UI default is Vietnamese)."""
    from django.utils import translation

    with translation.override("en"):
        yield
