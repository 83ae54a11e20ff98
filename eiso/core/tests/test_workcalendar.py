"""The working-time engine: properties (hypothesis) and the cases DOMAIN.md §5 names.

Pure functions on fixed dates: no database, no clock.
"""

import datetime as dt
import json
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eiso.core import workcalendar as wc
from eiso.core.workcalendar import WorkCalendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NATIONAL = wc.national_calendar()
# An agency with unusual office hours (three periods, one with seconds) and exceptions of its own.
ODD = WorkCalendar(
    periods=(("07:30", "11:30"), ("13:30", "16:30:30"), ("17:00", "18:00")),
    extra_days_off={dt.date(2026, 3, 9): "Đại hội công chức", dt.date(2025, 12, 31): "Kiểm kê"},
    extra_working_days={dt.date(2026, 3, 14): "Làm việc thứ Bảy", dt.date(2026, 4, 30): "Trực lễ"},
)
CALENDARS = [NATIONAL, ODD]
PROPS = settings(max_examples=200, deadline=None, database=None)


def at(*args, tz=VN):
    return dt.datetime(*args, tzinfo=tz)


# --- strategies --------------------------------------------------------------------------------------

FIRST = at(2024, 6, 1)
SPAN_MINUTES = (at(2027, 10, 1) - FIRST) // dt.timedelta(minutes=1)


@st.composite
def instants(draw):
    """Instants 2024–2027 in Vietnam time: mostly whole minutes, sometimes odd microseconds."""
    start = FIRST + dt.timedelta(minutes=draw(st.integers(0, SPAN_MINUTES)))
    if draw(st.booleans()):
        start += dt.timedelta(microseconds=draw(st.integers(0, 59_999_999)))
    if draw(st.integers(0, 9)) == 0:  # now and then in another zone: the same instant
        start = start.astimezone(dt.UTC)
    return start


# Hours with two decimals (whole microseconds), up to about 40 working days.
hours = st.integers(0, 32_000).map(lambda k: Decimal(k).scaleb(-2))
positive_hours = st.integers(1, 32_000).map(lambda k: Decimal(k).scaleb(-2))
calendars = st.sampled_from(CALENDARS)


def reference_add(cal: WorkCalendar, start: dt.datetime, amount: Decimal) -> dt.datetime:
    """The obvious day-by-day walk the engine must agree with."""
    remaining = wc.hours_to_us(amount)
    local = start.astimezone(cal.zone)
    day = local.date()
    clock = wc._us_of(local.time())
    periods = [(wc._us_of(a), wc._us_of(b)) for a, b in cal.periods]
    while True:
        if cal.day_kind(day) in wc.WORKING_KINDS:
            for start_us, end_us in periods:
                begin = max(start_us, clock)
                if begin >= end_us:
                    continue
                if remaining <= end_us - begin and (remaining or begin < end_us):
                    midnight = dt.datetime.combine(day, dt.time(0), tzinfo=cal.zone)
                    return midnight + dt.timedelta(microseconds=begin + remaining)
                remaining -= end_us - begin
        day += dt.timedelta(days=1)
        clock = 0


def at_period_end(cal: WorkCalendar, instant: dt.datetime) -> bool:
    local = instant.astimezone(cal.zone)
    return cal.is_working_day(local.date()) and any(local.time() == end for _start, end in cal.periods)


# --- properties --------------------------------------------------------------------------------------

@PROPS
@given(cal=calendars, start=instants(), a=positive_hours, b=positive_hours)
def test_additivity(cal, start, a, b):
    assert cal.add_working_time(cal.add_working_time(start, a), b) == cal.add_working_time(start, a + b)


@PROPS
@given(cal=calendars, start=instants(), a=positive_hours, b=positive_hours)
def test_additivity_from_inside_office_hours(cal, start, a, b):
    inside = cal.add_working_time(start, 0)  # the next office-hours instant
    assert cal.is_working_instant(inside)
    assert cal.add_working_time(cal.add_working_time(inside, a), b) == cal.add_working_time(inside, a + b)


@PROPS
@given(cal=calendars, start=instants(), h=hours)
def test_between_inverts_add(cal, start, h):
    assert cal.working_hours_between(start, cal.add_working_time(start, h)) == h
    assert cal.working_hours_between(cal.add_working_time(start, h), start) == -h


@PROPS
@given(cal=calendars, t1=instants(), t2=instants(), h1=hours, h2=hours)
def test_monotonic(cal, t1, t2, h1, h2):
    t1, t2 = sorted([t1, t2])
    h1, h2 = sorted([h1, h2])
    assert cal.add_working_time(t1, h1) <= cal.add_working_time(t2, h1)
    assert cal.add_working_time(t1, h1) <= cal.add_working_time(t1, h2)
    assert cal.working_hours_between(t1, t2) >= 0


@PROPS
@given(cal=calendars, start=instants(), h=hours)
def test_lands_on_working_time_only(cal, start, h):
    due = cal.add_working_time(start, h)
    assert due >= start
    if h:
        assert cal.is_working_instant(due) or at_period_end(cal, due)
    else:
        assert cal.is_working_instant(due)


@PROPS
@given(cal=calendars, start=instants(), h=hours)
def test_agrees_with_the_day_by_day_walk(cal, start, h):
    assert cal.add_working_time(start, h) == reference_add(cal, start, h)


@PROPS
@given(cal=calendars, items=st.lists(st.tuples(instants(), st.integers(0, 300)), max_size=30))
def test_batch_gives_the_same_results(cal, items):
    starts, amounts = [s for s, _h in items], [h for _s, h in items]
    assert cal.add_working_time_many(starts, amounts) == [cal.add_working_time(s, h) for s, h in items]


@PROPS
@given(cal=calendars, start=instants(), days=st.integers(0, 40))
def test_n_working_days_are_n_times_the_day(cal, start, days):
    assert cal.add_working_days(start, days) == cal.add_working_time(start, days * cal.hours_per_day)


# --- the calendar of 2025 and 2026 ------------------------------------------------------------------------

def test_tet_2026_example_of_the_domain_guide():
    due = NATIONAL.add_working_days(at(2026, 2, 13, 10), 3)
    assert due == at(2026, 2, 25, 10)
    assert due.isoformat() == "2026-02-25T10:00:00+07:00"
    assert [d.day for d in NATIONAL.working_days(dt.date(2026, 2, 13), dt.date(2026, 2, 25))] == [13, 23, 24, 25]


@pytest.mark.parametrize("day", ["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20"])
def test_tet_2026_closes_the_week(day):
    assert NATIONAL.day_kind(dt.date.fromisoformat(day)) == wc.HOLIDAY
    assert not wc.is_working_day(dt.date.fromisoformat(day))


@pytest.mark.parametrize(("makeup", "day_off"), [("2025-04-26", "2025-05-02"), ("2026-08-22", "2026-08-31")])
def test_make_up_saturdays_are_working_days(makeup, day_off):
    makeup, day_off = dt.date.fromisoformat(makeup), dt.date.fromisoformat(day_off)
    assert makeup.weekday() == 5
    assert NATIONAL.is_working_day(makeup) and NATIONAL.day_kind(makeup) == wc.MAKEUP
    assert NATIONAL.decision_of(makeup)
    assert NATIONAL.day_name(makeup) == f"Ngày làm bù (thay cho ngày {day_off:%d/%m/%Y})"
    assert not NATIONAL.is_working_day(day_off)
    # Without the shipped data the package alone would keep the Saturday off.
    assert not WorkCalendar(use_shipped=False).is_working_day(makeup)


def test_new_year_2026_swap_friday_off_saturday_worked():
    """Công văn 12729/VPCP-KGVX (25/12/2025): Friday 2/1/2026 off, made up on Saturday 10/1/2026.
    The holidays package lists neither."""
    friday, saturday = dt.date(2026, 1, 2), dt.date(2026, 1, 10)
    assert NATIONAL.day_kind(friday) == wc.DECREED_OFF and not NATIONAL.is_working_day(friday)
    assert "12729/VPCP-KGVX" in NATIONAL.decision_of(friday)
    assert NATIONAL.day_kind(saturday) == wc.MAKEUP and NATIONAL.is_working_day(saturday)
    assert NATIONAL.day_name(saturday) == "Ngày làm bù (thay cho ngày 02/01/2026)"
    # Received Wednesday 31/12/2025 at 16:00 with 2 working days: 1/1 and 2/1 are off, so the
    # dossier is due on Tuesday 6/1/2026 at 16:00 (it was Monday 5/1 before the swap).
    assert NATIONAL.add_working_time(at(2025, 12, 31, 16), 16) == at(2026, 1, 6, 16)


def test_make_up_saturday_counts_in_a_due_date():
    # Fri 21/8/2026 16:00 + 2 h: one hour on Friday, one on the make-up Saturday.
    assert NATIONAL.add_working_time(at(2026, 8, 21, 16), 2) == at(2026, 8, 22, 9)


def test_every_swap_of_the_package_has_its_shipped_make_up_day():
    shipped = {d.date for d in wc.shipped_makeup_workdays()}
    for year in (2024, 2025, 2026):
        for name in wc.public_holidays(year).values():
            found = re.search(r"thay cho ngày (\d\d)/(\d\d)/(\d{4})", name)
            if found:
                day, month, y = map(int, found.groups())
                assert dt.date(y, month, day) in shipped, name
    assert {dt.date(2025, 4, 26), dt.date(2026, 8, 22)} <= shipped
    assert all(d.document for d in wc.shipped_makeup_workdays())


@pytest.mark.parametrize(("year", "days"), [(2025, (1, 2)), (2026, (1, 2))])
def test_national_day_and_its_adjacent_day(year, days):
    for day in days:
        assert NATIONAL.day_kind(dt.date(year, 9, day)) == wc.HOLIDAY
    assert NATIONAL.is_working_day(dt.date(year, 9, 3))


def test_vietnamese_culture_day_from_2026():
    assert NATIONAL.day_kind(dt.date(2026, 11, 24)) == wc.HOLIDAY
    assert NATIONAL.day_name(dt.date(2026, 11, 24)) == "Ngày Văn hóa Việt Nam"
    assert NATIONAL.day_name(dt.date(2026, 11, 24), "en") != ""
    assert NATIONAL.is_working_day(dt.date(2025, 11, 24))


def test_special_days_of_2026():
    kinds = {d: kind for d, kind, _name in NATIONAL.special_days(2026)}
    assert kinds[dt.date(2026, 8, 22)] == wc.MAKEUP
    assert kinds[dt.date(2026, 4, 27)] == wc.HOLIDAY  # Giỗ Tổ on a Sunday: Monday off
    assert dt.date(2026, 8, 24) not in kinds
    assert NATIONAL.hours_per_day == 8


# --- starts outside office hours and results at a period's end ---------------------------------------

@pytest.mark.parametrize(("start", "moved"), [
    (at(2026, 3, 8, 10), at(2026, 3, 9, 8)),  # Sunday → Monday 08:00
    (at(2026, 3, 9, 12, 30), at(2026, 3, 9, 13)),  # lunch → 13:00
    (at(2026, 3, 9, 12), at(2026, 3, 9, 13)),  # the end of the morning is not office time
    (at(2026, 3, 9, 17, 30), at(2026, 3, 10, 8)),  # evening → next morning
    (at(2026, 3, 9, 6), at(2026, 3, 9, 8)),
    (at(2026, 2, 13, 17), at(2026, 2, 23, 8)),  # Friday evening before Tết → after Tết
])
def test_start_outside_office_hours_moves_forward(start, moved):
    assert NATIONAL.add_working_time(start, 0) == moved
    assert NATIONAL.add_working_time(start, 1) == moved + dt.timedelta(hours=1)


def test_sunday_start_counts_from_monday_morning():
    assert NATIONAL.add_working_days(at(2026, 3, 8, 15), 1) == at(2026, 3, 9, 17)


def test_result_at_the_end_of_a_period_stays_there():
    assert NATIONAL.add_working_time(at(2026, 3, 9, 8), 8) == at(2026, 3, 9, 17)
    assert NATIONAL.add_working_time(at(2026, 3, 9, 8), 4) == at(2026, 3, 9, 12)
    assert NATIONAL.add_working_time(at(2026, 3, 9, 13), 4) == at(2026, 3, 9, 17)
    assert NATIONAL.add_working_days(at(2026, 3, 9, 17, 30), 1) == at(2026, 3, 10, 17)
    # 17:00 on Friday 13/2/2026 then a further hour continues after Tết.
    assert NATIONAL.add_working_time(at(2026, 2, 13, 16), 1) == at(2026, 2, 13, 17)
    assert NATIONAL.add_working_time(at(2026, 2, 13, 16), 2) == at(2026, 2, 23, 9)


def test_between_counts_office_hours_only():
    assert NATIONAL.working_hours_between(at(2026, 3, 9, 11), at(2026, 3, 9, 14)) == 2
    assert NATIONAL.working_hours_between(at(2026, 2, 13, 8), at(2026, 2, 23, 17)) == 16
    assert NATIONAL.working_hours_between(at(2026, 3, 9, 18), at(2026, 3, 10, 7)) == 0


# --- agency exceptions and office hours --------------------------------------------------------------------

def test_agency_extra_day_off_and_extra_working_day():
    agency = WorkCalendar(extra_days_off={dt.date(2026, 3, 10): "Hội nghị"},
                          extra_working_days=[dt.date(2026, 3, 14)])
    assert not agency.is_working_day(dt.date(2026, 3, 10)) and agency.day_kind(dt.date(2026, 3, 10)) == wc.AGENCY_OFF
    assert agency.day_name(dt.date(2026, 3, 10)) == "Hội nghị"
    assert agency.is_working_day(dt.date(2026, 3, 14)) and agency.day_kind(dt.date(2026, 3, 14)) == wc.AGENCY_WORK
    # Mon 9/3 16:00 + 1 day: the 10th is off, so it ends on Wed 11/3 at 16:00 …
    assert agency.add_working_days(at(2026, 3, 9, 16), 1) == at(2026, 3, 11, 16)
    # … and Fri 13/3 16:00 + 1 day runs into the worked Saturday.
    assert agency.add_working_days(at(2026, 3, 13, 16), 1) == at(2026, 3, 14, 16)
    assert NATIONAL.add_working_days(at(2026, 3, 13, 16), 1) == at(2026, 3, 16, 16)
    # An agency may work a public holiday (a one-stop desk on duty).
    assert ODD.is_working_day(dt.date(2026, 4, 30))


def test_office_hours_of_an_agency():
    cal = WorkCalendar(periods=(("07:30", "11:30"), ("13:30", "17:00")))
    assert cal.hours_per_day == Decimal("7.5")
    assert cal.add_working_days(at(2026, 3, 9, 7, 30), 1) == at(2026, 3, 9, 17)
    assert cal.add_working_time(at(2026, 3, 9, 12), 1) == at(2026, 3, 9, 14, 30)
    single = WorkCalendar(periods=[(dt.time(8), dt.time(16))])
    assert single.add_working_time(at(2026, 3, 9, 15), 2) == at(2026, 3, 10, 9)


def test_results_in_another_output_zone():
    cal = WorkCalendar(output_tz="UTC")
    due = cal.add_working_days(at(2026, 2, 13, 10), 3)
    assert due.utcoffset() == dt.timedelta(0) and due == at(2026, 2, 25, 10)
    assert cal.add_working_time_many([at(2026, 2, 13, 10)], [24]) == [due]


def test_equal_calendars_share_their_tables():
    a = WorkCalendar(extra_days_off=[dt.date(2026, 1, 5)])
    b = WorkCalendar(extra_days_off={dt.date(2026, 1, 5): ""})
    assert a == b and hash(a) == hash(b)
    a.is_working_day(dt.date(2026, 1, 5))
    b.is_working_day(dt.date(2026, 1, 5))
    assert a._holder[0] is b._holder[0]


def test_long_limits_grow_the_tables():
    start = at(2026, 1, 5, 8)
    due = NATIONAL.add_working_days(start, 2000)
    assert due.year >= 2033 and NATIONAL.working_hours_between(start, due) == 16_000


# --- bad input --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", [-1, Decimal("-0.5"), float("nan"), Decimal("Infinity"), True, "8", None])
def test_bad_hours_are_refused(bad):
    with pytest.raises((ValueError, TypeError)):
        NATIONAL.add_working_time(at(2026, 3, 9, 8), bad)


def test_naive_datetimes_and_years_out_of_range_are_refused():
    with pytest.raises(ValueError):
        NATIONAL.add_working_time(dt.datetime(2026, 3, 9, 8), 1)
    with pytest.raises(ValueError):
        NATIONAL.working_hours_between(dt.datetime(2026, 3, 9, 8), at(2026, 3, 9, 9))
    with pytest.raises(ValueError):
        NATIONAL.add_working_time(at(2101, 1, 3, 8), 1)
    with pytest.raises(ValueError):
        NATIONAL.is_working_day(dt.date(1800, 1, 1))


def test_bad_calendars_are_refused():
    with pytest.raises(ValueError):
        WorkCalendar(periods=())
    with pytest.raises(ValueError):
        WorkCalendar(periods=(("12:00", "08:00"),))
    with pytest.raises(ValueError):
        WorkCalendar(periods=(("08:00", "12:00"), ("11:00", "17:00")))
    with pytest.raises(ValueError):
        WorkCalendar(extra_days_off=[dt.date(2026, 1, 5)], extra_working_days=[dt.date(2026, 1, 5)])


def test_other_number_types():
    start = at(2026, 3, 9, 8)
    assert NATIONAL.add_working_time(start, 1.5) == at(2026, 3, 9, 9, 30)
    assert NATIONAL.add_working_time(start, dt.timedelta(minutes=90)) == at(2026, 3, 9, 9, 30)
    assert NATIONAL.add_working_days(start, Decimal("0.5")) == at(2026, 3, 9, 12)


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-02-13T10:00", at(2026, 2, 13, 10)),
    ("2026-02-13", at(2026, 2, 13)),
    ("2026-02-13T03:00:00+00:00", at(2026, 2, 13, 10)),
])
def test_parse_instant(text, expected):
    assert wc.parse_instant(text) == expected


@pytest.mark.parametrize("text", ["", "13/02/2026", "2026-02-30", "soon", "9999-01-01", "x" * 100])
def test_parse_instant_refuses_junk(text):
    with pytest.raises(ValueError):
        wc.parse_instant(text)


def test_decreed_days_entered_later_add_to_and_win_over_the_shipped_ones():
    friday, saturday = dt.date(2027, 12, 31), dt.date(2028, 1, 8)  # a swap decreed after the release
    entered = WorkCalendar(decreed_days_off=(wc.DecreedDay(friday, "Công văn 2027"),),
                           decreed_makeup_days=(wc.DecreedDay(saturday, "Công văn 2027", replaces=friday),
                                                wc.DecreedDay(dt.date(2026, 1, 2), "Hủy hoán đổi")))
    assert entered.day_kind(friday) == wc.DECREED_OFF and entered.day_kind(saturday) == wc.MAKEUP
    assert entered.day_name(saturday) == "Ngày làm bù (thay cho ngày 31/12/2027)"
    assert entered.is_working_day(dt.date(2026, 1, 2))  # the entered make-up day replaces the shipped day off
    assert NATIONAL.is_working_day(saturday) is False and NATIONAL.is_working_day(friday)


def test_the_copy_of_the_package_holidays_is_the_package_s():
    # Fails after an upgrade of the holidays package: write the copy again (python -m eiso.core.workcalendar).
    data = json.loads(wc.HOLIDAYS_FILE.read_text(encoding="utf-8"))
    assert data == wc.holidays_copy()
    first, last = wc.HOLIDAYS_COPY_YEARS
    assert first <= 2025 and last >= 2026 and set(data["holidays"]) == {"vi", "en_US"}


def test_public_holidays_read_the_copy_only_when_the_installed_package_wrote_it(monkeypatch):
    import holidays

    shipped = wc.public_holidays(2026)
    assert dt.date(2026, 2, 17) in shipped and dt.date(2026, 11, 24) in shipped  # Tết, Văn hóa Việt Nam
    assert wc.public_holidays(2026, "en") == dict(sorted(holidays.country_holidays(
        "VN", years=2026, language="en_US").items()))
    wc.public_holidays.cache_clear()
    wc._holidays_copy.cache_clear()
    monkeypatch.setattr(holidays, "__version__", "0.0-another")
    asked = []
    real = holidays.country_holidays
    monkeypatch.setattr(holidays, "country_holidays", lambda *a, **k: asked.append(k) or real(*a, **k))
    try:
        assert wc.public_holidays(2026) == shipped and asked == [{"years": 2026, "language": "vi"}]
    finally:
        wc.public_holidays.cache_clear()
        wc._holidays_copy.cache_clear()
