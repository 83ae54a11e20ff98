"""Pure calculations, reminders, repeat detection and late dossier steps, with fixed dates."""

import datetime
import io
import re

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from eiso.core.errors import Conflict, Forbidden
from eiso.dossiers.models import DossierRollup
from eiso.improvements import selectors, services
from eiso.improvements.calculations import add_months, late_share, repeats, risk_level, risk_score
from eiso.improvements.models import Nonconformity, Reminder, Risk
from eiso.improvements.tests.factories import implemented, make_action, make_nc

D = datetime.date


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(datetime.datetime(2026, 5, 4, 9, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.mark.parametrize(("likelihood", "impact", "level"), [
    (1, 1, "low"), (2, 2, "low"), (1, 4, "low"), (4, 1, "low"), (1, 5, "medium"), (3, 3, "medium"),
    (2, 5, "high"), (4, 4, "high"), (3, 5, "high"), (5, 4, "very_high"), (5, 5, "very_high")])
def test_risk_level_bands(likelihood, impact, level):
    assert risk_level(likelihood, impact) == level


def test_every_cell_has_a_level_and_levels_grow_with_the_score():
    order = ["low", "medium", "high", "very_high"]
    cells = sorted((risk_score(lk, i), order.index(risk_level(lk, i))) for lk in range(1, 6) for i in range(1, 6))
    assert [level for _score, level in cells] == sorted(level for _score, level in cells)
    for bad in ((0, 3), (6, 1), (3, 0)):
        with pytest.raises(ValueError):
            risk_level(*bad)


def test_add_months_keeps_the_day_or_takes_the_month_end():
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert add_months(D(2026, 3, 15), -24) == D(2024, 3, 15)
    assert add_months(D(2026, 12, 1), 1) == D(2027, 1, 1)


def test_repeats_same_clause_and_unit_within_twelve_months():
    rows = [(1, "8.5.1", 10, D(2025, 3, 1)), (2, "8.5.1", 10, D(2026, 3, 1)),  # exactly 12 months: repeat
            (3, "8.5.1", 10, D(2027, 3, 2)),  # 12 months and a day after 2: not a repeat
            (4, "8.5.1", 11, D(2025, 3, 2)),  # other unit
            (5, "7.5", 10, D(2025, 3, 2)),  # other clause
            (6, "7.5", None, D(2025, 3, 3)), (7, "7.5", None, D(2025, 3, 4))]  # no unit: never
    assert repeats(rows) == {1, 2}


def test_late_share():
    assert late_share(0, 0, 0) == 0
    assert late_share(1, 2, 1) == 25


@pytest.mark.django_db
def test_risk_scores_checked_by_the_service_and_the_database(agency_a, a_secretary):
    from django.db import IntegrityError, transaction

    from eiso.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        services.risk_create(actor=a_secretary, agency=agency_a, description="x", likelihood=6, impact=1)
    risk = services.risk_create(actor=a_secretary, agency=agency_a, description="x", likelihood=2, impact=3)
    assert risk.level == "medium"
    services.risk_update(actor=a_secretary, risk=risk, impact=5)
    assert Risk.objects.get(pk=risk.pk).level == "high"
    with pytest.raises(IntegrityError), transaction.atomic():
        Risk.objects.filter(pk=risk.pk).update(likelihood=0)


@pytest.mark.django_db
def test_unit_head_keeps_only_their_units_risks(agency_a, unit_a, one_stop_a, a_unit_head):
    services.risk_create(actor=a_unit_head, agency=agency_a, description="x", likelihood=1, impact=1, unit=unit_a)
    with pytest.raises(Forbidden):
        services.risk_create(actor=a_unit_head, agency=agency_a, description="y", likelihood=1, impact=1,
                             unit=one_stop_a)


@pytest.mark.django_db
def test_surfacing_per_agency_with_fixed_dates(agency_a, agency_b, unit_a, unit_b, a_staff, a_secretary, b_staff,
                                               overseer):
    make_nc(agency_a, a_staff, unit=unit_a, clause="8.5", detected_on=D(2025, 6, 1))  # repeats the next one
    lonely = make_nc(agency_a, a_staff, unit=unit_a, clause="8.5", detected_on=D(2026, 3, 1))
    overdue = make_action(make_nc(agency_a, a_staff, detected_on=D(2026, 1, 5)), a_secretary, a_staff,
                          due_on=D(2026, 2, 1))
    implemented(make_nc(agency_a, a_staff, detected_on=D(2026, 1, 6)), a_secretary, a_staff,
                verifier=a_secretary, verification_due_on=D(2026, 4, 1))
    make_nc(agency_b, b_staff, unit=unit_b, detected_on=D(2026, 2, 1))
    today = D(2026, 4, 2)
    rows = {r["agency"].code: r for r in selectors.attention_counts(overseer, today=today)}
    assert {k: rows["STP"][k] for k in ("without_action", "overdue", "verification_due", "repeats", "open")} == {
        "without_action": 2, "overdue": 1, "verification_due": 1, "repeats": 2, "open": 4}
    assert rows["SXD"]["without_action"] == 1 and rows["SXD"]["overdue"] == 0
    assert [r["agency"].code for r in selectors.attention_counts(b_staff, today=today)] == ["SXD"]
    assert lonely.pk in selectors.repeat_ids(a_staff, today=today)
    assert set(selectors.corrective_actions_for_user(a_staff, state="overdue", today=today)) == {overdue}
    assert not selectors.corrective_actions_for_user(a_staff, state="overdue", today=D(2026, 1, 31)).exists()


@pytest.mark.django_db
def test_reminders_mail_owners_and_verifiers_once_a_day(agency_a, a_staff, a_secretary,
                                                        django_capture_on_commit_callbacks):
    make_action(make_nc(agency_a, a_staff, detected_on=D(2026, 1, 15)), a_secretary, a_staff, due_on=D(2026, 2, 1))
    implemented(make_nc(agency_a, a_staff), a_secretary, a_staff, verifier=a_secretary,
                verification_due_on=D(2026, 4, 1))
    make_action(make_nc(agency_a, a_staff), a_secretary, a_staff, due_on=D(2026, 9, 1))  # not due
    mail.outbox.clear()
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("improvements", "remind", "--today", "2026-04-02", stdout=out)
    assert "2" in out.getvalue()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([a_staff.email, a_secretary.email])
    assert any("past due" in m.subject or "quá hạn" in m.subject or "NC-" in m.subject for m in mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("improvements", "remind", "--today", "2026-04-02", stdout=io.StringIO())
    assert len(mail.outbox) == 2  # idempotent within the day
    with django_capture_on_commit_callbacks(execute=True):
        call_command("improvements", "remind", "--today", "2026-04-03", stdout=io.StringIO())
    assert len(mail.outbox) == 4 and Reminder.objects.count() == 4


@pytest.mark.django_db
def test_remind_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("improvements", "remind", "--today", "2026-13-01")


def _rollups(agency, procedure, unit, *, late, on_time):
    DossierRollup.objects.create(agency=agency, admin_procedure=procedure, month=D(2026, 3, 1), step=1,
                                 unit=None, on_time=on_time, late=late)
    DossierRollup.objects.create(agency=agency, admin_procedure=procedure, month=D(2026, 3, 1), step=1,
                                 unit=unit, on_time=on_time, late=late)


@pytest.fixture
def tthc(agency_a, unit_a):
    from eiso.documents.services.revisions import document_create
    from eiso.procedures import services as procedure_services

    document = document_create(actor=None, agency=agency_a, code="QT-07", title="Quy trình cấp phiếu lý lịch",
                               kind="operational_procedure", owner_unit=unit_a)
    return procedure_services.admin_procedure_create(
        actor=None, agency=agency_a, code="1.004227", name="Cấp Phiếu lý lịch tư pháp", field="Lý lịch",
        time_limit_days=10, process_document=document)


@pytest.mark.django_db
def test_late_step_becomes_a_nonconformity_once(agency_a, unit_a, a_secretary, a_staff, tthc):
    _rollups(agency_a, tthc, unit_a, late=3, on_time=7)
    kwargs = {"agency": agency_a, "admin_procedure": tthc, "step": 1, "month_from": D(2026, 1, 1),
              "month_to": D(2026, 3, 1), "today": D(2026, 4, 2)}
    with pytest.raises(Forbidden):
        services.nonconformity_from_late_step(actor=a_staff, **kwargs)
    with pytest.raises(Conflict):  # 30 % is not above a 40 % threshold
        services.nonconformity_from_late_step(actor=a_secretary, threshold=40, **kwargs)
    nc = services.nonconformity_from_late_step(actor=a_secretary, **kwargs)
    assert (nc.source, nc.clause, nc.unit, nc.dossier_step, nc.document) == (
        "late_dossier", "8.5.1", unit_a, 1, tthc.process_document)
    assert "3" in nc.description and "10" in nc.description and "1.004227" in nc.description
    with pytest.raises(Conflict):  # one open nonconformity per step
        services.nonconformity_from_late_step(actor=a_secretary, **kwargs)


@pytest.mark.django_db
def test_late_step_button_posts_and_redirects(client_for, agency_a, unit_a, a_secretary, b_head, tthc):
    _rollups(agency_a, tthc, unit_a, late=5, on_time=5)
    data = {"admin_procedure": tthc.pk, "step": 1, "month_from": "2026-01-01", "month_to": "2026-03-01",
            "next": "/dossiers/statistics/"}
    url = reverse("improvements:nonconformity-from-late-step")
    assert client_for(b_head).post(url, data).status_code == 302  # their own agency: the TTHC is not found
    assert not Nonconformity.objects.exists()
    response = client_for(a_secretary).post(url, data)
    nc = Nonconformity.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("improvements:nonconformity-detail",
                                                                            args=[nc.pk])
    # Pressed again (or by a colleague): no second one, the page of the one recorded.
    again = client_for(a_secretary).post(url, data)
    assert again["Location"] == reverse("improvements:nonconformity-detail", args=[nc.pk])
    assert Nonconformity.objects.count() == 1


@pytest.mark.django_db
def test_dossier_statistics_offer_the_button_to_managers_only(client_for, agency_a, unit_a, a_secretary, a_staff,
                                                             tthc):
    _rollups(agency_a, tthc, unit_a, late=5, on_time=5)
    url = reverse("dossiers:statistics") + "?from=2026-01&to=2026-03"
    button = reverse("improvements:nonconformity-from-late-step")
    page = client_for(a_secretary).get(url).content.decode()
    assert button in page and 'name="month_from" value="2026-01-01"' in page
    assert button not in client_for(a_staff).get(url).content.decode()


@pytest.mark.django_db
def test_dossier_statistics_show_the_nonconformity_of_a_step_once_recorded(client_for, agency_a, unit_a,
                                                                         a_secretary, a_staff, b_head, tthc):
    _rollups(agency_a, tthc, unit_a, late=5, on_time=5)
    url = reverse("dossiers:statistics") + "?from=2026-01&to=2026-03"
    button = reverse("improvements:nonconformity-from-late-step")
    nc = services.nonconformity_from_late_step(actor=a_secretary, agency=agency_a, admin_procedure=tthc, step=1,
                                               month_from=D(2026, 1, 1), month_to=D(2026, 3, 1))
    link = reverse("improvements:nonconformity-detail", args=[nc.pk])
    for user in (a_secretary, a_staff):  # everyone of the agency sees the one recorded, nobody a new button
        page = client_for(user).get(url).content.decode()
        assert link in page and nc.code in page and button not in page
    assert link not in client_for(b_head).get(reverse("dossiers:statistics")).content.decode()


@pytest.mark.django_db
def test_dossier_statistics_kept_step_table_carries_each_requests_csrf_token(client_for, agency_a, unit_a,
                                                                            a_secretary, tthc):
    """The step table is kept between requests (a template fragment), its buttons' CSRF token is not:
    each page's button holds that page's own token, the one its CSRF cookie checks."""
    from django.middleware.csrf import _unmask_cipher_token

    _rollups(agency_a, tthc, unit_a, late=5, on_time=5)
    url = reverse("dossiers:statistics") + "?from=2026-01&to=2026-03"
    button = reverse("improvements:nonconformity-from-late-step")
    for _attempt in range(2):  # the second client reads the kept table
        client = client_for(a_secretary)
        response = client.get(url)
        page = response.content.decode()
        form = page[page.index(f'action="{button}"'):]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        assert _unmask_cipher_token(token) == response.cookies["csrftoken"].value
        assert "eiso-csrf-token" not in page
