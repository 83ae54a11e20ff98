"""Dates typed and shown as dd/mm/yyyy and months as mm/yyyy in every browser; file inputs in the
page's language (issue 10)."""

import datetime
import re
from pathlib import Path

import pytest
from django import forms
from django.utils import translation

from eiso.core.formfields import MonthField, parse_month
from eiso.documents.forms_records import RecordDisposeForm
from eiso.organizations.forms import BootstrapMixin

ROOT = Path(__file__).resolve().parent.parent / "eiso"
BROWSER_PICKERS = re.compile(r"""type=["']?(date|month)\b|["']type["']\s*:\s*["'](date|month)["']""")


def test_no_form_or_template_asks_the_browser_for_its_own_date_picker():
    offenders = []
    for path in ROOT.rglob("*"):
        if path.suffix not in (".py", ".html") or "tests" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if BROWSER_PICKERS.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []


class _Form(BootstrapMixin, forms.Form):
    effective_on = forms.DateField(label="Ngày hiệu lực", widget=forms.DateInput(attrs={"type": "date"}))
    month = MonthField(label="Tháng", required=False)


def test_a_date_is_typed_as_day_month_year():
    form = _Form({"effective_on": "31/12/2026", "month": "12/2026"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"effective_on": datetime.date(2026, 12, 31), "month": "2026-12"}


def test_month_first_dates_are_refused_with_a_message_naming_the_field():
    with translation.override("vi"):
        form = _Form({"effective_on": "12/31/2026", "month": "2026/12"})
        assert not form.is_valid()
        assert form.errors["effective_on"] == ["Ngày hiệu lực: nhập ngày theo dạng dd/mm/yyyy, ví dụ 31/12/2026."]
        assert form.errors["month"] == ["Tháng: nhập tháng theo dạng mm/yyyy, ví dụ 12/2026."]


def test_dates_show_as_day_month_year_in_a_text_input():
    html = str(_Form(initial={"effective_on": datetime.date(2026, 1, 2), "month": "2026-01"}))
    assert 'type="text"' in html and 'value="02/01/2026"' in html and 'value="01/2026"' in html
    assert 'type="date"' not in html and 'placeholder="dd/mm/yyyy"' in html


def test_iso_dates_still_read_for_links_and_bookmarks():
    form = RecordDisposeForm({"disposed_on": "2026-12-31", "note": "Hết hạn lưu trữ"})
    form.is_valid()
    assert form.cleaned_data["disposed_on"] == datetime.date(2026, 12, 31)


@pytest.mark.parametrize("text, expected", [("12/2026", (2026, 12)), ("1/2026", (2026, 1)), ("2026-03", (2026, 3)),
                                            ("13/2026", None), ("2026/12", None), ("", None)])
def test_months(text, expected):
    assert parse_month(text) == expected


def test_file_inputs_speak_the_pages_language():
    class Upload(BootstrapMixin, forms.Form):
        file = forms.FileField(label="Tệp")

    with translation.override("vi"):
        html = str(Upload())
    assert "Chọn tệp" in html and "Chưa chọn tệp" in html and 'type="file"' in html


@pytest.mark.django_db
def test_the_statistics_page_takes_months_as_month_year(client, a_head):
    client.force_login(a_head)
    page = client.get("/dossiers/statistics/", {"from": "01/2026", "to": "06/2026"})
    assert page.status_code == 200
    assert page.context["query"] is not None
    assert (page.context["query"].start, page.context["query"].end) == (datetime.date(2026, 1, 1),
                                                                        datetime.date(2026, 6, 1))
    assert 'value="01/2026"' in page.content.decode()


def test_times_and_moments_are_typed_as_24_hour_text():
    class Moment(BootstrapMixin, forms.Form):
        at = forms.DateTimeField(label="Hẹn trả", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
        opens = forms.TimeField(label="Giờ mở cửa", widget=forms.TimeInput(attrs={"type": "time"}))

    form = Moment({"at": "31/12/2026 14:30", "opens": "07:30"})
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["at"].day, form.cleaned_data["at"].hour) == (31, 14)
    assert form.cleaned_data["opens"] == datetime.time(7, 30)
    html = str(Moment())
    assert "datetime-local" not in html and 'type="time"' not in html and "dd/mm/yyyy hh:mm" in html
    with translation.override("vi"):
        refused = Moment({"at": "12/31/2026 14:30", "opens": "7:30 PM"})
        assert not refused.is_valid()
        assert refused.errors["at"][0].startswith("Hẹn trả:") and refused.errors["opens"][0].startswith("Giờ mở cửa:")
