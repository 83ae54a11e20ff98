"""The month grids of the working calendar page, on fixed dates: no database, no clock."""

import datetime as dt

import pytest
from django.utils import translation

from eiso.core import calendar_grid as grid
from eiso.core import workcalendar as wc

NATIONAL = wc.national_calendar()
D = dt.date


class Decreed:
    """The national calendar with decreed days of a year the shipped data may not hold yet: the
    swap of New Year 2026 (Friday 02/01 off, worked on Saturday 10/01, văn bản 12729/VPCP-KGVX)."""

    MAKEUP = {D(2026, 1, 10): "Ngày làm bù (thay cho ngày 02/01/2026)"}
    OFF = {D(2026, 1, 2): "Ngày nghỉ theo quyết định — 12729/VPCP-KGVX"}

    def day_kind(self, day):
        if day in self.MAKEUP:
            return wc.MAKEUP
        if day in self.OFF:
            return wc.DECREED_OFF
        return NATIONAL.day_kind(day)

    def day_name(self, day, language="vi"):
        return self.MAKEUP.get(day) or self.OFF.get(day) or NATIONAL.day_name(day, language)


def days(month: dict) -> list[dt.date]:
    return [cell["date"] for week in month["weeks"] for cell in week if cell]


def cell(month: dict, day: int) -> dict:
    return next(c for week in month["weeks"] for c in week if c and c["date"].day == day)


def test_february_2026_starts_on_a_sunday_and_tet_closes_a_week():
    february = grid.month_grid(NATIONAL, 2026, 2, "vi")
    assert february["number"] == 2
    weeks = february["weeks"]
    assert len(weeks) == 5 and all(len(week) == 7 for week in weeks)
    # Sunday 1 February is the last cell of the first week; Monday 26 January … Saturday 31 January are empty.
    assert weeks[0][:6] == [None] * 6 and weeks[0][6]["date"] == D(2026, 2, 1)
    assert weeks[-1][-1] is None and weeks[-1][-2]["date"] == D(2026, 2, 28)
    assert days(february) == [D(2026, 2, n) for n in range(1, 29)]
    tet = [cell(february, n) for n in range(16, 21)]
    assert {c["kind"] for c in tet} == {wc.HOLIDAY}
    assert {c["css"] for c in tet} == {"eiso-cal-holiday"}
    assert tet[1]["name"] == "Tết Nguyên Đán" and tet[0]["name"] == "Giao thừa Tết Nguyên Đán"
    assert weeks[3] == tet + [cell(february, 21), cell(february, 22)]  # the whole week of Tết, Monday first
    assert (cell(february, 13)["kind"], cell(february, 13)["css"], cell(february, 13)["name"]) == (
        wc.WORKING, "eiso-cal-working", "")
    assert (cell(february, 14)["kind"], cell(february, 14)["css"]) == (wc.WEEKEND, "eiso-cal-weekend")
    assert [c["date"].day for c in weeks[4] if c and c["kind"] in wc.WORKING_KINDS] == [23, 24, 25, 26, 27]


def test_march_2026_also_starts_on_a_sunday_and_spans_six_weeks():
    march = grid.month_grid(NATIONAL, 2026, 3, "vi")
    assert len(march["weeks"]) == 6
    assert march["weeks"][0][6]["date"] == D(2026, 3, 1)
    assert [c and c["date"].day for c in march["weeks"][5]] == [30, 31, None, None, None, None, None]


def test_the_make_up_saturday_of_10_january_2026():
    january = grid.month_grid(Decreed(), 2026, 1, "vi")
    saturday = cell(january, 10)
    assert saturday["date"].weekday() == 5
    assert (saturday["kind"], saturday["css"]) == (wc.MAKEUP, "eiso-cal-makeup")
    assert str(saturday["label"]) == str(grid.KIND_LABELS[wc.MAKEUP])
    assert saturday["name"] == "Ngày làm bù (thay cho ngày 02/01/2026)"
    friday = cell(january, 2)  # a decreed day off is drawn as a holiday
    assert (friday["kind"], friday["css"]) == (wc.DECREED_OFF, "eiso-cal-holiday")
    assert (cell(january, 1)["kind"], cell(january, 1)["name"]) == (wc.HOLIDAY, "Tết Dương lịch")
    assert cell(january, 3)["kind"] == cell(january, 11)["kind"] == wc.WEEKEND
    # Thursday 1 January: Monday 29 … Wednesday 31 December are empty.
    assert january["weeks"][0][:3] == [None] * 3 and january["weeks"][0][3]["date"] == D(2026, 1, 1)


def test_an_agency_calendar_shows_its_own_exceptions():
    agency = wc.WorkCalendar(
        extra_days_off={D(2026, 3, 9): "Đại hội công chức"},
        extra_working_days={D(2026, 3, 14): "Làm việc thứ Bảy"},
    )
    march = grid.month_grid(agency, 2026, 3, "vi")
    off, work = cell(march, 9), cell(march, 14)
    assert (off["kind"], off["css"], off["name"]) == (wc.AGENCY_OFF, "eiso-cal-agency-off", "Đại hội công chức")
    assert (work["kind"], work["css"], work["name"]) == (wc.AGENCY_WORK, "eiso-cal-agency-work", "Làm việc thứ Bảy")


@pytest.mark.parametrize(("year", "last", "weeks"), [(2024, 29, 5), (2028, 29, 5), (2026, 28, 5), (2100, 28, 4)])
def test_february_of_leap_and_common_years(year, last, weeks):
    february = grid.month_grid(NATIONAL, year, 2, "vi")
    assert days(february)[-1] == D(year, 2, last)
    assert len(february["weeks"]) == weeks


def test_a_leap_year_has_366_cells_and_each_day_in_its_weekday_column():
    months = grid.year_grid(NATIONAL, 2024, "vi")
    assert [m["number"] for m in months] == list(range(1, 13))
    every = [day for month in months for day in days(month)]
    assert every == [D(2024, 1, 1) + dt.timedelta(n) for n in range(366)]
    for month in months:
        for week in month["weeks"]:
            assert len(week) == 7
            for column, c in enumerate(week):
                assert c is None or c["date"].weekday() == column
    assert sum(len(days(m)) for m in grid.year_grid(NATIONAL, 2026, "vi")) == 365


def test_today_is_marked_once():
    months = grid.year_grid(NATIONAL, 2026, "vi", today=D(2026, 2, 17))
    marked = [c["date"] for m in months for w in m["weeks"] for c in w if c and c["today"]]
    assert marked == [D(2026, 2, 17)]
    assert not any(c["today"] for m in grid.year_grid(NATIONAL, 2025, "vi", today=D(2026, 2, 17))
                   for w in m["weeks"] for c in w if c)
    assert not any(c["today"] for w in grid.month_grid(NATIONAL, 2026, 2, "vi")["weeks"] for c in w if c)


def test_names_and_headings_follow_the_language():
    with translation.override("en"):
        february = grid.month_grid(NATIONAL, 2026, 2, "en")
        assert str(february["name"]) == "February"
        assert cell(february, 17)["name"] != "Tết Nguyên Đán" and cell(february, 17)["name"]
        assert str(cell(february, 17)["label"]) == "Public holiday"
        assert grid.weekday_headers("en") == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert grid.weekday_headers("vi") == ["T2", "T3", "T4", "T5", "T6", "T7", "CN"]


def test_the_legend_explains_each_kind_once_and_every_kind_has_a_class():
    assert set(grid.KIND_CSS) == set(grid.KIND_LABELS) == {
        wc.WORKING, wc.WEEKEND, wc.HOLIDAY, wc.MAKEUP, wc.DECREED_OFF, wc.AGENCY_OFF, wc.AGENCY_WORK}
    classes = [css for css, _label in grid.legend()]
    assert classes == ["eiso-cal-working", "eiso-cal-weekend", "eiso-cal-holiday", "eiso-cal-makeup",
                       "eiso-cal-agency-off", "eiso-cal-agency-work"]
    assert len(set(classes)) == len(classes)
