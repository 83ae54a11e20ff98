"""Vietnamese text folding for search: `Đăng ký` and `dang ky` fold to the same key."""

import unicodedata

_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})


def fold(text: str | None) -> str:
    """NFD, drop combining marks, map đ→d and Đ→D, casefold. Pure; keeps word boundaries."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_MAP))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).casefold()


def is_id(value) -> bool:
    """Whether a query-string or form value is a database id: ASCII digits within the 64-bit range.

    ``str.isdigit`` alone accepts "²" and "٣", which ``int()`` then rejects with an error.
    """
    text = str(value)
    return text.isascii() and text.isdigit() and int(text) < 2**63


def parse_year(value, *, low: int = 2000, high: int = 2999) -> int | None:
    """The year a query-string value names (ASCII digits from ``low`` to ``high``), else None."""
    text = str(value)
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 4 and low <= int(text) <= high else None
