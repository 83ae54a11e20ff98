"""``eiso dossiers retime``: after a change of working calendar the open dossiers' due instants
follow it (the calendar pages change no dossier by themselves)."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from eiso.dossiers.models import Dossier
from eiso.dossiers.tests.factories.dossiers import dossiers_of_agency_a, t
from eiso.organizations import services as organization_services

pytestmark = pytest.mark.django_db


def test_a_national_day_off_entered_later_moves_the_open_dossiers_due_dates(agency_a, unit_a, one_stop_a,
                                                                            admin_user):
    d = dossiers_of_agency_a(agency_a, unit_a, one_stop_a)
    later, early = d["later"], d["early"]
    assert later.due_at == t(2026, 3, 10, 14)
    organization_services.national_day_add(actor=admin_user, date=datetime.date(2026, 3, 9), kind="day_off",
                                           decision="Ví dụ: công văn hoán đổi")
    assert Dossier.objects.get(pk=later.pk).due_at == t(2026, 3, 10, 14)  # unchanged until retimed
    out = io.StringIO()
    call_command("dossiers", "retime", "--agency", agency_a.code, stdout=out)
    assert Dossier.objects.get(pk=later.pk).due_at == t(2026, 3, 11, 14)  # Monday 9/3 is now off
    assert Dossier.objects.get(pk=early.pk).due_at == early.due_at  # returned: left alone without --all
    assert "changed" in out.getvalue() or "thay đổi" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("dossiers", "retime", "--agency", "NOPE", stdout=io.StringIO())


def test_a_retime_that_changes_dossiers_announces_their_agency(agency_a, unit_a, one_stop_a, admin_user,
                                                                django_capture_on_commit_callbacks):
    """The rows are rewritten in SQL, with no audit row: the announcement is what moves the cached
    pages of the agency (``eiso.core.freshness``) and its quality objectives."""
    from eiso.core.changes import data_changed

    with django_capture_on_commit_callbacks(execute=True):  # the recording's own announcement goes out
        dossiers_of_agency_a(agency_a, unit_a, one_stop_a)
    heard = []

    def listen(sender, agency_id, topic, **kwargs):
        heard.append((agency_id, topic))

    data_changed.connect(listen, dispatch_uid="test-retime-announces")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            call_command("dossiers", "retime", "--agency", agency_a.code, stdout=io.StringIO())
        assert heard == []  # nothing changed: nothing announced
        organization_services.national_day_add(actor=admin_user, date=datetime.date(2026, 3, 9), kind="day_off",
                                               decision="Ví dụ: công văn hoán đổi")
        with django_capture_on_commit_callbacks(execute=True):
            call_command("dossiers", "retime", "--agency", agency_a.code, stdout=io.StringIO())
        assert heard == [(agency_a.pk, "dossiers")]
    finally:
        data_changed.disconnect(dispatch_uid="test-retime-announces")
