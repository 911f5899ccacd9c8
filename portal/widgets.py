"""Date, time and month fields written the Vietnamese way whatever the browser's language.

A browser's own ``<input type="date">`` follows the language of the browser, not the page's:
an English phone shows 12/01/2026 for 1 December and "05:00 PM". These widgets are text
inputs that show dd/mm/yyyy, HH:MM (24 hours) and mm/yyyy; the server parses what is typed
(ISO dates too, so scripts and tests that send 2026-12-01 keep working). A phone's number
pad has no "/": ``static/dates.js`` adds the separators while digits are typed, and the
server accepts the digits alone (05012026, 1700) as well. The accepted formats are the
locale's (``portal/formats/vi/formats.py``), so a ModelForm's own date fields accept them too
once they take ``DateInput``.
"""

from django import forms
from django.forms.utils import to_current_timezone

from portal.formats.vi.formats import DATE_INPUT_FORMATS as DATE_FORMATS
from portal.formats.vi.formats import TIME_INPUT_FORMATS as TIME_FORMATS

MONTH_FORMATS = ["%m/%Y", "%m-%Y", "%m%Y", "%Y-%m"]


def _attrs(attrs, kind, placeholder, pattern):
    return {
        "inputmode": "numeric",
        "autocomplete": "off",
        "placeholder": placeholder,
        "pattern": pattern,
        "maxlength": len(placeholder),
        f"data-{kind}": "",
        **(attrs or {}),
    }


class DateInput(forms.DateInput):
    """dd/mm/yyyy in a text input (two-digit day and month, as Decree 30 writes dates)."""

    input_type = "text"

    def __init__(self, attrs=None):
        pattern = r"\d{1,2}[\/.\-]\d{1,2}[\/.\-]\d{4}|\d{8}|\d{4}-\d{2}-\d{2}"
        super().__init__(_attrs(attrs, "date", "dd/mm/yyyy", pattern), format="%d/%m/%Y")


class TimeInput(forms.TimeInput):
    """HH:MM on a 24-hour clock."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(_attrs(attrs, "time", "HH:MM", r"\d{1,2}[:.h]?\d{2}"), format="%H:%M")


class MonthInput(forms.DateInput):
    """mm/yyyy for a month (stored as its first day)."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(_attrs(attrs, "month", "mm/yyyy", r"\d{1,2}[\/\-]?\d{4}|\d{4}-\d{2}"), format="%m/%Y")


class SplitDateTimeWidget(forms.MultiWidget):
    """A date and a time side by side, both as above."""

    def __init__(self, attrs=None):
        super().__init__([DateInput(attrs), TimeInput(attrs)])

    def decompress(self, value):
        if value:
            value = to_current_timezone(value)
            return [value.date(), value.time()]
        return [None, None]


class DateField(forms.DateField):
    widget = DateInput
    input_formats = DATE_FORMATS
    default_error_messages = {"invalid": "Hãy nhập ngày theo dạng ngày/tháng/năm, ví dụ 05/01/2026."}


class MonthField(forms.DateField):
    widget = MonthInput
    input_formats = MONTH_FORMATS
    default_error_messages = {"invalid": "Hãy nhập tháng theo dạng tháng/năm, ví dụ 03/2026."}


class SplitDateTimeField(forms.SplitDateTimeField):
    widget = SplitDateTimeWidget
    default_error_messages = {
        "invalid_date": DateField.default_error_messages["invalid"],
        "invalid_time": "Hãy nhập giờ theo dạng giờ:phút (24 giờ), ví dụ 17:00.",
    }

    def __init__(self, **kwargs):
        super().__init__(input_date_formats=DATE_FORMATS, input_time_formats=TIME_FORMATS, **kwargs)


def filter_bar(fields):
    """Bootstrap's look for a list's filter fields drawn by hand (not by crispy forms): drop-downs
    as form-select, boxes as form-control, the search box ``q`` as type="search"."""
    for name, field in fields.items():
        field.widget.attrs["class"] = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        if name == "q":
            field.widget.attrs["type"] = "search"
