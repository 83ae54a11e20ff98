import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from eiso.core.text import fold


def test_fold_vietnamese_examples():
    assert fold("Đăng ký kinh doanh") == "dang ky kinh doanh"
    assert fold("ĐĂNG KÝ") == "dang ky"
    assert fold("Quyết định số 19/2014/QĐ-TTg") == "quyet dinh so 19/2014/qd-ttg"
    assert fold("Sở Khoa học và Công nghệ") == "so khoa hoc va cong nghe"
    assert fold("") == "" and fold(None) == ""


def test_fold_handles_decomposed_input():
    decomposed = unicodedata.normalize("NFD", "Thủ tục hành chính")
    assert fold(decomposed) == fold("Thủ tục hành chính") == "thu tuc hanh chinh"


@given(st.text())
def test_fold_is_idempotent_and_drops_every_mark(text):
    folded = fold(text)
    assert fold(folded) == folded
    assert "đ" not in folded and "Đ" not in folded
    assert not any(unicodedata.combining(ch) for ch in unicodedata.normalize("NFD", folded))
