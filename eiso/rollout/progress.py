"""Progress of a procedure registry, per drafting unit and overall: a pure core (plain values in,
plain values out, no ORM), shared by the pages, the API and the monthly report.

A procedure counts as issued on a day when it was issued on or before that day; it is overdue on a
day when its deadline is before that day and it was not issued by then. The percentage is the
share issued (no procedure: no percentage, never 0 %). A unit is behind when it has an overdue
procedure.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

NOT_STARTED, DRAFTING, IN_REVIEW, ISSUED = "not_started", "drafting", "in_review", "issued"
STATUSES = (NOT_STARTED, DRAFTING, IN_REVIEW, ISSUED)


@dataclass(frozen=True)
class ItemFacts:
    """What progress needs of one procedure of the registry."""

    unit_id: int | None
    unit_name: str
    status: str
    deadline: datetime.date | None = None
    issued_on: datetime.date | None = None


@dataclass
class Tally:
    """The counts of one unit (or of the whole registry when ``unit_id`` is None and ``overall``)."""

    unit_id: int | None
    label: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    overdue: int = 0
    due: int = 0  # procedures whose deadline has passed (issued or not): what should be done by now

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def issued(self) -> int:
        return self.counts[ISSUED]

    @property
    def not_started(self) -> int:
        return self.counts[NOT_STARTED]

    @property
    def drafting(self) -> int:
        return self.counts[DRAFTING]

    @property
    def in_review(self) -> int:
        return self.counts[IN_REVIEW]

    @property
    def percent(self) -> int | None:
        return round(100 * self.issued / self.total) if self.total else None

    @property
    def behind(self) -> bool:
        return self.overdue > 0


def status_on(item: ItemFacts, day: datetime.date) -> str:
    """The status the procedure had on ``day`` as far as the data tells: an issue after that day
    counts as in review then (the last step before issuing)."""
    if item.status == ISSUED and item.issued_on is not None and item.issued_on > day:
        return IN_REVIEW
    return item.status


def is_overdue(item: ItemFacts, day: datetime.date) -> bool:
    return item.deadline is not None and item.deadline < day and status_on(item, day) != ISSUED


def tally(items: Iterable[ItemFacts], day: datetime.date) -> tuple[Tally, list[Tally]]:
    """The overall tally and one per drafting unit (by name; procedures with no unit yet last), on ``day``."""
    overall = Tally(unit_id=None, label="")
    units: dict[int | None, Tally] = {}
    for item in items:
        unit = units.get(item.unit_id)
        if unit is None:
            unit = units[item.unit_id] = Tally(unit_id=item.unit_id, label=item.unit_name)
        status = status_on(item, day)
        late = is_overdue(item, day)
        due = item.deadline is not None and item.deadline < day
        for t in (overall, unit):
            t.counts[status] += 1
            t.overdue += late
            t.due += due
    per_unit = sorted(units.values(), key=lambda t: (t.unit_id is None, t.label.casefold()))
    return overall, per_unit


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a month."""
    first = datetime.date(year, month, 1)
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first, following - datetime.timedelta(days=1)
