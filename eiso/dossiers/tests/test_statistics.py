"""On-time statistics: the pure rates, and the selectors over rollups recorded through the
recording service (the dossiers of ``factories.statistics``)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from eiso.core.errors import NotFound, ValidationFailed
from eiso.dossiers import rates
from eiso.dossiers.choices import OPEN_STATUSES
from eiso.dossiers.rates import Counts
from eiso.dossiers.selectors import statistics as stats
from eiso.dossiers.tests.factories.indexes import dossier_reads, open_index_condition
from eiso.dossiers.tests.factories.statistics import APRIL, MARCH, build, t

TODAY = dt.date(2026, 4, 20)


# --- pure -------------------------------------------------------------------------------------------

def test_on_time_rate_counts_early_and_on_time():
    assert rates.on_time_rate(2, 1, 2) == 60.0
    assert rates.late_rate(2, 1, 2) == 40.0
    assert rates.on_time_rate(0, 0, 3) == 0.0
    assert rates.on_time_rate(1, 2, 0) == 100.0
    assert rates.on_time_rate(1, 1, 1) == 66.7


def test_no_dossiers_has_no_rate_not_zero():
    assert rates.on_time_rate(0, 0, 0) is None
    assert rates.late_rate(0, 0, 0) is None
    assert Counts().on_time_rate is None and Counts().total == 0


def test_counts_add_up():
    c = Counts(1, 2, 3) + Counts(4, 5, 6)
    assert (c.early, c.on_time, c.late, c.total, c.in_time) == (5, 7, 9, 21, 12)
    assert c.on_time_rate == 57.1 and c.late_rate == 42.9


def test_rank_shares_places_and_skips_missing():
    assert rates.rank([80.0, None, 95.5, 80.0, 10.0]) == [2, None, 1, 2, 4]
    assert rates.rank([]) == []


def test_months():
    assert rates.parse_month("2026-03") == MARCH
    assert rates.parse_month("2026-3") == MARCH
    for bad in ("", "2026-13", "2026-00", "03/2026", "2026-03-01", "abcd-ef", "0999-01"):
        assert rates.parse_month(bad) is None, bad
    assert rates.months_between(dt.date(2025, 11, 1), dt.date(2026, 2, 1)) == [
        dt.date(2025, 11, 1), dt.date(2025, 12, 1), dt.date(2026, 1, 1), dt.date(2026, 2, 1)]
    assert rates.months_between(APRIL, MARCH) == []
    assert rates.month_count(dt.date(2025, 11, 1), dt.date(2026, 2, 1)) == 4
    assert rates.default_period(dt.date(2026, 4, 20)) == (dt.date(2025, 5, 1), APRIL)
    assert rates.default_period(dt.date(2026, 1, 31), 3) == (dt.date(2025, 11, 1), dt.date(2026, 1, 1))


def test_period_errors():
    assert rates.period_errors(MARCH, APRIL) == []
    assert rates.period_errors(None, APRIL) == ["from"]
    assert rates.period_errors(None, None) == ["from", "to"]
    assert rates.period_errors(APRIL, MARCH) == ["order"]
    assert rates.period_errors(dt.date(2000, 1, 1), dt.date(2009, 12, 1)) == []  # 120 months
    assert rates.period_errors(dt.date(2000, 1, 1), dt.date(2010, 1, 1)) == ["length"]


# --- selectors --------------------------------------------------------------------------------------

@pytest.fixture
def world(agency_a, unit_a, one_stop_a, agency_b, unit_b, a_secretary, b_head):
    p1, p2, pb, _extra = build(agency_a=agency_a, unit_a=unit_a, one_stop_a=one_stop_a, agency_b=agency_b,
                               unit_b=unit_b, a_secretary=a_secretary, b_head=b_head)
    return {"p1": p1, "p2": p2, "pb": pb}


def q(user, **kw):
    return stats.statistics_query(user, start="2026-03", end="2026-04", today=TODAY, **kw)


def table(rows, key=lambda r: r.key):
    return {key(r): (r.early, r.on_time, r.late) for r in rows}


@pytest.mark.django_db
def test_totals_and_months_of_an_agency(world, a_staff):
    query = q(a_staff)
    totals = stats.totals(a_staff, query)
    assert (totals.early, totals.on_time, totals.late, totals.on_time_rate) == (2, 1, 2, 60.0)
    months = stats.by_month(a_staff, query)
    assert [(r.month, r.early, r.on_time, r.late) for r in months] == [(MARCH, 1, 1, 2), (APRIL, 1, 0, 0)]


@pytest.mark.django_db
def test_months_without_dossiers_are_listed_with_zeros(world, a_staff):
    query = stats.statistics_query(a_staff, start="2026-01", end="2026-05", today=TODAY)
    months = stats.by_month(a_staff, query)
    assert [r.key for r in months] == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"]
    assert [r.total for r in months] == [0, 0, 4, 1, 0]
    assert months[0].on_time_rate is None


@pytest.mark.django_db
def test_per_procedure(world, a_staff):
    rows = stats.by_procedure(a_staff, q(a_staff))
    assert table(rows) == {world["p1"].pk: (2, 1, 1), world["p2"].pk: (0, 0, 1)}
    p1 = next(r for r in rows if r.key == world["p1"].pk)
    assert (p1.code, p1.on_time_rate, p1.late_rate, p1.agency) == ("1.004227", 75.0, 25.0, "STP")
    assert [r.code for r in stats.sort_rows(rows, "late")] == ["1.000002", "1.004227"]
    assert [r.code for r in stats.sort_rows(rows, "rate")] == ["1.004227", "1.000002"]
    assert [r.code for r in stats.sort_rows(rows, "total")] == ["1.004227", "1.000002"]


@pytest.mark.django_db
def test_per_step_names_the_steps_that_run_late(world, a_staff):
    rows = stats.by_step(a_staff, q(a_staff))
    by_key = {(r.code, r.step): r for r in rows}
    assert {k: (r.early, r.on_time, r.late) for k, r in by_key.items()} == {
        ("1.004227", 1): (0, 4, 1),  # the open D6 finished its first step on time
        ("1.004227", 2): (2, 1, 1),
        ("1.004227", 3): (0, 4, 0),
        ("1.000002", 1): (0, 0, 1),
        ("1.000002", 2): (0, 0, 1),
        ("1.000002", 3): (0, 1, 0),
    }
    step2 = by_key[("1.004227", 2)]
    assert (step2.label, step2.unit) == ("Thẩm định, trình ký", "Phòng Hành chính tư pháp")
    worst = stats.sort_rows(rows, "late")
    assert [(r.code, r.step) for r in worst[:2]] == [("1.000002", 1), ("1.000002", 2)]


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["late", "rate", "total", "name"])
@pytest.mark.parametrize("group", ["procedure", "step", "unit"])
def test_top_rows_ordered_in_the_database_match_the_full_table(world, overseer, group, sort):
    query = q(overseer)
    everything = stats.sort_rows(stats.statistics_rows(overseer, query, group), sort)
    rows, count = stats.top_rows(overseer, query, group, sort, 2)
    assert count == len(everything) and count > 2
    assert [(r.key, r.early, r.on_time, r.late) for r in rows] == [
        (r.key, r.early, r.on_time, r.late) for r in everything[:2]]


@pytest.mark.django_db
def test_per_unit(world, a_staff, unit_a, one_stop_a):
    rows = stats.by_unit(a_staff, q(a_staff))
    assert table(rows) == {one_stop_a.pk: (0, 9, 2), unit_a.pk: (2, 1, 2)}
    assert {r.label for r in rows} == {"Bộ phận Một cửa", "Phòng Hành chính tư pháp"}


@pytest.mark.django_db
def test_filters_by_procedure_field_and_period(world, a_staff):
    only_p2 = q(a_staff, procedure=str(world["p2"].pk))
    assert table(stats.by_procedure(a_staff, only_p2)) == {world["p2"].pk: (0, 0, 1)}
    assert stats.totals(a_staff, q(a_staff, field="Hộ tịch")).total == 5
    assert stats.totals(a_staff, q(a_staff, field="Xây dựng")).total == 0
    april = stats.statistics_query(a_staff, start="2026-04", end="2026-04", today=TODAY)
    assert table(stats.by_procedure(a_staff, april)) == {world["p1"].pk: (1, 0, 0)}


@pytest.mark.django_db
def test_procedure_by_month(world, a_staff):
    rows = stats.by_procedure_month(a_staff, q(a_staff))
    assert [(r.code, r.month, r.early, r.on_time, r.late) for r in rows] == [
        ("1.000002", MARCH, 0, 0, 1), ("1.004227", MARCH, 1, 1, 1), ("1.004227", APRIL, 1, 0, 0)]


@pytest.mark.django_db
def test_open_and_overdue_now(world, a_staff):
    assert stats.open_now(a_staff, q(a_staff), now=t(2026, 3, 20, 9)) == {"open": 1, "overdue": 1}
    assert stats.open_now(a_staff, q(a_staff), now=t(2026, 3, 10, 9)) == {"open": 1, "overdue": 0}


@pytest.mark.django_db
def test_open_now_is_read_from_the_open_dossiers_index(world, a_staff, overseer, agency_a):
    # The open statuses in the index's order (sorted), never a set's (it changes with the hash seed):
    # SQLite reads the partial index dossier_open_due_idx only for its condition word for word.
    condition = open_index_condition()
    assert all(f"'{status}'" in condition for status in OPEN_STATUSES)
    for user in (a_staff, overseer):
        with CaptureQueriesContext(connection) as ctx:
            assert stats.open_now(user, q(user), now=t(2026, 3, 20, 9))["open"] == 1
        reads = dossier_reads(ctx.captured_queries)
        assert len(reads) == 1 and condition in reads[0]
    with CaptureQueriesContext(connection) as ctx:
        assert stats.open_now_by_agency(overseer, q(overseer), [agency_a.pk], now=t(2026, 3, 20, 9)) == {
            agency_a.pk: {"open": 1, "overdue": 1}}
    reads = dossier_reads(ctx.captured_queries)
    assert len(reads) == 1 and condition in reads[0]


@pytest.mark.django_db
def test_overseer_sees_every_agency_of_the_province_ranked(world, overseer, agency_a, agency_b):
    query = q(overseer)
    assert stats.totals(overseer, query).total == 6
    rows = stats.by_agency(overseer, query)
    assert [(r.key, r.rank, r.early, r.on_time, r.late) for r in rows] == [
        (agency_a.pk, 1, 2, 1, 2), (agency_b.pk, 2, 0, 0, 1)]
    assert {r.code for r in stats.by_procedure(overseer, query)} == {"1.004227", "1.000002", "2.000001"}
    only_b = q(overseer, agency=str(agency_b.pk))
    assert table(stats.by_agency(overseer, only_b)) == {agency_b.pk: (0, 0, 1)}
    assert stats.totals(overseer, only_b).late == 1


@pytest.mark.django_db
def test_by_agency_lists_agencies_with_data_and_active_ones_with_a_catalogue(world, overseer, agency_a, agency_b,
                                                                             dost):
    from eiso.procedures.models import AdminProcedure

    query = q(overseer)
    assert [r.key for r in stats.by_agency(overseer, query)] == [agency_a.pk, agency_b.pk]  # no TTHC: not listed
    # An abolished TTHC is a catalogue too: the agency is listed, without data (last, unranked).
    AdminProcedure.objects.create(agency=dost, code="9.000001", name="Thủ tục cũ", time_limit_days=5, is_active=False)
    rows = stats.by_agency(overseer, query)
    assert [(r.key, r.rank, r.total) for r in rows] == [(agency_a.pk, 1, 5), (agency_b.pk, 2, 1), (dost.pk, None, 0)]
    # Ended: an agency is listed only for its data.
    for agency in (dost, agency_b):
        agency.valid_from, agency.valid_to = dt.date(2000, 1, 1), dt.date(2000, 12, 31)
        agency.save(update_fields=["valid_from", "valid_to"])
    assert [r.key for r in stats.by_agency(overseer, query)] == [agency_a.pk, agency_b.pk]


@pytest.mark.django_db
def test_another_province_and_another_agency_see_nothing(world, q_overseer, b_staff, agency_a):
    for user in (q_overseer, b_staff):
        query = q(user)
        readers = (stats.by_procedure, stats.by_step, stats.by_unit, stats.by_procedure_month)
        codes = {r.code for reader in readers for r in reader(user, query)}
        assert "1.004227" not in codes and "1.000002" not in codes
        assert agency_a.pk not in {r.key for r in stats.by_agency(user, query)}
    assert stats.totals(q_overseer, q(q_overseer)).total == 0
    assert stats.totals(b_staff, q(b_staff)).late == 1  # only B's own dossier
    assert stats.open_now(b_staff, q(b_staff)) == {"open": 0, "overdue": 0}


@pytest.mark.django_db
def test_an_agency_or_procedure_outside_scope_is_not_found(world, b_staff, agency_a):
    with pytest.raises(NotFound):
        q(b_staff, agency=str(agency_a.pk))
    with pytest.raises(NotFound):
        q(b_staff, procedure=str(world["p1"].pk))
    with pytest.raises(NotFound):
        q(b_staff, agency="abc")


@pytest.mark.django_db
def test_a_bad_period_is_refused(a_staff):
    with pytest.raises(ValidationFailed) as exc:
        stats.statistics_query(a_staff, start="2026-13", end="2026-04", today=TODAY)
    assert "from" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        stats.statistics_query(a_staff, start="2026-05", end="2026-04", today=TODAY)
    assert "to" in exc.value.errors
    query = stats.statistics_query(a_staff, today=TODAY)
    assert (query.start, query.end) == (dt.date(2025, 5, 1), APRIL)
    query = stats.statistics_query(a_staff, start="2026-06", today=TODAY)  # a start after today: one month
    assert (query.start, query.end) == (dt.date(2026, 6, 1), dt.date(2026, 6, 1))


@pytest.mark.django_db
def test_agency_summary_for_the_dashboard(world, a_head, agency_a, agency_b):
    summary = stats.agency_summary(a_head, agency_a, today=TODAY, now=t(2026, 3, 20, 9))
    assert (summary.counts.total, summary.counts.on_time_rate, summary.open, summary.overdue) == (5, 60.0, 1, 1)
    assert len(summary.months) == 12 and summary.end == APRIL
    assert stats.agency_summary(a_head, agency_b, today=TODAY) is None
    assert stats.agency_summary(a_head, None, today=TODAY) is None
