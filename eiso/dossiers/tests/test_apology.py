"""The apology letter: one per open dossier, a new appointment after the due date, sent in time
or flagged, audited; who may issue it."""

import pytest
import time_machine
from django.utils import translation

from eiso.core.errors import Conflict, Forbidden, ValidationFailed
from eiso.core.models import AuditEvent
from eiso.dossiers.models import DossierApology
from eiso.dossiers.services.apology import apology_issue, apology_lateness
from eiso.dossiers.tests.factories.dossiers import NOW, dossiers_of_agency_a, t

pytestmark = pytest.mark.django_db


@pytest.fixture
def d(agency_a, unit_a, one_stop_a):
    return dossiers_of_agency_a(agency_a, unit_a, one_stop_a)


def test_a_late_dossier_gets_one_letter_flagged_as_sent_late(d, a_secretary):
    apology = apology_issue(actor=a_secretary, dossier=d["overdue"], reason="Chờ ý kiến của Sở Tài chính",
                            new_due_at=t(2026, 3, 10, 17), now=NOW)
    assert apology.sent_in_time is False and apology.issued_by == a_secretary and apology.issued_at == NOW
    event = AuditEvent.objects.get(action="apology_issue")
    assert event.actor == a_secretary and event.changes["sent_in_time"] is False
    with pytest.raises(Conflict, match="only one new appointment|hẹn lại một lần"):
        apology_issue(actor=a_secretary, dossier=d["overdue"], reason="Lần hai", new_due_at=t(2026, 3, 20, 17),
                      now=NOW)
    assert DossierApology.objects.count() == 1


def test_sent_in_time_means_one_working_day_before_the_due_instant(d, a_head):
    # "later" is due Tue 10/3 14:00; Mon 9/3 14:00 is exactly 8 working hours before it
    apology = apology_issue(actor=a_head, dossier=d["later"], reason="Hồ sơ phức tạp",
                            new_due_at=t(2026, 3, 12, 17), now=t(2026, 3, 9, 14))
    assert apology.sent_in_time is True
    # "due_soon" is due Mon 9/3 09:00; on Fri 6/3 10:00 only 7 working hours are left (the weekend does not count)
    apology = apology_issue(actor=a_head, dossier=d["due_soon"], reason="Hồ sơ phức tạp",
                            new_due_at=t(2026, 3, 12, 17), now=NOW)
    assert apology.sent_in_time is False


def test_the_new_appointment_must_be_after_the_due_date(d, a_head):
    for new_due in (d["overdue"].due_at, t(2026, 3, 3, 9)):
        with pytest.raises(ValidationFailed) as exc:
            apology_issue(actor=a_head, dossier=d["overdue"], reason="Lý do", new_due_at=new_due, now=NOW)
        assert "new_due_at" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        apology_issue(actor=a_head, dossier=d["overdue"], reason="   ", new_due_at=t(2026, 3, 12, 17), now=NOW)
    assert "reason" in exc.value.errors
    assert not DossierApology.objects.exists() and not AuditEvent.objects.filter(action="apology_issue").exists()


def test_a_finished_dossier_gets_no_letter(d, a_head):
    for name in ("late", "early"):
        with pytest.raises(Conflict):
            apology_issue(actor=a_head, dossier=d[name], reason="Lý do", new_due_at=t(2026, 4, 1, 17), now=NOW)
    assert not DossierApology.objects.exists()


def test_who_may_issue(d, a_staff, a_unit_head, b_head, overseer):
    for intruder in (a_staff, b_head, overseer):
        with pytest.raises(Forbidden):
            apology_issue(actor=intruder, dossier=d["overdue"], reason="Lý do", new_due_at=t(2026, 3, 12, 17),
                          now=NOW)
    assert apology_issue(actor=a_unit_head, dossier=d["overdue"], reason="Lý do", new_due_at=t(2026, 3, 12, 17),
                         now=NOW).pk


# --- the page --------------------------------------------------------------------------------------------

clock = time_machine.travel(NOW, tick=False)


@clock
def test_apology_page_issues_the_letter_and_the_dossier_page_shows_it(d, client_for, a_head):
    client = client_for(a_head, language="en")
    url = f"/dossiers/{d['overdue'].pk}/apology/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "Chờ xác minh của Công an tỉnh", "new_due_at": "2026-03-11T16:00"})
    assert response.status_code == 302
    apology = DossierApology.objects.get()
    assert apology.new_due_at == t(2026, 3, 11, 16) and apology.sent_in_time is False
    html = client.get(f"/dossiers/{d['overdue'].pk}/").content.decode()
    assert "Chờ xác minh của Công an tỉnh" in html and "11/03/2026 16:00" in html
    assert "Sent late" in html
    assert f"/reports/dossiers/{d['overdue'].pk}/apology.docx" in html
    # the second time the page says there is already one and changes nothing
    response = client.get(url)
    assert response.status_code == 200 and "only one new appointment" in response.content.decode()
    response = client.post(url, {"reason": "Lần hai", "new_due_at": "2026-03-20T16:00"})
    assert response.status_code == 409 and DossierApology.objects.get().reason == "Chờ xác minh của Công an tỉnh"


@clock
def test_apology_page_refuses_bad_input_on_the_form(d, client_for, a_head):
    client = client_for(a_head, language="en")
    url = f"/dossiers/{d['overdue'].pk}/apology/"
    response = client.post(url, {"reason": "Lý do", "new_due_at": "2026-03-03T16:00"})
    assert response.status_code == 200 and "must be after the current due date" in response.content.decode()
    response = client.post(url, {"reason": "", "new_due_at": "not a date"})
    assert response.status_code == 200
    assert not DossierApology.objects.exists()


@clock
def test_a_dossier_not_yet_late_needs_the_confirmation(d, client_for, a_head):
    client = client_for(a_head, language="en")
    url = f"/dossiers/{d['later'].pk}/apology/"
    response = client.post(url, {"reason": "Hồ sơ phức tạp", "new_due_at": "2026-03-13T16:00"})
    assert response.status_code == 200 and not DossierApology.objects.exists()
    response = client.post(url, {"reason": "Hồ sơ phức tạp", "new_due_at": "2026-03-13T16:00", "confirm": "on"})
    assert response.status_code == 302 and DossierApology.objects.get().sent_in_time is True


@clock
def test_apology_page_permissions(d, client_for, a_staff, b_head):
    url = f"/dossiers/{d['overdue'].pk}/apology/"
    assert client_for(a_staff).get(url).status_code == 403
    assert client_for(a_staff).post(url, {"reason": "x", "new_due_at": "2026-03-11T16:00"}).status_code == 403
    assert client_for(b_head).get(url).status_code == 404
    assert not DossierApology.objects.exists()


def test_a_letter_issued_after_the_due_date_states_the_real_lateness(d, client_for, a_head):
    """"overdue" was due Wed 4/3 17:00; issued Tue 10/3 10:00 it is 3 working days and 2 hours late
    (Thu, Fri, Mon; the weekend does not count), not "less than one working day before the due date"."""
    client = client_for(a_head, language="en")
    url = f"/dossiers/{d['overdue'].pk}/apology/"
    with time_machine.travel(t(2026, 3, 10, 10), tick=False):
        response = client.post(url, {"reason": "Chờ xác minh", "new_due_at": "2026-03-13T16:00"}, follow=True)
    html = response.content.decode()
    assert "issued when the dossier was already 3 working days overdue" in html
    assert "Sent late: the dossier was already 3 working days overdue." in html
    assert "less than one working day" not in html
    # Under a day late it says hours: due 4/3 17:00, issued Thu 5/3 11:00 is 3 working hours.
    with translation.override("en"):
        assert apology_lateness(d["overdue"], t(2026, 3, 5, 11)) == "3 working hours"
    with translation.override("vi"):
        assert apology_lateness(d["overdue"], t(2026, 3, 10, 10)) == "3 ngày làm việc"
    assert apology_lateness(d["overdue"], t(2026, 3, 4, 16)) == ""
