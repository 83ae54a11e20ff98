"""Dates typed as dd/mm/yyyy and months as mm/yyyy, the same in every browser.

A browser's own date and month pickers follow the browser's language, not the page's (an English
browser shows "mm/dd/yyyy" and "January 2026"; Firefox has no month picker), so every form takes
dates in plain text inputs with a placeholder and parses them here. ISO dates (2026-12-31) are
accepted too, for links and old bookmarks; the API keeps ISO dates through its own schemas.
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DATE_FORMAT = "%d/%m/%Y"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATE_PLACEHOLDER = "dd/mm/yyyy"
MONTH_PLACEHOLDER = "mm/yyyy"
_MONTH = re.compile(r"^\s*(?:(\d{1,2})\s*[/.-]\s*(\d{4})|(\d{4})-(\d{1,2}))\s*$")


def _date_attrs(attrs=None) -> dict:
    attrs = {k: v for k, v in (attrs or {}).items() if k != "type"}
    return {"placeholder": DATE_PLACEHOLDER, "inputmode": "numeric", "autocomplete": "off",
            "maxlength": "10", "data-eiso-date": "", **attrs}


class DateInput(forms.DateInput):
    """A text input showing dd/mm/yyyy."""

    input_type = "text"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs=_date_attrs(attrs), format=DATE_FORMAT)


def date_error(label) -> str:
    return _("%(field)s: enter the date as dd/mm/yyyy, for example 31/12/2026.") % {
        "field": str(label or _("Date"))}


def make_date_field(field: forms.DateField) -> None:
    """Turn a Django DateField (of a Form or a ModelForm) into one typed as dd/mm/yyyy."""
    attrs = {k: v for k, v in field.widget.attrs.items() if k != "type"}
    field.widget = DateInput(attrs=attrs)
    field.input_formats = DATE_INPUT_FORMATS
    field.error_messages = {**field.error_messages, "invalid": date_error(field.label)}


class DateField(forms.DateField):
    widget = DateInput
    input_formats = DATE_INPUT_FORMATS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        make_date_field(self)


def parse_month(text: str) -> tuple[int, int] | None:
    """``(year, month)`` of "12/2026", "12.2026" or "2026-12"; None when it is not a month."""
    m = _MONTH.match(text or "")
    if not m:
        return None
    month, year = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
    year, month = int(year), int(month)
    if not 1 <= month <= 12 or not 1900 <= year <= 2999:
        return None
    return year, month


class MonthInput(forms.TextInput):
    def __init__(self, attrs=None):
        attrs = {k: v for k, v in (attrs or {}).items() if k not in ("type", "pattern")}
        super().__init__(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": "7",
                                **attrs, "placeholder": MONTH_PLACEHOLDER})

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return f"{value.month:02d}/{value.year}"
        parsed = parse_month(value) if isinstance(value, str) else None
        if parsed:
            return f"{parsed[1]:02d}/{parsed[0]}"
        return super().format_value(value)


class MonthField(forms.CharField):
    """A month typed as mm/yyyy; cleans to "yyyy-mm" (the form the period code reads)."""

    widget = MonthInput

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return ""
        parsed = parse_month(value)
        if parsed is None:
            message = _("%(field)s: enter the month as mm/yyyy, for example 12/2026.")
            raise ValidationError(message % {"field": str(self.label or _("Month"))}, code="invalid")
        return f"{parsed[0]:04d}-{parsed[1]:02d}"


DATETIME_FORMAT = "%d/%m/%Y %H:%M"
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S",
                          "%Y-%m-%d %H:%M", "%Y-%m-%d"]
DATETIME_PLACEHOLDER = "dd/mm/yyyy hh:mm"


class DateTimeInput(forms.DateTimeInput):
    """A text input showing dd/mm/yyyy hh:mm (24-hour), not the browser's own picker."""

    input_type = "text"

    def __init__(self, attrs=None, format=None):
        attrs = {k: v for k, v in (attrs or {}).items() if k != "type"}
        super().__init__(attrs={"placeholder": DATETIME_PLACEHOLDER, "autocomplete": "off", "maxlength": "16",
                                **attrs}, format=DATETIME_FORMAT)


def make_datetime_field(field: forms.DateTimeField) -> None:
    field.widget = DateTimeInput(attrs=field.widget.attrs)
    field.input_formats = DATETIME_INPUT_FORMATS
    field.error_messages = {**field.error_messages, "invalid": _(
        "%(field)s: enter the date and time as dd/mm/yyyy hh:mm, for example 31/12/2026 14:30.") % {
        "field": str(field.label or _("Time"))}}


class TimeInput(forms.TimeInput):
    """A text input showing hh:mm (24-hour): a browser's time picker shows AM/PM in English."""

    input_type = "text"

    def __init__(self, attrs=None, format=None):
        attrs = {k: v for k, v in (attrs or {}).items() if k != "type"}
        super().__init__(attrs={"placeholder": "hh:mm", "autocomplete": "off", "maxlength": "5", **attrs},
                         format="%H:%M")


def make_time_field(field: forms.TimeField) -> None:
    field.widget = TimeInput(attrs=field.widget.attrs)
    field.input_formats = ["%H:%M", "%H:%M:%S", "%Hh%M", "%H.%M"]
    field.error_messages = {**field.error_messages, "invalid": _(
        "%(field)s: enter the time as hh:mm, for example 07:30.") % {"field": str(field.label or _("Time"))}}
