"""A redirect target taken from the request stays on this site (url_has_allowed_host_and_scheme)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from eiso.core.pages import next_url

pytestmark = pytest.mark.django_db

HOSTILE = ["/\\evil.example", "//evil.example", "https://evil.example/", "javascript:alert(1)", "\\\\evil.example",
           "/\t/evil.example"]


@pytest.mark.parametrize("target", HOSTILE)
def test_next_url_refuses_other_sites(target):
    request = RequestFactory().post("/", {"next": target})
    assert next_url(request, "/fallback/") == "/fallback/"


def test_next_url_keeps_a_local_path():
    request = RequestFactory().post("/", {"next": "/dossiers/statistics/?month=2026-03"})
    assert next_url(request, "/fallback/") == "/dossiers/statistics/?month=2026-03"


@pytest.mark.parametrize("target", HOSTILE)
def test_the_late_step_nonconformity_never_sends_elsewhere(client_for, a_secretary, target):
    response = client_for(a_secretary).post(reverse("improvements:nonconformity-from-late-step"), {"next": target})
    assert response.status_code == 302
    assert response.url == reverse("improvements:nonconformity-list")
