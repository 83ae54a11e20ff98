"""The agency's dossier settings: supplement timing (restart or pause) and the due-soon window."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from eiso.core.audit import history_for
from eiso.core.errors import Forbidden, ValidationFailed
from eiso.dossiers.models import Dossier, DossierSettings
from eiso.dossiers.services.recording import EventRow, dossier_events_record
from eiso.dossiers.services.settings import dossier_settings_update
from eiso.procedures.tests.factories import procedure_with_process

pytestmark = pytest.mark.django_db
Z = ZoneInfo("Asia/Ho_Chi_Minh")
URL = reverse("dossiers:dossiersettings-update")


def t(*args):
    return dt.datetime(*args, tzinfo=Z)


@pytest.fixture
def supplemented(agency_a, unit_a, one_stop_a):
    """Received Mon 2/3/2026 08:00 (3 working days), supplement asked at 12:00 (4 h used), received
    complete Wed 4/3 08:00: restart → due Fri 6/3 17:00; pause (20 h left) → Fri 6/3 12:00."""
    procedure_with_process(agency_a, one_stop=one_stop_a, unit=unit_a)
    code = "STP-260302-0001"
    dossier_events_record(actor=None, source="test", rows=[
        EventRow(row=1, code=code, kind="received", at=t(2026, 3, 2, 8), agency_code="STP", procedure_code="1.004227"),
        EventRow(row=2, code=code, kind="supplement_requested", at=t(2026, 3, 2, 12)),
        EventRow(row=3, code=code, kind="supplement_received", at=t(2026, 3, 4, 8)),
    ])
    return Dossier.objects.get(code=code)


def test_pause_retimes_the_dossiers_with_a_supplement_and_is_audited(supplemented, agency_a, a_head):
    assert supplemented.due_at == t(2026, 3, 6, 17)
    settings, retimed = dossier_settings_update(actor=a_head, agency=agency_a, supplement_mode="pause",
                                                due_soon_hours=16)
    assert (settings.supplement_mode, settings.due_soon_hours, retimed) == ("pause", 16, 1)
    supplemented.refresh_from_db()
    assert supplemented.due_at == t(2026, 3, 6, 12)
    event = history_for(settings).get(action="update")
    assert event.changes == {"supplement_mode": ["restart", "pause"], "due_soon_hours": [8, 16]}
    assert event.agency_id == agency_a.pk and event.actor == a_head
    # Saving the same values again changes nothing and leaves no audit row.
    assert dossier_settings_update(actor=a_head, agency=agency_a, supplement_mode="pause", due_soon_hours=16)[1] == 0
    assert history_for(settings).count() == 1


def test_bad_values_are_refused(agency_a, a_head):
    with pytest.raises(ValidationFailed) as refused:
        dossier_settings_update(actor=a_head, agency=agency_a, supplement_mode="sometimes", due_soon_hours=0)
    assert set(refused.value.errors) == {"supplement_mode", "due_soon_hours"}
    assert not DossierSettings.objects.exists()


def test_only_the_agencys_managers_change_them(agency_a, agency_b, a_staff, b_head):
    for actor, agency in ((a_staff, agency_a), (b_head, agency_a)):
        with pytest.raises(Forbidden):
            dossier_settings_update(actor=actor, agency=agency, supplement_mode="pause", due_soon_hours=8)
    assert not DossierSettings.objects.exists()


def test_the_page_saves_the_settings(supplemented, agency_a, a_secretary, client_for):
    client = client_for(a_secretary, language="en")
    page = client.get(URL).content.decode()
    assert "Restart the full time limit" in page and agency_a.name in page
    response = client.post(URL, {"supplement_mode": "pause", "due_soon_hours": "4"})
    assert response.status_code == 302
    assert DossierSettings.objects.get(agency=agency_a).supplement_mode == "pause"
    page = client.get(URL).content.decode()
    assert "History" in page and "1 dossiers retimed" in page


def test_the_page_refuses_bad_input_and_outsiders(agency_a, a_secretary, a_staff, b_head, client_for):
    response = client_for(a_secretary).post(URL, {"supplement_mode": "pause", "due_soon_hours": "-3"})
    assert response.status_code == 400 and not DossierSettings.objects.exists()
    assert client_for(a_staff).get(URL).status_code == 403
    assert client_for(a_staff).post(URL, {"supplement_mode": "pause", "due_soon_hours": "8"}).status_code == 403
    # Agency B's head sees B's settings; naming agency A changes nothing of A's.
    client = client_for(b_head)
    assert agency_a.name not in client.get(URL, {"agency": agency_a.pk}).content.decode()
    client.post(f"{URL}?agency={agency_a.pk}", {"supplement_mode": "pause", "due_soon_hours": "8"})
    assert not DossierSettings.objects.filter(agency=agency_a).exists()
    assert DossierSettings.objects.get().agency.code == "SXD"
