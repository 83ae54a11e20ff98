"""The pure core of competence: what counts as holding a training on a day, and what the matrix
says of one person against one requirement. No ORM here: the selectors read the rows and hand
over plain evidence.

A passed result counts until its certificate's validity ends (no end: for good). Attending a
session of a course for which the person has no result counts too (an awareness course without
a test), until the course's validity in months after the session. A failed result counts for
nothing. Past its validity a training no longer counts: the cell says "expired", not "held".
"""

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from eiso.people.choices import CellStatus


@dataclass(frozen=True)
class Evidence:
    """One training a person holds: of which kind, until when (None: no end), from what."""

    kind_id: int
    valid_until: datetime.date | None
    label: str
    on: datetime.date


@dataclass(frozen=True)
class Cell:
    status: CellStatus
    evidence: Evidence | None = None  # the training that counts, or the latest that expired
    planned: str = ""  # the open action to close the gap, when there is one

    @property
    def counts(self) -> bool:
        return self.status == CellStatus.HELD


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months, on the last day of a shorter month (31/01 + 1 → 28/02)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def attendance_valid_until(session_date: datetime.date, validity_months: int | None) -> datetime.date | None:
    """Until when attending a session counts: the course's validity after the session (None: for good)."""
    if not validity_months:
        return None
    return add_months(session_date, validity_months) - datetime.timedelta(days=1)


def is_valid(evidence: Evidence, today: datetime.date) -> bool:
    return evidence.valid_until is None or evidence.valid_until >= today


def best(evidence: Iterable[Evidence], kind_id: int, today: datetime.date) -> tuple[Evidence | None, bool]:
    """The evidence of ``kind_id`` that counts longest on ``today`` (and True), else the latest
    expired one (and False), else (None, False)."""
    mine = [e for e in evidence if e.kind_id == kind_id]
    valid = [e for e in mine if is_valid(e, today)]
    if valid:
        return max(valid, key=lambda e: (e.valid_until is None, e.valid_until or e.on, e.on)), True
    if mine:
        return max(mine, key=lambda e: (e.valid_until, e.on)), False
    return None, False


def cell(evidence: Iterable[Evidence], kind_id: int, today: datetime.date, planned: str = "") -> Cell:
    """The matrix cell of one person for one required kind of training."""
    found, valid = best(evidence, kind_id, today)
    if valid:
        return Cell(CellStatus.HELD, found)
    return Cell(CellStatus.EXPIRED if found else CellStatus.GAP, found, planned)
