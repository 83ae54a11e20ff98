"""What the recording engine reads: one ``EventRow`` per event, and how a value from a file or the
API becomes one of its fields (no ORM).

Values that cannot be read are passed on as they are (an unknown event, a time of None), so the
validator names the row in its message instead of the reader failing on it. Times are local
(``YYYY-MM-DD HH:MM``, the site's time zone, Asia/Ho_Chi_Minh), ``dd/mm/yyyy HH:MM`` or ISO 8601
with an offset; events are named by their code (``step_done``) or in Vietnamese (`Chuyển bước`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone

from eiso.core.tabular import choice_lookup, match_choice
from eiso.dossiers.choices import Channel, EventKind

CHUNK = 2000  # codes or ids per query; rows are written in batches of five chunks


@dataclass(slots=True)
class EventRow:
    """One event as read from a file or the API; ``row`` names it in messages (line, index…)."""

    row: object
    code: str
    kind: str
    at: dt.datetime | None
    step: int = 0
    agency_code: str = ""
    procedure_code: str = ""
    channel: str = ""
    applicant: str = ""
    note: str = ""
    actor: str = ""


class Fallback(Exception):  # noqa: N818 (a signal, not an error: the row reader takes over)
    """A file the columnar reader (``columnar``, which loads polars only when a large file comes)
    leaves to the row-by-row engine: that one names every bad row."""


@dataclass
class RecordSummary:
    rows: int = 0
    dossiers_created: int = 0
    dossiers_touched: int = 0
    events_created: int = 0
    events_duplicate: int = 0


# --- values ---------------------------------------------------------------------------------------

EVENT_NAMES = choice_lookup([
    (EventKind.RECEIVED, ["tiếp nhận", "nhận hồ sơ", "tiếp nhận hồ sơ"]),
    (EventKind.STEP_DONE, ["chuyển bước", "hoàn thành bước", "bàn giao", "chuyển xử lý", "step done"]),
    (EventKind.SUPPLEMENT_REQUESTED, ["yêu cầu bổ sung", "bổ sung hồ sơ"]),
    (EventKind.SUPPLEMENT_RECEIVED, ["nhận bổ sung", "đã bổ sung", "tiếp nhận bổ sung"]),
    (EventKind.PAYMENT_REQUESTED, ["yêu cầu thanh toán", "yêu cầu nộp phí", "chờ thanh toán"]),
    (EventKind.PAYMENT_DONE, ["đã thanh toán", "đã nộp phí", "thanh toán"]),
    (EventKind.RETURNED, ["trả kết quả", "đã trả kết quả"]),
    (EventKind.WITHDRAWN, ["rút hồ sơ", "công dân rút hồ sơ"]),
    (EventKind.STOPPED, ["dừng xử lý", "dừng giải quyết"]),
    (EventKind.REFUSED, ["từ chối", "không tiếp nhận", "từ chối giải quyết"]),
])
CHANNEL_NAMES = choice_lookup([
    (Channel.DIRECT, ["trực tiếp", "tại bộ phận một cửa", "một cửa"]),
    (Channel.ONLINE, ["trực tuyến", "dịch vụ công trực tuyến", "qua mạng"]),
    (Channel.POSTAL, ["bưu chính", "bưu điện", "dịch vụ bưu chính công ích"]),
])
_EVENT_CODES = frozenset(EventKind.values)
_CHANNEL_CODES = frozenset(Channel.values)
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")


def parse_at(value, zone=None) -> dt.datetime | None:
    """An instant from ``YYYY-MM-DD HH:MM[:SS]`` or ``dd/mm/yyyy HH:MM`` in local time, ISO 8601
    with an offset (or Z), or an Excel date-time (local). None when it is not a date and time."""
    zone = zone or timezone.get_default_timezone()
    if isinstance(value, dt.datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=zone)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if len(text) < 16:  # a date alone is not an instant
        return None
    try:
        at = dt.datetime.fromisoformat(text)
    except ValueError:
        match = _DMY.match(text)
        if not match:
            return None
        day, month, year, hour, minute, second = (int(g or 0) for g in match.groups())
        try:
            at = dt.datetime(year, month, day, hour, minute, second)
        except ValueError:
            return None
    return at if at.tzinfo is not None else at.replace(tzinfo=zone)


def event_kind(value) -> str:
    """The event code for a code or a Vietnamese name; anything else as it was (the engine names it)."""
    text = "" if value is None else str(value).strip()
    if text in _EVENT_CODES:
        return text
    return match_choice(EVENT_NAMES, text) or text


def channel_code(value) -> str:
    text = "" if value is None else str(value).strip()
    if not text or text in _CHANNEL_CODES:
        return text
    return match_choice(CHANNEL_NAMES, text) or text


def step_number(value) -> int | None:
    """A step number; 0 when blank; None when it is not a whole number (the engine names the row
    if the event needs one)."""
    if value is None or value == "":
        return 0
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = str(value).strip()
    if not text:
        return 0
    if text.endswith(".0"):
        text = text[:-2]
    return int(text) if text.isdigit() else None
