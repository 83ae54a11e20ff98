"""The quality cards of the dashboards: dossiers to watch, this year's on-time rate, TTHC coverage,
improvements needing attention (agency users), and the province table (overseers).

The clock stands at Monday 20 April 2026, 10:00 in Hà Nội. Dossiers come from
``eiso.dossiers.tests.factories.statistics`` (agency A finished D1–D5 in 2026: 2 early, 1 on time,
2 late; D6 open and overdue since 11 March; agency B finished DB1 late), plus:

- D7 (A): received Thursday 16 April 08:00, due Monday 20 April 17:00: due soon.
- DB2 (B): received Monday 6 April 08:00, never finished: overdue, and never on A's dashboard.
"""

import datetime as dt
import json
import re

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from eiso.documents.services.revisions import revision_issue_imported
from eiso.dossiers.selectors.lists import dossier_tab_counts
from eiso.dossiers.services.recording import dossier_events_record
from eiso.dossiers.tests.factories.indexes import dossier_reads, open_index_condition
from eiso.dossiers.tests.factories.statistics import build, dossier_rows, t
from eiso.feedback.services import complaint_create
from eiso.improvements.tests.factories import D, implemented, make_action, make_nc
from eiso.organizations.choices import Role
from eiso.organizations.tests.factories import make_user
from eiso.procedures.imports import IMPORTED_SUMMARY

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 4, 20, 3, 0, tzinfo=dt.UTC)  # 10:00 in Hà Nội


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(agency_a, unit_a, one_stop_a, agency_b, unit_b, a_secretary, b_head, a_staff, b_staff):
    p1, p2, pb, _extra = build(agency_a=agency_a, unit_a=unit_a, one_stop_a=one_stop_a, agency_b=agency_b,
                               unit_b=unit_b, a_secretary=a_secretary, b_head=b_head)
    dossier_events_record(actor=a_secretary, source="test", rows=dossier_rows(
        "D7", "STP", "1.004227", t(2026, 4, 16, 8), [t(2026, 4, 16, 9)], None))
    dossier_events_record(actor=b_head, source="test", rows=dossier_rows(
        "DB2", "SXD", "2.000001", t(2026, 4, 6, 8), [], None))
    revision_issue_imported(actor=None, document=p1.process_document, summary=IMPORTED_SUMMARY,
                            on=D(2026, 1, 5))
    # A: one nonconformity without an action, one action past due, one waiting for its verification.
    make_nc(agency_a, a_secretary)
    make_action(make_nc(agency_a, a_secretary), a_secretary, a_staff, due_on=D(2026, 4, 1))
    implemented(make_nc(agency_a, a_secretary), a_secretary, a_staff, due_on=D(2026, 4, 1),
                verification_due_on=D(2026, 4, 15))
    # B: an action past due and a nonconformity without one.
    make_action(make_nc(agency_b, b_head), b_head, b_staff, due_on=D(2026, 4, 1))
    make_nc(agency_b, b_head)
    # A: a complaint received on 3 March, due ten working days later (17 March): past due.
    complaint_create(actor=a_staff, agency=agency_a, received_on=D(2026, 3, 3), person="Công dân",
                     content="Phản ánh chậm trả kết quả")
    return {"p1": p1, "p2": p2, "pb": pb}


def dashboard(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response, response.content.decode()


def chart(body, name):
    start = body.index(">", body.index(f'<script id="{name}"')) + 1
    return json.loads(body[start:body.index("</script>", start)])


@pytest.mark.parametrize("role", ["secretary", "head", "unit_head", "staff"])
def test_agency_users_see_their_agency_cards(world, client_for, role, a_secretary, a_head, a_unit_head, a_staff):
    user = {"secretary": a_secretary, "head": a_head, "unit_head": a_unit_head, "staff": a_staff}[role]
    response, body = dashboard(client_for(user, language="en"))
    deadlines = response.context["deadlines"]
    assert (deadlines["overdue"], deadlines["due_soon"]) == (1, 1)
    assert [d.code for d in deadlines["overdue_list"]] == ["D6"]
    assert [d.code for d in deadlines["due_soon_list"]] == ["D7"]
    assert "DB2" not in body  # agency B's overdue dossier
    assert f"{reverse('dossiers:dossier-list')}?tab=overdue" in body
    assert f"{reverse('dossiers:dossier-list')}?tab=due_soon" in body

    year = response.context["year_ontime"]
    assert (year["year"], year["counts"].total, year["counts"].late, year["counts"].on_time_rate) == (2026, 5, 2, 60.0)
    spark = chart(body, "chart-year")
    assert spark["labels"] == ["01/2026", "02/2026", "03/2026", "04/2026"]
    assert spark["datasets"][0]["data"] == [None, None, 50.0, 100.0]  # March: D1, D3 of D1, D2, D3, D5
    assert body.count("vendor/chartjs/chart.umd.min.js") == 1 and body.count('src="/static/eiso/charts.js"') == 1

    coverage = response.context["coverage"]
    assert (coverage["covered"], coverage["total"]) == (1, 2)  # P1 in force, P2 draft; B's not counted
    assert reverse("procedures:adminprocedure-coverage") in body

    attention = response.context["attention"]
    assert (attention["without_action"], attention["overdue"], attention["verification_due"]) == (1, 1, 1)
    assert f"{reverse('improvements:corrective-action-list')}?state=overdue" in body
    assert attention["complaints_overdue"] == 1  # the complaint of 3 March, due 17 March
    assert f"{reverse('feedback:complaint-list')}?state=overdue" in body
    assert reverse("improvements:attention") in body


def test_the_deadline_counts_are_the_dossier_list_tabs(world, a_secretary):
    """The card reads only running dossiers; its numbers are those of the list's tabs."""
    from eiso.dashboard.selectors import deadlines
    tabs = dossier_tab_counts(a_secretary, now=NOW)
    card = deadlines(a_secretary, now=NOW)
    assert (card["overdue"], card["due_soon"]) == (tabs["overdue"], tabs["due_soon"]) == (1, 1)


def test_the_deadline_card_is_read_from_the_open_dossiers_index(world, a_secretary):
    """Its counts and lists hold the condition of the open dossiers' partial index word for word
    (the open statuses sorted, as the list's tabs write them): SQLite reads that index only then."""
    from eiso.dashboard.selectors import deadlines
    condition = open_index_condition()
    with CaptureQueriesContext(connection) as ctx:
        card = deadlines(a_secretary, now=NOW)
    assert (card["overdue"], card["due_soon"]) == (1, 1)
    reads = dossier_reads(ctx.captured_queries)
    assert len(reads) == 3 and all(condition in sql for sql in reads)  # the counts, then each list


def test_other_agency_sees_only_its_own(world, client_for, b_staff):
    response, body = dashboard(client_for(b_staff))
    deadlines = response.context["deadlines"]
    assert (deadlines["overdue"], deadlines["due_soon"]) == (1, 0)
    assert [d.code for d in deadlines["overdue_list"]] == ["DB2"]
    # Another agency's dossier codes never show (as text: "D6" may occur inside a random CSRF token).
    assert not re.search(r">\s*D[67]\s*<", body)
    assert response.context["year_ontime"]["counts"].total == 1  # DB1, late
    assert response.context["coverage"]["total"] == 1
    attention = response.context["attention"]
    assert (attention["without_action"], attention["overdue"], attention["verification_due"]) == (1, 1, 0)
    assert attention["complaints_overdue"] == 0  # agency A's complaint is not B's


def test_empty_agency_shows_zeros_and_a_hint(client_for, a_staff):
    response, body = dashboard(client_for(a_staff, language="en"))
    assert response.context["deadlines"]["overdue"] == 0
    assert response.context["year_ontime"]["counts"].on_time_rate is None
    assert "No dossier is overdue or due soon." in body
    assert "No TTHC in the catalogue yet." in body


def test_overseer_table_and_chart(world, client_for, overseer, agency_a, agency_b, agency_q):
    response, body = dashboard(client_for(overseer))
    rows = {a.code: a for a in response.context["agencies"]}
    stp, sxd = rows["STP"], rows["SXD"]
    assert (stp.ontime.total, stp.ontime.on_time_rate) == (5, 60.0)
    assert (sxd.ontime.total, sxd.ontime.on_time_rate) == (1, 0.0)
    assert (stp.coverage["covered"], stp.coverage["total"], sxd.coverage["total"]) == (1, 2, 1)
    assert (stp.open_actions, stp.actions_overdue, sxd.open_actions, sxd.actions_overdue) == (2, 1, 1, 1)
    totals = response.context["province_totals"]
    assert (totals["open_actions"], totals["actions_overdue"], totals["covered"], totals["tthc"]) == (3, 2, 1, 3)
    spec = chart(body, "chart-ontime-agencies")
    assert spec["datasets"][0]["data"] == [0.0, 60.0]  # lowest first
    assert "QT-STP" not in rows  # another province
    assert "deadlines" not in response.context  # no agency cards for overseers


def test_other_province_overseer_sees_none_of_it(world, client_for, q_overseer):
    response, _body = dashboard(client_for(q_overseer))
    totals = response.context["province_totals"]
    assert (totals["open_actions"], totals["tthc"]) == (0, 0)
    assert all(a.ontime is None or a.ontime.total == 0 for a in response.context["agencies"])


def _count(client) -> int:
    """The queries of computing the dashboard (its cached copy dropped first)."""
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("dashboard")).status_code == 200
    return len(ctx.captured_queries)


MAX_AGENCY_QUERIES = 45
MAX_OVERSEER_QUERIES = 30


def _more_data(agency_a, unit_a, one_stop_a, a_secretary, a_staff, n=12):
    """More dossiers (open and overdue, finished), nonconformities, actions and people."""
    rows = []
    for i in range(n):
        rows += dossier_rows(f"M{i}", "STP", "1.004227", t(2026, 4, 1 + i % 5, 8), [t(2026, 4, 1 + i % 5, 9)],
                             None if i % 2 else t(2026, 4, 8, 10))
    dossier_events_record(actor=a_secretary, rows=rows, source="test")
    for _ in range(n):
        make_action(make_nc(agency_a, a_secretary), a_secretary, a_staff, due_on=D(2026, 4, 1))
        make_user(agency_a, [Role.STAFF], unit=unit_a)


@pytest.mark.parametrize("role", ["a_secretary", "a_staff", "a_head", "a_unit_head"])
def test_agency_dashboard_queries_are_bounded(request, world, client_for, django_assert_max_num_queries, role,
                                              agency_a, unit_a, one_stop_a, a_secretary, a_staff):
    """Every role of an agency: the same number of queries with a few objects and with many more."""
    user = request.getfixturevalue(role)
    client = client_for(user)
    client.get(reverse("dashboard"))
    few = _count(client)
    assert few <= MAX_AGENCY_QUERIES
    _more_data(agency_a, unit_a, one_stop_a, a_secretary, a_staff)
    with django_assert_max_num_queries(few):
        response = client.get(reverse("dashboard"))
    assert response.context["deadlines"]["overdue"] > 1


def test_overseer_dashboard_queries_are_bounded(world, client_for, django_assert_max_num_queries, overseer,
                                                agency_a, unit_a, one_stop_a, a_secretary, a_staff):
    client = client_for(overseer)
    client.get(reverse("dashboard"))
    few = _count(client)
    assert few <= MAX_OVERSEER_QUERIES
    _more_data(agency_a, unit_a, one_stop_a, a_secretary, a_staff)
    with django_assert_max_num_queries(few):
        response = client.get(reverse("dashboard"))
    assert response.context["province_totals"]["open_actions"] > 3


# --- the province's dashboard, assembled from figures kept per agency ---------------------------------

def _province_figures(user):
    """What the province's selectors compute in one go, for the reader the page was assembled for."""
    from django.db.models import Count

    from eiso.dossiers.selectors import statistics as statistics_selectors
    from eiso.improvements.models import CorrectiveAction
    from eiso.improvements.permissions import policy as improvements_policy
    from eiso.improvements.selectors import OPEN_ACTION_STATUSES, attention_counts
    from eiso.procedures.selectors import coverage_by_agency

    summary = statistics_selectors.dashboard_summary(user)
    query = statistics_selectors.StatsQuery(start=summary.start, end=summary.end)
    return {"summary": summary,
            "ontime": {r.key: r for r in statistics_selectors.by_agency(user, query)},
            "coverage": {r["agency_id"]: r for r in coverage_by_agency(user)},
            # Corrective actions not closed yet, per agency the user reads: counted here, not by the
            # selector the page uses (improvements.selectors.actions_by_agency).
            "open_actions": dict(improvements_policy.filter(user, "view_correctiveaction", CorrectiveAction.objects)
                                 .filter(nonconformity__status__in=OPEN_ACTION_STATUSES)
                                 .order_by().values_list("agency_id").annotate(n=Count("id"))),
            "overdue": {r["agency"].pk: r["overdue"] for r in attention_counts(user)}}


def _assert_the_province_s(response, user):
    expected = _province_figures(user)
    context = response.context
    assert context["ontime"] == expected["summary"]
    for a in context["agencies"]:
        assert a.ontime == expected["ontime"].get(a.pk)
        assert a.coverage == expected["coverage"].get(a.pk)
        assert (a.open_actions, a.actions_overdue) == (expected["open_actions"].get(a.pk, 0),
                                                       expected["overdue"].get(a.pk, 0))
    totals = context["province_totals"]
    assert totals["open_actions"] == sum(expected["open_actions"].values())
    assert totals["actions_overdue"] == sum(expected["overdue"].values())
    assert (totals["covered"], totals["tthc"]) == (sum(r["covered"] for r in expected["coverage"].values()),
                                                   sum(r["total"] for r in expected["coverage"].values()))


def _without_tokens(body: str) -> str:
    return re.sub(r'(csrfmiddlewaretoken" value=|csrf-token" content=)"[^"]+"', r"\1", body)


def test_the_overseer_s_figures_kept_per_agency_are_the_province_s(world, client_for, overseer, agency_a,
                                                                      agency_b, a_secretary):
    """Assembled from each agency's figures, the card, the table and the totals are those the
    province's selectors compute in one go: first, and after a write in agency A (A's figures
    recomputed, B's kept), when A's new dossier shows at once."""
    client = client_for(overseer)
    response, _body = dashboard(client)
    _assert_the_province_s(response, overseer)
    before = {a.pk: a for a in response.context["agencies"]}
    dossier_events_record(actor=a_secretary, source="test", rows=dossier_rows(
        "D8", "STP", "1.004227", t(2026, 4, 13, 8), [t(2026, 4, 13, 9)], t(2026, 4, 14, 10)))
    response, _body = dashboard(client)
    _assert_the_province_s(response, overseer)
    after = {a.pk: a for a in response.context["agencies"]}
    assert after[agency_a.pk].ontime.total == before[agency_a.pk].ontime.total + 1
    assert after[agency_b.pk].ontime == before[agency_b.pk].ontime
    assert response.context["ontime"].counts.total == before[agency_a.pk].ontime.total + 1 + after[
        agency_b.pk].ontime.total


@pytest.mark.parametrize("reader", ["overseer", "admin_user"])
def test_the_province_s_page_kept_per_agency_is_the_page_computed_afresh(request, world, client_for, reader,
                                                                         agency_a, unit_a):
    """The page an overseer or an administrator is shown after a write in one agency (that agency's
    figures recomputed, the others' kept) is, byte for byte, the page computed with nothing kept."""
    from eiso.organizations.tests.factories import SteeringCommitteeFactory, UnitFactory

    client = client_for(request.getfixturevalue(reader))
    _response, first = dashboard(client)
    UnitFactory(agency=agency_a, name="Phòng mới")
    SteeringCommitteeFactory(agency=agency_a)
    _response, kept = dashboard(client)
    cache.clear()
    _response, afresh = dashboard(client)
    assert _without_tokens(kept) == _without_tokens(afresh)
    assert _without_tokens(kept) != _without_tokens(first)  # the new unit and committee show


def test_an_agency_s_kept_figures_stay_through_another_agency_s_writes(world, client_for, monkeypatch, overseer,
                                                                      admin_user, agency_a, agency_b, dost,
                                                                      django_assert_num_queries):
    """The overseer's and the administrator's figures of each agency are kept per agency: a write in
    A recomputes A's alone (one read of each figure, for A only), a write of no one agency every
    agency's."""
    from eiso.dashboard import selectors as dashboard_selectors
    from eiso.organizations.tests.factories import AgencyFactory, UnitFactory

    computed, compute = [], dashboard_selectors.province_parts

    def recorded(user, ids, **kw):
        computed.append((user.username, sorted(ids)))
        return compute(user, ids, **kw)

    monkeypatch.setattr(dashboard_selectors, "province_parts", recorded, raising=False)
    clients = {user.username: client_for(user) for user in (overseer, admin_user)}
    for client in clients.values():
        dashboard(client)
    every = sorted([agency_a.pk, agency_b.pk, dost.pk])
    assert sorted(computed) == [("admin_p", every), ("overseer", every)]
    computed.clear()
    UnitFactory(agency=agency_a, name="Phòng mới")  # a write of agency A's data
    # The session's user and the data generation; the agencies read; A's figures: units, people and
    # committee, months' on-time counts, open dossiers, TTHC coverage, corrective actions.
    with django_assert_num_queries(8):
        dashboard(clients["overseer"])
    # The same, A's units, people and committee alone; and the recent changes.
    with django_assert_num_queries(5):
        dashboard(clients["admin_p"])
    assert computed == [("overseer", [agency_a.pk]), ("admin_p", [agency_a.pk])]
    computed.clear()
    UnitFactory(agency=agency_b, name="Phòng mới")
    dashboard(clients["overseer"])
    assert computed == [("overseer", [agency_b.pk])]
    computed.clear()
    AgencyFactory(province=agency_a.province)  # not one agency's data alone: every agency's again
    response, _body = dashboard(clients["overseer"])
    assert computed == [("overseer", sorted(a.pk for a in response.context["agencies"]))]


def test_the_province_s_figures_are_given_for_every_agency_asked(world, overseer, agency_a):
    """An agency the page read but whose row is gone when its figures are computed (deleted meanwhile)
    gets empty figures, not a missing entry."""
    from eiso.dashboard.selectors import province_parts
    from eiso.dossiers.selectors.statistics import StatsQuery

    parts = province_parts(overseer, [agency_a.pk, 987654], query=StatsQuery(start=dt.date(2025, 5, 1),
                                                                             end=dt.date(2026, 4, 1)),
                           today=dt.date(2026, 4, 20))
    assert parts[987654] == {"unit_count": 0, "people_count": 0, "has_committee": False, "months": {},
                             "now": {"open": 0, "overdue": 0}, "coverage": None, "actions": {"open": 0, "overdue": 0}}
    assert parts[agency_a.pk]["unit_count"] >= 1 and parts[agency_a.pk]["months"]
