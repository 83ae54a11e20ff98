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


def test_unbreakable_place_keeps_the_place_name_on_one_line():
    from eiso.reports.vocabulary import unbreakable_place

    nb = "\u00a0"
    assert unbreakable_place("SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH NGHỆ AN") == f"SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH{nb}NGHỆ{nb}AN"
    assert unbreakable_place("ỦY BAN NHÂN DÂN PHƯỜNG TRƯỜNG VINH") == f"ỦY BAN NHÂN DÂN PHƯỜNG{nb}TRƯỜNG{nb}VINH"
    assert unbreakable_place("Ủy ban nhân dân xã Kim Liên") == f"Ủy ban nhân dân xã{nb}Kim{nb}Liên"
    assert unbreakable_place("SỞ TƯ PHÁP") == "SỞ TƯ PHÁP"  # no place name: unchanged
    long = "Trung tâm thành phố Rất Dài Rất Dài Rất Dài Rất Dài Rất Dài"  # glued, it would overflow
    assert unbreakable_place(long) == long


def test_document_number_in_the_agencys_style():
    from eiso.reports.vocabulary import document_number

    assert document_number("NC-2026-006", "HĐKP", "STP") == "06/HĐKP-STP"
    assert document_number("NC-2026-123", "HĐKP", "SKHCN") == "123/HĐKP-SKHCN"
    assert document_number("NC-7", "HĐKP") == "07/HĐKP"
    assert document_number("KHONG-SO", "HĐKP", "STP") == "KHONG-SO"


def test_a_long_agency_name_breaks_before_its_place_name():
    from eiso.reports.vocabulary import heading_lines

    nb = "\u00a0"
    def chars(n):
        return lambda text: len(text) <= n

    assert heading_lines("SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH NGHỆ AN", chars(24)) == [
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ", f"TỈNH{nb}NGHỆ{nb}AN"]
    assert heading_lines("SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH NGHỆ AN", chars(40)) == [
        f"SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH{nb}NGHỆ{nb}AN"]
    assert heading_lines("SỞ TƯ PHÁP TỈNH NGHỆ AN", chars(24)) == [f"SỞ TƯ PHÁP TỈNH{nb}NGHỆ{nb}AN"]
    assert heading_lines("VĂN PHÒNG ĐOÀN ĐẠI BIỂU QUỐC HỘI", chars(24)) == ["VĂN PHÒNG ĐOÀN ĐẠI BIỂU QUỐC HỘI"]


def test_the_heading_column_fits_the_names_of_the_demo_province():
    """Measured with the font's metrics: the national title fits its column, and a department's name
    without its province fits the agency's (portrait A4, 165 mm of text)."""
    from eiso.reports.word.blocks import HEADING_SPLIT, fits_line

    assert fits_line(165 * (1 - HEADING_SPLIT), bold=True)("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert fits_line(165 * HEADING_SPLIT, bold=True)("SỞ KHOA HỌC VÀ CÔNG NGHỆ")
    assert not fits_line(165 * HEADING_SPLIT, bold=True)("SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH NGHỆ AN")
