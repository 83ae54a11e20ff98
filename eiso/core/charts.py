"""Pure helpers for the chart specs the pages hand to static/eiso/charts.js (no ORM, no Django).

A rate axis drawn from 0 to 100 % squeezes rates that are all high into the last tenth of the
chart: 87.7 % and 95.6 % look the same. ``percent_axis_min`` starts the axis just below the
lowest rate instead, on a round value, and keeps 0 when the rates are spread widely anyway.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

PERCENT_STEP = 10  # the axis starts on a multiple of this
PERCENT_MARGIN = 5  # at least this far below the lowest value, so its bar or point stays visible
ZERO_BELOW = 50  # a lowest value under this keeps the axis at 0: the spread already shows


def percent_axis_min(values: Iterable[float | None], *, step: int = PERCENT_STEP, margin: float = PERCENT_MARGIN,
                     zero_below: float = ZERO_BELOW) -> int:
    """The lower bound of a 0–100 % axis showing ``values`` (None values, i.e. no rate, are skipped):
    0 when there is nothing to show or the lowest value is under ``zero_below``; otherwise the
    multiple of ``step`` at least ``margin`` below the lowest value (87.7 → 80, 95.6 → 90, 100 → 90)."""
    present = [v for v in values if v is not None]
    if not present:
        return 0
    lowest = min(present)
    if lowest < zero_below:
        return 0
    return max(0, int(math.floor((lowest - margin) / step) * step))


def percent_axis(values: Iterable[float | None]) -> dict:
    """The bounds of a percentage axis, as the chart specs carry them: ``{"min": …, "max": 100}``."""
    return {"min": percent_axis_min(values), "max": 100}
