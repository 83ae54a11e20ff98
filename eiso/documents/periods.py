"""Calendar periods of documented information, as pure functions (no ORM).

- QĐ 19/2014/QĐ-TTg: a procedure citing a changed legal document is reviewed within 3 months of
  the new document taking effect.
- Records are kept for a number of years after their file is closed; then they may be disposed of.
"""

import calendar
import datetime

REVIEW_MONTHS = 3  # QĐ 19/2014/QĐ-TTg


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by ``months`` calendar months (negative goes back); a day that the target
    month lacks is clamped to its end: 30 Nov + 3 months = 28 Feb (29 in a leap year)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def review_due_on(takes_effect: datetime.date) -> datetime.date:
    """When the review of a procedure is due: 3 months after the new legal document takes effect."""
    return add_months(takes_effect, REVIEW_MONTHS)


def retention_ends(closed_on: datetime.date, years: int) -> datetime.date:
    """The day a closed file's retention period ends (it may be disposed of after that day)."""
    return add_months(closed_on, 12 * years)


def is_past_retention(closed_on: datetime.date | None, years: int | None, today: datetime.date) -> bool:
    """``closed_on + years < today``; a file still open or kept permanently (``years`` None) never is."""
    if closed_on is None or years is None:
        return False
    return retention_ends(closed_on, years) < today


def retention_cutoff(today: datetime.date, years: int) -> datetime.date:
    """The first closing date that is NOT past a ``years`` retention on ``today``: a file closed
    before it is past retention (``closed_on < cutoff`` ⇔ ``is_past_retention``), so a database
    can filter with a plain date comparison."""
    cutoff = add_months(today, -12 * years)
    while retention_ends(cutoff, years) < today:  # at most a day or two, around 29 February
        cutoff += datetime.timedelta(days=1)
    while cutoff > datetime.date.min and retention_ends(cutoff - datetime.timedelta(days=1), years) >= today:
        cutoff -= datetime.timedelta(days=1)
    return cutoff
