"""The 5S arithmetic, pure (no ORM): an inspection's score per S and in total as a percentage,
the quarter a date falls in, a unit's score for a period (the MEAN of its inspections'
percentages in it) and the ranking (best score first; a tie goes to the better latest inspection)."""

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from eiso.fives.choices import S

HUNDRED = Decimal(100)
_PERIOD = re.compile(r"^\s*(\d{4})\s*-\s*[Qq]([1-4])\s*$")


def percent(scored: int, possible: int) -> Decimal | None:
    """``scored`` of ``possible`` as a percentage with two decimals; None when nothing was possible."""
    if possible <= 0:
        return None
    return (Decimal(scored) * HUNDRED / Decimal(possible)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class SScore:
    s: str
    scored: int
    possible: int
    failed: int

    @property
    def percent(self) -> Decimal | None:
        return percent(self.scored, self.possible)


def scores_by_s(answers: Iterable[tuple[str, int, int]]) -> list[SScore]:
    """From ``(s, score, points)`` answers: one ``SScore`` per S that has items, in the S order."""
    totals: dict[str, list[int]] = {}
    for s, score, points in answers:
        row = totals.setdefault(s, [0, 0, 0])
        row[0] += score
        row[1] += points
        row[2] += score < points
    return [SScore(s, *totals[s]) for s in S.values if s in totals]


def total(scores: Sequence[SScore]) -> tuple[int, int, Decimal | None]:
    scored = sum(x.scored for x in scores)
    possible = sum(x.possible for x in scores)
    return scored, possible, percent(scored, possible)


# --- periods ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    year: int
    quarter: int

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.quarter - 2, 1)

    @property
    def end(self) -> datetime.date:
        if self.quarter == 4:
            return datetime.date(self.year, 12, 31)
        return datetime.date(self.year, 3 * self.quarter + 1, 1) - datetime.timedelta(days=1)

    @property
    def code(self) -> str:
        return f"{self.year}-Q{self.quarter}"

    @property
    def label(self) -> str:
        return f"Q{self.quarter}/{self.year}"

    def previous(self) -> "Period":
        return Period(self.year - 1, 4) if self.quarter == 1 else Period(self.year, self.quarter - 1)


def period_of(day: datetime.date) -> Period:
    return Period(day.year, (day.month - 1) // 3 + 1)


def parse_period(text: str) -> Period | None:
    """``2026-Q3`` (or ``2026-q3``) → Period; anything else (or a year outside 2000–2999) → None."""
    match = _PERIOD.match(text or "")
    if not match or not 2000 <= int(match.group(1)) <= 2999:
        return None
    return Period(int(match.group(1)), int(match.group(2)))


def year_periods(year: int) -> list[Period]:
    return [Period(year, q) for q in (1, 2, 3, 4)]


# --- a unit's score for a period and the ranking ----------------------------------------------------

def mean(values: Sequence[Decimal]) -> Decimal | None:
    """The mean of the inspections' percentages (two decimals); None without any inspection."""
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Ranked:
    key: object  # the unit (or its id)
    name: str
    score: Decimal  # mean of the period's inspections' percentages
    inspections: int
    latest_day: datetime.date
    latest: Decimal  # the percentage of the latest inspection
    rank: int


def ranking(units: Iterable[tuple[object, str, Sequence[tuple[datetime.date, int, Decimal]]]]) -> list[Ranked]:
    """Rank units from ``(key, name, [(day, id, percent) of the period's inspections])``.

    Best mean first; a tie goes to the unit whose latest inspection (latest day, then latest
    recorded) scored better; units still tied share a rank and are listed by name. A unit without
    inspection in the period is not ranked."""
    rows = []
    for key, name, inspections in units:
        if not inspections:
            continue
        latest_day, _id, latest = max(inspections, key=lambda x: (x[0], x[1]))
        rows.append((key, name, mean([p for _d, _i, p in inspections]), len(inspections), latest_day, latest))
    rows.sort(key=lambda r: (-r[2], -r[5], r[1]))
    ranked: list[Ranked] = []
    for i, (key, name, score, count, latest_day, latest) in enumerate(rows):
        same = ranked and ranked[-1].score == score and ranked[-1].latest == latest
        ranked.append(Ranked(key, name, score, count, latest_day, latest, ranked[-1].rank if same else i + 1))
    return ranked
