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
