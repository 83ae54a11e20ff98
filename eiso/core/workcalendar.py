"""Working time of Vietnamese state agencies (DOMAIN.md §5 "Working time"). Pure: no ORM, no clock.

A working day is Monday–Friday, not a public holiday (the ``holidays`` package: lunar Tết, Giỗ Tổ
Hùng Vương, 30/4, 1/5, 2/9 and its adjacent day, 24/11 from 2026, substitute and swapped days off),
plus the decreed make-up working Saturdays the package does not list (shipped in
``data/makeup_workdays.json``), then the agency's own exceptions: extra days off and extra working
days override everything else. Every working day has the same office periods (default 08:00–12:00
and 13:00–17:00, any list allowed).

Time arithmetic works on a *position*: the working time elapsed since the start of the calendar's
table, in microseconds. An instant's position is ``index of its working day × day length + the
working time of that day before it``; an instant outside office hours has the position of the next
period start. ``add_working_time(t, h)`` is the earliest instant whose position is
``position(t) + h``, so a start outside office hours moves to the next period start, a result that
lands exactly at the end of a period stays there (17:00, not 08:00 the next working day), and
``add(add(t, a), b) == add(t, a + b)`` for positive ``a`` and ``b``. ``add(t, 0)`` is ``t``
moved to the next office-hours instant.

Per range of years a calendar keeps the sorted working days and, for every date, the index of the
next working day: adding N working days is an array look-up, and only the partial day is walked.
Tables are cached per (calendar, year range) and grow when a computation leaves them.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays

VN_TZ = "Asia/Ho_Chi_Minh"
FIRST_YEAR, LAST_YEAR = 1901, 2100  # the lunar calendar of the holidays package covers these
US_PER_HOUR = 3_600_000_000
MINUTE = 60_000_000  # microseconds
DEFAULT_PERIODS = ((dt.time(8), dt.time(12)), (dt.time(13), dt.time(17)))
DATA_FILE = Path(__file__).resolve().parent / "data" / "makeup_workdays.json"

# What a date is, most specific first (``WorkCalendar.day_kind``).
WORKING = "working"
WEEKEND = "weekend"
HOLIDAY = "holiday"  # a public holiday from the holidays package (also when it falls on a weekend)
MAKEUP = "makeup"  # a decreed make-up working day (shipped)
DECREED_OFF = "decreed_off"  # a decreed day off the package misses (shipped)
AGENCY_OFF = "agency_off"  # the agency's extra day off
AGENCY_WORK = "agency_work"  # the agency's extra working day
WORKING_KINDS = frozenset({WORKING, MAKEUP, AGENCY_WORK})


# --- shipped data and the holidays package ------------------------------------------------------------

@dataclass(frozen=True)
class DecreedDay:
    """A make-up working day (or a decreed day off) with the document that decided it."""

    date: dt.date
    document: str
    replaces: dt.date | None = None  # for a make-up day: the day off it pays for


@functools.cache
def _shipped() -> dict[str, tuple[DecreedDay, ...]]:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))

    def rows(key):
        return tuple(sorted(
            (DecreedDay(date=dt.date.fromisoformat(row["date"]), document=row.get("document", ""),
                        replaces=dt.date.fromisoformat(row["replaces"]) if row.get("replaces") else None)
             for row in data.get(key, [])),
            key=lambda d: d.date,
        ))

    return {"makeup": rows("makeup_workdays"), "off": rows("days_off")}


def shipped_makeup_workdays() -> tuple[DecreedDay, ...]:
    """Decreed make-up working days shipped with eISO (they apply to every agency)."""
    return _shipped()["makeup"]


def shipped_days_off() -> tuple[DecreedDay, ...]:
    """Decreed days off shipped with eISO because the holidays package misses them."""
    return _shipped()["off"]


def _package_language(language: str | None) -> str:
    if not language:
        return "vi"
    language = language.lower()
    if language.startswith("en"):
        return "en_US"
    if language.startswith("th"):
        return "th"
    return "vi"


@functools.lru_cache(maxsize=1024)
def public_holidays(year: int, language: str = "vi") -> Mapping[dt.date, str]:
    """Vietnamese public holidays of ``year`` (date → name) from the holidays package (its copy in
    ``data/public_holidays_vn.json`` for the years and languages it holds, when the installed package
    wrote it)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"The working calendar covers the years {FIRST_YEAR}–{LAST_YEAR}, not {year}.")
    language = _package_language(language)
    shipped = _holidays_copy().get(language, {}).get(str(year))
    if shipped is not None:
        return MappingProxyType({dt.date.fromisoformat(day): name for day, name in shipped})
    found = holidays.country_holidays("VN", years=year, language=language)
    return MappingProxyType(dict(sorted(found.items())))


HOLIDAYS_FILE = DATA_FILE.with_name("public_holidays_vn.json")
HOLIDAYS_COPY_YEARS = (2015, 2045)
HOLIDAYS_COPY_LANGUAGES = ("vi", "en_US")


def holidays_copy() -> dict:
    """What ``HOLIDAYS_FILE`` holds: the package's Vietnamese holidays of ``HOLIDAYS_COPY_YEARS`` in
    ``HOLIDAYS_COPY_LANGUAGES``, with the package's version (written by ``python -m eiso.core.workcalendar``)."""
    first, last = HOLIDAYS_COPY_YEARS
    return {"about": "The holidays package's Vietnamese public holidays, copied: the package imports every "
                     "country when it is first asked (~0.1 s in each process); this is read only when "
                     "the installed package has the version that wrote it. Written by "
                     "`python -m eiso.core.workcalendar`.",
            "package_version": holidays.__version__,
            "holidays": {language: {str(year): [[day.isoformat(), name] for day, name in sorted(
                holidays.country_holidays("VN", years=year, language=language).items())]
                for year in range(first, last + 1)} for language in HOLIDAYS_COPY_LANGUAGES}}


@functools.cache
def _holidays_copy() -> dict:
    """language → year → [[date, name], …] of ``HOLIDAYS_FILE``; empty when the installed package is
    another version than the one that wrote it (then the package answers)."""
    try:
        data = json.loads(HOLIDAYS_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if data.get("package_version") != holidays.__version__:
        return {}
    return data.get("holidays", {})


# --- input normalisation ----------------------------------------------------------------------------

def _time(value) -> dt.time:
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str):
        return dt.time.fromisoformat(value)
    raise TypeError(f"Not a time of day: {value!r}")


def _us_of(t: dt.time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond


def _dated(values) -> tuple[tuple[dt.date, str], ...]:
    if values is None:
        return ()
    if isinstance(values, Mapping):
        pairs = [(d, str(reason or "")) for d, reason in values.items()]
    else:
        pairs = []
        for item in values:
            pairs.append((item[0], str(item[1] or "")) if isinstance(item, tuple) else (item, ""))
    for d, _reason in pairs:
        if not isinstance(d, dt.date) or isinstance(d, dt.datetime):
            raise TypeError(f"Not a date: {d!r}")
    return tuple(sorted(dict(pairs).items()))


def hours_to_us(hours) -> int:
    """``hours`` (int, Decimal, float, Fraction or timedelta) as whole microseconds, never negative."""
    kind = type(hours)
    if kind is int:
        us = hours * US_PER_HOUR
    elif kind is Decimal:
        if not hours.is_finite():
            raise ValueError("The number of hours must be finite.")
        us = int((hours * US_PER_HOUR).to_integral_value())
    elif kind is float:
        if not math.isfinite(hours):
            raise ValueError("The number of hours must be finite.")
        us = round(hours * US_PER_HOUR)
    elif isinstance(hours, dt.timedelta):
        us = (hours.days * 86_400 + hours.seconds) * 1_000_000 + hours.microseconds
    elif isinstance(hours, bool):
        raise TypeError("The number of hours must be a number, not a boolean.")
    elif isinstance(hours, int | Fraction):
        us = round(Fraction(hours) * US_PER_HOUR)
    elif isinstance(hours, Decimal | float):
        return hours_to_us(Decimal(hours) if isinstance(hours, Decimal) else float(hours))
    else:
        raise TypeError(f"Not a number of hours: {hours!r}")
    if us < 0:
        raise ValueError("The number of hours must not be negative.")
    return us


# --- the precomputed tables ---------------------------------------------------------------------------

class _Tables:
    """Working days of the years ``first``…``last`` of one calendar.

    ``days`` are the ordinals of the working days, in order. For the date with ordinal
    ``base + o``, ``wk[o]`` is its index in ``days`` when it is a working day, else ``~i`` where
    ``i`` is the index of the next working day (``len(days)`` past the last one).
    ``midnights[i]`` is the local midnight of working day ``i`` (aware).
    """

    __slots__ = ("base", "days", "first", "last", "midnights", "n", "positions", "wk")

    def __init__(self, calendar: WorkCalendar | None, first: int, last: int):
        self.first, self.last = first, last
        self.base = dt.date(first, 1, 1).toordinal()
        self.n = 0
        self.wk: list[int] = []
        self.days: list[int] = []
        self.midnights: list[dt.datetime] = []
        self.positions: Positions | None = None  # made on first use (``WorkCalendar.positions``)
        if calendar is None:  # the empty table a calendar starts with
            return
        self.n = dt.date(last, 12, 31).toordinal() - self.base + 1
        for o in range(self.base, self.base + self.n):
            if calendar.day_kind(dt.date.fromordinal(o)) in WORKING_KINDS:
                self.wk.append(len(self.days))
                self.days.append(o)
            else:
                self.wk.append(~len(self.days))
        zone = calendar.zone
        self.midnights = [dt.datetime.combine(dt.date.fromordinal(o), dt.time(0), tzinfo=zone)
                          for o in self.days]

    def next_index(self, o: int) -> int:
        """Index of the first working day on or after ordinal ``base + o`` (``o`` may be ``n``)."""
        if o >= self.n:
            return len(self.days)
        w = self.wk[o]
        return w if w >= 0 else ~w


_EMPTY = _Tables(None, 2000, 2000)


@functools.lru_cache(maxsize=128)
def _tables(calendar: WorkCalendar, first: int, last: int) -> _Tables:
    return _Tables(calendar, first, last)


# --- within a day ------------------------------------------------------------------------------------

def _within(spans, day_us: int, clock: int) -> int:
    """Working time of a working day before the time of day ``clock`` (µs since midnight)."""
    for start, end, before, _after in spans:
        if clock <= start:
            return before
        if clock < end:
            return before + clock - start
    return day_us


def _clock(spans, r: int, end: bool) -> int:
    """The time of day (µs) at which ``r`` of a day's working time has elapsed: the end of a
    period when ``end`` and ``r`` is a period's total, else the start of the next one."""
    for start, _end, before, after in spans:
        if r < after or (end and r == after):
            return start + r - before
    raise ValueError(r)


@functools.lru_cache(maxsize=64)
def _day_tables(periods: tuple) -> dict:
    """Everything about one day's office periods that the arithmetic looks up (per periods)."""
    spans, day_us = [], 0
    for start, end in periods:
        s, e = _us_of(start), _us_of(end)
        spans.append((s, e, day_us, day_us + e - s))
        day_us += e - s
    spans = tuple(spans)
    # Whole minutes, the common case: working time before each minute of the clock, and the
    # clock (a timedelta from midnight) at each whole minute of working time, for a result ("end":
    # a period's end stays there) and for a zero-length move ("start").
    within_min = tuple(_within(spans, day_us, m * MINUTE) for m in range(24 * 60))
    end_clock = {r: dt.timedelta(microseconds=_clock(spans, r, True))
                 for r in range(MINUTE, day_us + 1, MINUTE)}
    start_clock = {r: dt.timedelta(microseconds=_clock(spans, r, False)) for r in range(0, day_us, MINUTE)}
    # The short path of add_working_time counts whole hours from a whole minute in minutes, with
    # list look-ups only; it needs office periods at whole minutes (else it is off).
    whole = all(s % MINUTE == 0 and e % MINUTE == 0 for s, e, _b, _a in spans)
    return {
        "_spans": spans, "day_us": day_us, "_within_min": within_min, "_end_clock": end_clock,
        "_start_clock": start_clock, "_day_min": day_us // MINUTE if whole else 0,
        "_within_m": [w // MINUTE for w in within_min],
        "_end_m": [None, *(end_clock[r * MINUTE] for r in range(1, day_us // MINUTE + 1))] if whole else [],
    }


# --- positions as integers, for batch callers ----------------------------------------------------------

class Positions:
    """The working-time arithmetic of one table on plain integers, for callers that chain many
    additions (the timing of a dossier): an instant's *position* (working µs since the table's
    start, as in the module's docstring) and back, with no Decimal and no datetime in between.

    ``position(local)`` takes a datetime in the calendar's zone and returns ``None`` when the
    table does not cover its date. ``instant(p, end)`` is the earliest instant at position ``p``
    (``end``: a period's end stays there, as for a positive addition; else the next period start,
    as for a zero one) as ``(datetime in the output zone, local ordinal, local clock µs)``, or
    ``None`` past the table. ``add_working_time(t, h)`` is ``instant(position(t) + µs(h), µs(h) > 0)``.

    ``uniform``: the zone keeps one UTC offset over the table's years (no daylight saving, no change
    of zone), so local wall-clock keys order instants like the instants themselves, and an
    instant's ISO text is its local date + clock + that one offset (``text``, no ``isoformat``).
    """

    __slots__ = ("base", "count", "day_us", "days", "midnights", "n", "offset_us", "out_zone",
                 "uniform", "wk", "zone", "_clocks", "_dates", "_offset", "_spans", "_times", "_within_min")

    CACHE_SIZE = 100_000  # entries of the texts' pieces memo (emptied when full)

    def __init__(self, calendar: WorkCalendar, t: _Tables):
        self.base, self.n, self.wk, self.days, self.midnights = t.base, t.n, t.wk, t.days, t.midnights
        self.count = len(t.days)
        self.day_us = calendar.day_us
        self.zone = calendar.zone
        self.out_zone = None if calendar.out_zone is calendar.zone else calendar.out_zone
        self._spans = calendar._spans
        self._within_min = calendar._within_min
        self._clocks: dict = {}  # 2 * r + end → (clock µs, timedelta)
        self.uniform = len({m.utcoffset() for m in t.midnights}) == 1
        self._offset = t.midnights[0].isoformat()[19:] if t.midnights else ""
        # The zone's one UTC offset in µs when ``uniform`` (a UTC instant's local wall clock is it + this).
        self.offset_us = t.midnights[0].utcoffset() // dt.timedelta(microseconds=1) if t.midnights else 0
        self._dates: dict = {}  # ordinal → "YYYY-MM-DDT"
        self._times: dict = {}  # clock µs → "HH:MM:SS[.ffffff]+07:00"

    def local(self, local: dt.datetime, text: bool = True) -> tuple[int, int, int, str | None] | None:
        """``(local key, ordinal, position, isoformat or None)`` of a datetime in the calendar's zone,
        where the local key is its wall-clock time in µs since day 1 (it orders instants in a zone
        without daylight saving); None when the table does not cover its date."""
        o = local.toordinal()
        k = o - self.base
        if not 0 <= k < self.n:
            return None
        clock = ((local.hour * 60 + local.minute) * 60 + local.second) * 1_000_000 + local.microsecond
        w, day = self.wk[k], self.day_us
        if w < 0:
            position = ~w * day
        elif clock % MINUTE:
            position = w * day + _within(self._spans, day, clock)
        else:
            position = w * day + self._within_min[clock // MINUTE]
        if text:
            return o * 86_400_000_000 + clock, o, position, self.text(o, clock) if self.uniform else local.isoformat()
        return o * 86_400_000_000 + clock, o, position, None

    def text(self, o: int, clock: int) -> str:
        """``isoformat()`` of the local instant at ordinal ``o`` and ``clock`` µs past midnight, the
        zone's offset being uniform: pieces memoised per date and per time of day."""
        date = self._dates.get(o)
        if date is None:
            date = self._dates[o] = dt.date.fromordinal(o).isoformat() + "T"
        time = self._times.get(clock)
        if time is None:
            if len(self._times) >= self.CACHE_SIZE:
                self._times.clear()
            seconds, micro = divmod(clock, 1_000_000)
            time = self._times[clock] = dt.time(seconds // 3600, seconds // 60 % 60, seconds % 60,
                                                micro).isoformat() + self._offset
        return date + time

    def position(self, local: dt.datetime) -> int | None:
        o = local.toordinal() - self.base
        if not 0 <= o < self.n:
            return None
        w = self.wk[o]
        if w < 0:
            return ~w * self.day_us
        if local.second or local.microsecond:
            clock = ((local.hour * 60 + local.minute) * 60 + local.second) * 1_000_000 + local.microsecond
            return w * self.day_us + _within(self._spans, self.day_us, clock)
        return w * self.day_us + self._within_min[local.hour * 60 + local.minute]

    def position_at(self, o: int, clock: int) -> int | None:
        """The position of local ordinal ``o`` at ``clock`` µs past midnight; None outside the table."""
        k = o - self.base
        if not 0 <= k < self.n:
            return None
        w = self.wk[k]
        if w < 0:
            return ~w * self.day_us
        if clock % MINUTE:
            return w * self.day_us + _within(self._spans, self.day_us, clock)
        return w * self.day_us + self._within_min[clock // MINUTE]

    def instant(self, p: int, end: bool) -> tuple[dt.datetime, int, int] | None:
        found = self.due(p, end, False)
        return None if found is None else (found[3], found[2], found[1] - found[2] * 86_400_000_000)

    def due(self, p: int, end: bool, text: bool) -> tuple[int, int, int, dt.datetime, str | None] | None:
        """``(p, local key, local ordinal, datetime in the output zone, its isoformat or None)`` of the
        earliest instant at position ``p`` (see ``instant``); None past the table."""
        day = self.day_us
        i, r = divmod(p, day)
        if end and not r:  # exactly at the end of a working day: stay there
            i -= 1
            r = day
        if not 0 <= i < self.count:
            return None
        clock = self._clocks.get(2 * r + end)
        if clock is None:
            us = _clock(self._spans, r, end)
            clock = self._clocks[2 * r + end] = (us, dt.timedelta(microseconds=us))
        value = self.midnights[i] + clock[1]
        o = self.days[i]
        if self.out_zone is not None:
            value = value.astimezone(self.out_zone)
            return p, o * 86_400_000_000 + clock[0], o, value, value.isoformat() if text else None
        if text:
            return p, o * 86_400_000_000 + clock[0], o, value, (self.text(o, clock[0]) if self.uniform
                                                                  else value.isoformat())
        return p, o * 86_400_000_000 + clock[0], o, value, None

# --- the calendar ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class WorkCalendar:
    """The working calendar of one agency (or the national one with no exceptions).

    ``periods``: office periods of every working day, as ``(start, end)`` times or "HH:MM"
    strings. ``extra_days_off`` / ``extra_working_days``: the agency's exceptions, as dates or a
    mapping date → reason. ``tz``: the agency's zone, where days and office hours are read;
    results are returned in ``output_tz`` (default: the same zone). ``use_shipped``: apply the
    shipped make-up working days and decreed days off (always, except in tests of the package alone).
    """

    periods: tuple = DEFAULT_PERIODS
    extra_days_off: tuple = ()
    extra_working_days: tuple = ()
    tz: str = VN_TZ
    output_tz: str | None = None
    use_shipped: bool = True
    # Decreed days entered by an administrator (DecreedDay tuples): they add to the shipped ones and
    # win over them on the same date (a make-up day entered for a shipped day off replaces it).
    decreed_days_off: tuple = ()
    decreed_makeup_days: tuple = ()
    _holder: list = field(default_factory=lambda: [_EMPTY], compare=False, repr=False)

    def __post_init__(self):
        periods = tuple((_time(a), _time(b)) for a, b in self.periods)
        if not periods:
            raise ValueError("A working day needs at least one office period.")
        previous_end = None
        for start, end in periods:
            if start >= end:
                raise ValueError(f"An office period must end after it starts ({start}–{end}).")
            if previous_end is not None and start < previous_end:
                raise ValueError("Office periods must be in order and must not overlap.")
            previous_end = end
        off, work = _dated(self.extra_days_off), _dated(self.extra_working_days)
        both = {d for d, _r in off} & {d for d, _r in work}
        if both:
            raise ValueError(f"A date cannot be both an extra day off and an extra working day: {min(both)}")
        set_ = object.__setattr__
        set_(self, "periods", periods)
        set_(self, "extra_days_off", off)
        set_(self, "extra_working_days", work)
        set_(self, "zone", ZoneInfo(self.tz))
        set_(self, "out_zone", ZoneInfo(self.output_tz) if self.output_tz else self.zone)
        for name, value in _day_tables(periods).items():
            set_(self, name, value)
        self._holder.append(self._hot(_EMPTY))
        set_(self, "_off", dict(off))
        set_(self, "_work", dict(work))
        shipped = _shipped() if self.use_shipped else {"makeup": (), "off": ()}
        makeup = {d.date: d for d in shipped["makeup"]}
        decreed_off = {d.date: d for d in shipped["off"]}
        for day in self.decreed_days_off:
            decreed_off[day.date] = day
            makeup.pop(day.date, None)
        for day in self.decreed_makeup_days:
            makeup[day.date] = day
            decreed_off.pop(day.date, None)
        set_(self, "_makeup", makeup)
        set_(self, "_decreed_off", decreed_off)

    # -- days ---------------------------------------------------------------------------------------

    @property
    def hours_per_day(self) -> Decimal:
        return Decimal(self.day_us) / US_PER_HOUR

    def day_kind(self, day: dt.date) -> str:
        """What ``day`` is: one of WORKING, WEEKEND, HOLIDAY, MAKEUP, DECREED_OFF, AGENCY_OFF, AGENCY_WORK."""
        if day in self._off:
            return AGENCY_OFF
        if day in self._work:
            return AGENCY_WORK
        if day in self._decreed_off:
            return DECREED_OFF
        if day in public_holidays(day.year):
            return HOLIDAY
        if day in self._makeup:
            return MAKEUP
        return WEEKEND if day.weekday() >= 5 else WORKING

    def is_working_day(self, day: dt.date) -> bool:
        t = self._holder[0]
        o = day.toordinal() - t.base
        if not 0 <= o < t.n:
            t = self._cover(day.year, day.year)
            o = day.toordinal() - t.base
        return t.wk[o] >= 0

    def day_name(self, day: dt.date, language: str = "vi") -> str:
        """The name of a day off or extra working day ("" for an ordinary day)."""
        kind = self.day_kind(day)
        english = _package_language(language) == "en_US"
        if kind == AGENCY_OFF:
            return self._off[day]
        if kind == AGENCY_WORK:
            return self._work[day]
        if kind == DECREED_OFF:
            return ("Decreed day off" if english else "Ngày nghỉ theo quyết định") + \
                f" — {self._decreed_off[day].document}"
        if kind == HOLIDAY:
            return public_holidays(day.year, _package_language(language))[day]
        if kind == MAKEUP:
            replaces = self._makeup[day].replaces
            if replaces is None:
                return "Make-up working day" if english else "Ngày làm bù"
            return (f"Make-up working day (for {replaces:%d/%m/%Y})" if english
                    else f"Ngày làm bù (thay cho ngày {replaces:%d/%m/%Y})")
        return ""

    def decision_of(self, day: dt.date) -> str:
        """The deciding document of a shipped make-up working day or decreed day off ("" otherwise)."""
        found = self._makeup.get(day) or self._decreed_off.get(day)
        return found.document if found else ""

    def special_days(self, year: int, language: str = "vi") -> list[tuple[dt.date, str, str]]:
        """Every day of ``year`` that is not an ordinary weekday or weekend: ``(date, kind, name)``."""
        days = set(public_holidays(year))
        days |= {d for d in (*self._off, *self._work, *self._makeup, *self._decreed_off) if d.year == year}
        return [(d, self.day_kind(d), self.day_name(d, language)) for d in sorted(days)
                if self.day_kind(d) not in (WORKING, WEEKEND)]

    def working_days(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """The working days from ``start`` to ``end``, both included."""
        t = self._cover(start.year, end.year)
        lo, hi = t.next_index(start.toordinal() - t.base), t.next_index(end.toordinal() - t.base + 1)
        return [dt.date.fromordinal(o) for o in t.days[lo:hi]]

    # -- tables -------------------------------------------------------------------------------------

    def _cover(self, first: int, last: int) -> _Tables:
        """Tables covering the years ``first``…``last`` (kept, and reused by later calls)."""
        if first < FIRST_YEAR or last > LAST_YEAR:
            raise ValueError(f"The working calendar covers the years {FIRST_YEAR}–{LAST_YEAR}.")
        t = self._holder[0]
        if t.n and t.first <= first and last <= t.last:
            return t
        lo, hi = first - 1, last + 2  # a little margin on both sides
        if t.n and lo - 5 <= t.last and t.first <= hi + 5:  # near the current range: grow it
            lo, hi = min(lo, t.first), max(hi, t.last)
        t = _tables(self, max(lo, FIRST_YEAR), min(hi, LAST_YEAR))
        self._holder[:] = [t, self._hot(t)]
        return t

    def positions_now(self) -> Positions:
        """The integer arithmetic of the table as it is (it covers nothing before the first use)."""
        t = self._holder[0]
        if t.positions is None:
            t.positions = Positions(self, t)
        return t.positions

    def positions(self, first: int, last: int) -> Positions:
        """The integer arithmetic (``Positions``) of a table covering the years ``first``…``last``."""
        t = self._holder[0]
        if not (t.n and t.first <= first and last <= t.last):
            t = self._cover(first, last)
        if t.positions is None:
            t.positions = Positions(self, t)
        return t.positions

    def _hot(self, t: _Tables) -> tuple:
        """What the short path of add_working_time reads, in one tuple (no table: nothing)."""
        usable = self._day_min and self.out_zone is self.zone
        return (t.base, t.n if usable else 0, t.wk, t.midnights, len(t.days), self._day_min or 1,
                self._within_m, self._end_m)

    # -- within a day -------------------------------------------------------------------------------

    def _within(self, clock: int) -> int:
        return _within(self._spans, self.day_us, clock)

    def _clock(self, r: int, end: bool) -> int:
        return _clock(self._spans, r, end)

    # -- instants -----------------------------------------------------------------------------------

    def _local(self, instant: dt.datetime) -> dt.datetime:
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise ValueError("Working time needs a timezone-aware datetime.")
        return instant.astimezone(self.zone)

    def _position(self, t: _Tables, local: dt.datetime) -> int:
        """Working time from the start of the table to ``local`` (µs)."""
        w = t.wk[local.toordinal() - t.base]
        if w < 0:
            return ~w * self.day_us
        clock = ((local.hour * 60 + local.minute) * 60 + local.second) * 1_000_000 + local.microsecond
        return w * self.day_us + self._within(clock)

    def is_working_instant(self, instant: dt.datetime) -> bool:
        """Inside an office period of a working day (a period's end is not inside it)."""
        local = self._local(instant)
        if not self.is_working_day(local.date()):
            return False
        clock = ((local.hour * 60 + local.minute) * 60 + local.second) * 1_000_000 + local.microsecond
        return any(start <= clock < end for start, end, _b, _a in self._spans)

    def add_working_days(self, start: dt.datetime, days) -> dt.datetime:
        """``start`` plus ``days`` working days of ``hours_per_day`` each."""
        return self._add(start, hours_to_us(days) * self.day_us // US_PER_HOUR)

    def add_working_time(self, start: dt.datetime, hours) -> dt.datetime:
        """``start`` plus ``hours`` of working time (see the module's docstring).

        The hot path of every due date: whole hours from a start at a whole minute in the
        calendar's zone are counted in minutes with list look-ups only; anything else takes the
        same steps in microseconds (``_add``).
        """
        if type(hours) is int and hours > 0 and start.tzinfo is self.zone and not (
                start.second or start.microsecond):
            base, n, wk, midnights, count, day, within, end_clock = self._holder[1]
            o = start.toordinal() - base
            if 0 <= o < n:
                w = wk[o]
                if w < 0:
                    i, r = divmod(~w * day + hours * 60, day)
                else:
                    i, r = divmod(w * day + within[start.hour * 60 + start.minute] + hours * 60, day)
                if not r:  # exactly at the end of a working day: stay there
                    i -= 1
                    r = day
                if i < count:
                    return midnights[i] + end_clock[r]
        return self._add(start, hours_to_us(hours))

    def _add(self, start: dt.datetime, amount: int) -> dt.datetime:
        """``start`` plus ``amount`` µs of working time, any case."""
        zone = self.zone
        if start.tzinfo is zone:
            local = start
        elif start.tzinfo is None or start.utcoffset() is None:
            raise ValueError("Working time needs a timezone-aware datetime.")
        else:
            local = start.astimezone(zone)
        t = self._holder[0]
        o = local.toordinal() - t.base
        if not 0 <= o < t.n:
            t = self._cover(local.year, local.year)
            o = local.toordinal() - t.base
        day = self.day_us
        w = t.wk[o]
        if w < 0:
            target = ~w * day + amount
        elif local.second or local.microsecond:
            clock = ((local.hour * 60 + local.minute) * 60 + local.second) * 1_000_000 + local.microsecond
            target = w * day + self._within(clock) + amount
        else:
            target = w * day + self._within_min[local.hour * 60 + local.minute] + amount
        i, r = divmod(target, day)
        if amount:
            if not r:  # exactly at the end of a working day: stay there
                i -= 1
                r = day
            clock = self._end_clock.get(r)
            if clock is None:
                clock = dt.timedelta(microseconds=self._clock(r, True))
        else:
            clock = self._start_clock.get(r)
            if clock is None:
                clock = dt.timedelta(microseconds=self._clock(r, False))
        if i >= len(t.days):  # past the table: grow it and compute again
            self._cover(t.first, t.last + 1 + (i - len(t.days)) // 200)
            return self._add(start, amount)
        result = t.midnights[i] + clock
        return result if self.out_zone is zone else result.astimezone(self.out_zone)

    def add_working_time_many(self, starts: Iterable[dt.datetime], hours: Iterable) -> list[dt.datetime]:
        """``[add_working_time(s, h) for s, h in zip(starts, hours)]``, for imports and statistics:
        the same results, with the short path's look-ups bound once for the whole batch."""
        single = self.add_working_time
        zone = self.zone
        hot = self._holder[1]
        base, n, wk, midnights, count, day, within, end_clock = hot
        results: list[dt.datetime] = []
        append = results.append
        for start, h in zip(starts, hours, strict=True):
            if type(h) is int and h > 0 and start.tzinfo is zone and not (start.second or start.microsecond):
                o = start.toordinal() - base
                if 0 <= o < n:
                    w = wk[o]
                    if w < 0:
                        i, r = divmod(~w * day + h * 60, day)
                    else:
                        i, r = divmod(w * day + within[start.hour * 60 + start.minute] + h * 60, day)
                    if not r:
                        i -= 1
                        r = day
                    if i < count:
                        append(midnights[i] + end_clock[r])
                        continue
            append(single(start, h))
            if self._holder[1] is not hot:  # the tables grew: use them from now on
                hot = self._holder[1]
                base, n, wk, midnights, count, day, within, end_clock = hot
        return results

    def working_hours_between(self, a: dt.datetime, b: dt.datetime) -> Decimal:
        """Working hours from ``a`` to ``b`` (negative when ``b`` is before ``a``)."""
        la, lb = self._local(a), self._local(b)
        t = self._cover(min(la.year, lb.year), max(la.year, lb.year))
        return Decimal(self._position(t, lb) - self._position(t, la)) / US_PER_HOUR


# --- the national calendar as plain functions -------------------------------------------------------------

@functools.cache
def national_calendar() -> WorkCalendar:
    """Weekdays − public holidays + shipped make-up days, default office hours, Vietnam time."""
    return WorkCalendar()


def is_working_day(day: dt.date, calendar: WorkCalendar | None = None) -> bool:
    return (calendar or national_calendar()).is_working_day(day)


def add_working_time(start: dt.datetime, hours, calendar: WorkCalendar | None = None) -> dt.datetime:
    return (calendar or national_calendar()).add_working_time(start, hours)


def working_hours_between(a: dt.datetime, b: dt.datetime, calendar: WorkCalendar | None = None) -> Decimal:
    return (calendar or national_calendar()).working_hours_between(a, b)


def parse_instant(text: str, calendar: WorkCalendar | None = None) -> dt.datetime:
    """An ISO 8601 date or date-time; without an offset it is read in the calendar's zone.

    Raises ValueError for anything else (the command line and the API turn it into a clear error).
    """
    text = (text or "").strip()
    if not text or len(text) > 40:
        raise ValueError("Give the start as an ISO 8601 date or date-time, e.g. 2026-02-13T10:00.")
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"Not an ISO 8601 date or date-time: {text!r}.")
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"The working calendar covers the years {FIRST_YEAR}–{LAST_YEAR}.")
    if value.tzinfo is None:
        value = value.replace(tzinfo=(calendar or national_calendar()).zone)
    return value


if __name__ == "__main__":  # writes HOLIDAYS_FILE from the installed holidays package, a year a line
    copy = holidays_copy()
    years = {language: "{\n" + ",\n".join(f"   {json.dumps(year)}: {json.dumps(days, ensure_ascii=False)}"
                                           for year, days in by_year.items()) + "\n  }"
             for language, by_year in copy.pop("holidays").items()}
    text = json.dumps(copy, ensure_ascii=False, indent=1)[:-2] + ',\n "holidays": {\n' + ",\n".join(
        f"  {json.dumps(language)}: {body}" for language, body in years.items()) + "\n }\n}\n"
    assert json.loads(text)["holidays"] == holidays_copy()["holidays"]
    HOLIDAYS_FILE.write_text(text, encoding="utf-8")
