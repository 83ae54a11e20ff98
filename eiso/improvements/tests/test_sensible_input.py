"""Input that makes sense (issue 10): a corrective action is not due before its nonconformity was
detected, its owner does not verify it, and free text has a sensible size."""

import datetime

import pytest
from django.utils import translation

from eiso.core.errors import ValidationFailed
from eiso.improvements import services
from eiso.improvements.models import Risk
from eiso.improvements.tests.factories import make_action, make_nc

pytestmark = pytest.mark.django_db


def test_an_action_due_before_its_nonconformity_was_detected_is_refused(agency_a, a_staff, a_secretary):
    nc = make_nc(agency_a, a_staff, detected_on=datetime.date(2026, 3, 2))
    with pytest.raises(ValidationFailed) as refused:
        make_action(nc, a_secretary, a_staff, due_on=datetime.date(2026, 2, 28))
    assert list(refused.value.errors) == ["due_on"] and "02/03/2026" in refused.value.errors["due_on"][0]
    action = make_action(nc, a_secretary, a_staff, due_on=datetime.date(2026, 3, 2))  # the same day is fine
    with pytest.raises(ValidationFailed) as refused:
        services.corrective_action_update(actor=a_secretary, action=action, due_on=datetime.date(2026, 1, 1))
    assert list(refused.value.errors) == ["due_on"]


def test_the_owner_of_an_action_cannot_verify_it(agency_a, a_staff, a_secretary):
    nc = make_nc(agency_a, a_staff)
    with pytest.raises(ValidationFailed) as refused:
        make_action(nc, a_secretary, a_secretary, verifier=a_secretary)
    assert list(refused.value.errors) == ["verifier"]
    action = make_action(nc, a_secretary, a_staff, verifier=a_secretary)
    with pytest.raises(ValidationFailed) as refused:  # the owner changed to the verifier
        services.corrective_action_update(actor=a_secretary, action=action, owner=a_secretary)
    assert list(refused.value.errors) == ["verifier"]


def test_a_100000_character_risk_description_is_refused_naming_the_field(agency_a, a_secretary):
    with translation.override("vi"), pytest.raises(ValidationFailed) as refused:
        services.risk_create(actor=a_secretary, agency=agency_a, description="R" * 100_000, likelihood=3,
                             impact=3)
    assert list(refused.value.errors) == ["description"]
    assert refused.value.errors["description"][0].startswith("Mô tả: tối đa 10.000 ký tự")
    assert not Risk.objects.exists()


def test_the_risk_form_shows_the_limit_on_the_field(client, agency_a, a_secretary):
    client.force_login(a_secretary)
    response = client.post("/risks/new/", {"kind": "risk", "description": "x" * 10_001, "likelihood": 3,
                                           "impact": 3})
    assert response.status_code in (200, 400)
    assert "description" in response.context["form"].errors
    assert not Risk.objects.exists()
