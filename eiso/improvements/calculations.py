"""Pure calculations of the improvement area: risk levels, repeat nonconformities, due states.
No ORM inside: they take plain values and are tested exhaustively."""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from eiso.improvements.choices import RiskLevel

SCALE = range(1, 6)  # likelihood and impact are scored 1 to 5
# Upper bound of the score (likelihood × impact) of each level, in order.
LEVEL_BANDS = ((4, RiskLevel.LOW), (9, RiskLevel.MEDIUM), (16, RiskLevel.HIGH), (25, RiskLevel.VERY_HIGH))
REPEAT_MONTHS = 12


def risk_score(likelihood: int, impact: int) -> int:
    if likelihood not in SCALE or impact not in SCALE:
        raise ValueError("likelihood and impact are scored 1 to 5")
    return likelihood * impact


def risk_level(likelihood: int, impact: int) -> str:
    """Low (score 1–4), medium (5–9), high (10–16), very high (17–25)."""
    score = risk_score(likelihood, impact)
    for upper, level in LEVEL_BANDS:
        if score <= upper:
            return level
    raise AssertionError("unreachable")  # pragma: no cover


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (the month's last day when it is shorter: 29/02 → 28/02)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def repeats(rows: Iterable[tuple[int, str, int | None, datetime.date]],
            months: int = REPEAT_MONTHS) -> set[int]:
    """Ids of the nonconformities that repeat another: same clause and same unit, detected within
    ``months`` of each other (both of a pair count). Rows are ``(id, clause, unit_id, detected_on)``;
    a nonconformity with no unit never repeats."""
    groups: dict[tuple[str, int], list[tuple[datetime.date, int]]] = defaultdict(list)
    for pk, clause, unit_id, detected_on in rows:
        if unit_id is not None and clause:
            groups[(clause.strip(), unit_id)].append((detected_on, pk))
    found: set[int] = set()
    for items in groups.values():
        items.sort()
        for (day, pk), (next_day, next_pk) in zip(items, items[1:], strict=False):
            if next_day <= add_months(day, months):
                found.update((pk, next_pk))
    return found


def is_overdue(due_on: datetime.date | None, today: datetime.date) -> bool:
    return due_on is not None and due_on < today


def late_share(early: int, on_time: int, late: int) -> float:
    """The share of late finishes, in percent (0 when nothing finished)."""
    total = early + on_time + late
    return 0.0 if total == 0 else 100.0 * late / total
