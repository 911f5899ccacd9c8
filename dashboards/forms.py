import datetime

from django import forms

from teams.models import last_of_month


class PeriodForm(forms.Form):
    """The period of activities a dashboard counts: a month, a quarter, a year or two dates."""

    KINDS = [("month", "Tháng"), ("quarter", "Quý"), ("year", "Năm"), ("custom", "Tùy chọn")]

    kind = forms.ChoiceField(label="Kỳ", choices=KINDS, initial="year")
    year = forms.IntegerField(label="Năm", min_value=2020, max_value=2100, required=False)
    month = forms.IntegerField(label="Tháng", min_value=1, max_value=12, required=False)
    quarter = forms.IntegerField(label="Quý", min_value=1, max_value=4, required=False)
    start = forms.DateField(label="Từ ngày", required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    end = forms.DateField(label="Đến ngày", required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"])

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        needed = {
            "month": ["year", "month"],
            "quarter": ["year", "quarter"],
            "year": ["year"],
            "custom": ["start", "end"],
        }
        for name in needed.get(kind, []):
            if data.get(name) is None and name not in self.errors:
                self.add_error(name, "Vui lòng nhập trường này cho kỳ đã chọn.")
        if kind == "custom" and data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "Ngày kết thúc phải sau ngày bắt đầu.")
        return data

    def period(self):
        """(start, end) of the chosen period; call after is_valid()."""
        data = self.cleaned_data
        if data["kind"] == "custom":
            return data["start"], data["end"]
        year = data["year"]
        if data["kind"] == "month":
            start = datetime.date(year, data["month"], 1)
            return start, last_of_month(start)
        if data["kind"] == "quarter":
            start = datetime.date(year, 3 * data["quarter"] - 2, 1)
            return start, last_of_month(start.replace(month=start.month + 2))
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
