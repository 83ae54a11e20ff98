"""A CSV file is checked to be UTF-8 from its first byte to its last before its import starts; the
refusal names the first line that is not. A UTF-8 file with a byte order mark imports fine."""

import io

import pytest

from eiso.core.errors import ValidationFailed
from eiso.core.tabular import check_utf8, read_table

ALIASES = {"code": ["Mã hồ sơ"], "name": ["Tên thủ tục"]}
ROW = "HS-{n:06d},Đăng ký khai sinh cho trẻ em dưới 6 tuổi\n"


def mixed_file() -> tuple[bytes, int]:
    """UTF-8 for its first 64 KB and more, then cp1258 (as when two exports are pasted together);
    returns the bytes and the number of the first cp1258 line."""
    utf8 = "Mã hồ sơ,Tên thủ tục\n" + "".join(ROW.format(n=n) for n in range(2000))
    assert len(utf8.encode()) > 64 * 1024
    cp1258 = "".join(ROW.format(n=n) for n in range(2000, 2010)).encode("cp1258", errors="replace")
    return utf8.encode() + cp1258, 2002


def test_a_file_utf8_only_at_its_start_is_refused_before_any_row_naming_the_line():
    data, line = mixed_file()
    with pytest.raises(ValidationFailed) as exc:
        read_table(io.BytesIO(data), "thang2.csv", aliases=ALIASES, required=["code"])  # not even iterated
    assert "thang2.csv" in exc.value.message and str(line) in exc.value.message


def test_a_byte_order_mark_and_characters_cut_between_chunks_are_fine():
    text = "Mã hồ sơ,Tên thủ tục\n" + "".join(ROW.format(n=n) for n in range(40_000))  # over 2 MB
    data = "\ufeff".encode() + text.encode()
    check_utf8(io.BytesIO(data))
    table = read_table(io.BytesIO(data), "thang2.csv", aliases=ALIASES, required=["code", "name"])
    rows = list(table.rows)
    assert len(rows) == 40_000
    assert rows[0] == (2, {"code": "HS-000000", "name": "Đăng ký khai sinh cho trẻ em dưới 6 tuổi"})


def test_the_line_is_counted_across_chunks():
    data = ("a\n" * 600_000).encode() + "é".encode("cp1258") + b"\n"  # the bad byte lies in the second chunk
    with pytest.raises(ValidationFailed) as exc:
        check_utf8(io.BytesIO(data), "x.csv")
    assert "600001" in exc.value.message
