"""The printed words and their formatting."""

import datetime

import pytest

from eiso.reports.vocabulary import dated_line, retention_text

# --- vocabulary -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ((2026, 3, 5), "Nghệ An, ngày 05 tháng 3 năm 2026"),
        ((2026, 1, 15), "Nghệ An, ngày 15 tháng 01 năm 2026"),
        ((2025, 12, 31), "Nghệ An, ngày 31 tháng 12 năm 2025"),
    ],
)
def test_dated_line_follows_decree_30(day, expected):

    assert dated_line("Nghệ An", datetime.date(*day)) == expected


def test_retention_text():
    assert retention_text(None) == "Vĩnh viễn"
    assert retention_text(5) == "05 năm"
    assert retention_text(20) == "20 năm"
