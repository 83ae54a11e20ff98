"""The pure arithmetic of satisfaction and complaints, at every boundary."""

import datetime
from decimal import Decimal

import pytest

from eiso.core.workcalendar import WorkCalendar
from eiso.feedback.calculations import (
    answered_on_time,
    complaint_due_on,
    grade,
    indicator_means,
    parse_period,
    period_containing,
    periods_of_year,
    total_score,
)
from eiso.feedback.choices import Grade


@pytest.mark.parametrize(("total", "expected"), [
    (18, Grade.EXCELLENT), (15, Grade.EXCELLENT), ("14.99", Grade.GOOD), (12, Grade.GOOD),
    ("11.99", Grade.FAIR), (9, Grade.FAIR), ("8.99", Grade.AVERAGE), (6, Grade.AVERAGE),
    ("5.99", Grade.POOR), (0, Grade.POOR), (None, None),
])
def test_grade_at_every_boundary(total, expected):
    assert grade(Decimal(str(total)) if total is not None else None) == expected


def test_indicator_means_leave_unscored_indicators_empty_not_zero():
    means = indicator_means({1: 5, 2: 0, 7: 2}, {1: 3, 2: 2, 7: 2})
    assert means[1] == Decimal("1.67") and means[2] == Decimal("0.00") and means[7] == Decimal("1.00")
    assert means[9] is None
    assert total_score(means) == Decimal("2.67")
    assert total_score(indicator_means({}, {})) is None


def test_total_is_graded_on_its_rounded_value():
    # nine indicators of 1.6666… each: 15.00 once each is rounded to 1.67 → excellent
    means = indicator_means(dict.fromkeys(range(1, 10), 5), dict.fromkeys(range(1, 10), 3))
    assert total_score(means) == Decimal("15.03")
    assert grade(total_score(means)) == Grade.EXCELLENT


@pytest.mark.parametrize(("text", "start", "end", "key"), [
    ("2026", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), "2026"),
    ("2026-Q1", datetime.date(2026, 1, 1), datetime.date(2026, 3, 31), "2026-Q1"),
    ("2026-q4", datetime.date(2026, 10, 1), datetime.date(2026, 12, 31), "2026-Q4"),
    ("2024-02", datetime.date(2024, 2, 1), datetime.date(2024, 2, 29), "2024-02"),
    ("2026-2", datetime.date(2026, 2, 1), datetime.date(2026, 2, 28), "2026-02"),
])
def test_parse_period(text, start, end, key):
    period = parse_period(text)
    assert (period.start, period.end, period.key) == (start, end, key)


@pytest.mark.parametrize("text", ["", "26", "2026-Q5", "2026-13", "2026-Q0", "abcd", "2026-00", "2026 Q1"])
def test_parse_period_refuses_anything_else(text):
    with pytest.raises(ValueError):
        parse_period(text)


def test_periods_of_a_year():
    assert [p.label for p in periods_of_year(2026, "quarter")] == ["Q1/2026", "Q2/2026", "Q3/2026", "Q4/2026"]
    assert len(periods_of_year(2026, "month")) == 12
    assert period_containing(datetime.date(2026, 5, 4), "quarter").key == "2026-Q2"


def test_complaint_due_counts_working_days_after_receipt():
    weekdays = lambda d: d.weekday() < 5  # noqa: E731
    assert complaint_due_on(datetime.date(2026, 3, 6), 1, weekdays) == datetime.date(2026, 3, 9)  # Fri → Mon
    assert complaint_due_on(datetime.date(2026, 3, 2), 10, weekdays) == datetime.date(2026, 3, 16)
    assert complaint_due_on(datetime.date(2026, 3, 7), 1, weekdays) == datetime.date(2026, 3, 9)  # Sat → Mon


def test_complaint_due_skips_tet_on_the_national_calendar():
    calendar = WorkCalendar()
    # received Friday 13 Feb 2026; Tết closes 16–20 Feb: the third working day after is Wed 25 Feb
    assert complaint_due_on(datetime.date(2026, 2, 13), 3, calendar.is_working_day) == datetime.date(2026, 2, 25)


def test_answered_on_time():
    due = datetime.date(2026, 3, 16)
    assert answered_on_time(due, due) is True
    assert answered_on_time(due, due + datetime.timedelta(days=1)) is False
    assert answered_on_time(due, None) is None
