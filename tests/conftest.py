import pytest

from tests.world import World


@pytest.fixture
def world(agency_a, unit_a, a_staff, a_head, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {  # uploaded files stay out of var/media
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    return World(agency_a, unit_a, a_staff, a_head)
