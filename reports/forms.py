from django import forms
from django.utils.html import conditional_escape

from portal import vietnamese, widgets
from reports import prose
from reports.figures import bases
from reports.indicators import UNITS, Indicator, Unit, check_value
from reports.models import ProvinceSummary, Report, ReportRequest
from reports.outlines import BUILT_IN, BUILT_IN_CHOICES, LEVEL_CHOICES, Kind
from teams.models import Commune, Province

DATE = widgets.DateInput()


class RequestForm(forms.ModelForm):
    """A department's request. The province is the staff member's own (set by the view)."""

    deadline = widgets.SplitDateTimeField(label="Hạn nộp (ngày và giờ)")
    outline_name = forms.ChoiceField(label="Đề cương", choices=BUILT_IN_CHOICES)

    class Meta:
        model = ReportRequest
        fields = [
            "letter_number",
            "letter_date",
            "issuer",
            "subject",
            "period_start",
            "period_end",
            "deadline",
            "communes",
            "report_subject",
            "recipients",
        ]
        widgets = {
            "letter_date": DATE,
            "period_start": DATE,
            "period_end": DATE,
            "communes": forms.CheckboxSelectMultiple,
            "recipients": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, province, **kwargs):
        super().__init__(*args, **kwargs)
        communes = Commune.objects.filter(province=province).open_on()
        self.fields["communes"].queryset = communes
        self.fields["communes"].help_text = "Mặc định là tất cả xã/phường đang hoạt động của tỉnh/thành phố."
        if not self.is_bound:
            self.initial.setdefault("communes", list(communes.values_list("pk", flat=True)))
            self.initial.setdefault(
                "recipients",
                f"Sở Khoa học và Công nghệ {province.short_name} (b/c)\nLãnh đạo UBND xã\nLưu: VT, VHXH",
            )

    def clean_letter_number(self):
        return self.cleaned_data["letter_number"].strip().upper()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "Ngày cuối kỳ báo cáo phải sau ngày đầu kỳ.")
        return cleaned

    def outline(self):
        return BUILT_IN[self.cleaned_data["outline_name"]]


class ProvinceChoiceForm(forms.Form):
    """An administrator, who has no province of their own, says which province the request is for."""

    province = forms.ModelChoiceField(label="Tỉnh/thành phố", queryset=Province.objects.open_on())


def clean_document_number(number, symbol):
    """The registry number of a document: digits only, the symbol is printed after it."""
    number = number.strip()
    if number and not number.isdigit():
        raise forms.ValidationError(
            f"Chỉ nhập số thứ tự (ví dụ 12); ký hiệu /{symbol} được thêm tự động. Để trống nếu chưa vào sổ."
        )
    return number


HEADER_FIELDS = [
    "number",
    "issued_on",
    "place",
    "subject",
    "opening",
    "closing",
    "signer_authority",
    "signer_title",
    "signer_name",
    "recipients",
]


class DocumentHeaderForm(forms.ModelForm):
    """The header and signer of an official document (reports.models.OfficialDocument); the
    report's and the summary's forms add their own fields and prose boxes."""

    class Meta:
        fields = HEADER_FIELDS
        widgets = {
            "issued_on": DATE,
            "opening": forms.Textarea(attrs={"rows": 3}),
            "closing": forms.Textarea(attrs={"rows": 2}),
            "recipients": forms.Textarea(attrs={"rows": 4}),
        }

    def clean_number(self):
        return clean_document_number(self.cleaned_data["number"], self.document_symbol())

    def document_symbol(self):
        return self.instance.document_symbol


class ReportForm(DocumentHeaderForm):
    """The commune's editor: header, one text box per section, and the indicator figures."""

    revision = forms.IntegerField(widget=forms.HiddenInput)

    class Meta(DocumentHeaderForm.Meta):
        model = Report
        widgets = {
            **DocumentHeaderForm.Meta.widgets,
            # Suggestions, not choices: the lists are in templates/reports/report_form.html.
            "signer_authority": forms.TextInput(attrs={"list": "signer-authorities"}),
            "signer_title": forms.TextInput(attrs={"list": "signer-titles"}),
        }
        help_texts = {
            "signer_authority": "KT. CHỦ TỊCH khi Phó Chủ tịch ký thay; TM. ỦY BAN NHÂN DÂN khi Chủ tịch ký",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        report = self.instance
        self.initial.setdefault("revision", report.revision)
        self.sections = report.request.numbered_sections()
        for item in self.sections:
            label = f"{item['number']} {item['title']}"
            if item["kind"] in Kind.DATA:
                label += " (viết thêm, nếu cần)"
            self.fields[f"prose_{item['key']}"] = forms.CharField(
                label=label,
                required=False,
                # The department's guidance is its text, not HTML: escaped here too, whatever template renders it.
                help_text=conditional_escape(item.get("guidance", "")),
                initial=report.prose_text(item["key"]),
                widget=forms.Textarea(attrs={"rows": 8 if item["kind"] == Kind.PROSE else 3}),
            )
        values = {v.indicator: v.value for v in report.indicator_values.all()}
        targets = {t.indicator: t for t in report.request.targets.all()}
        for code in report.request.indicator_codes():
            unit = Unit(UNITS[code]).label
            target = targets.get(code)
            self.fields[f"indicator_{code}"] = forms.DecimalField(
                label=f"{Indicator(code).label} ({unit})",
                help_text=(
                    f"Mục tiêu của kế hoạch: {target.get_comparison_display()} {vietnamese.number(target.target, 2)} %"
                    if target
                    else ""
                ),
                required=False,
                min_value=0,
                max_digits=12,
                decimal_places=2,
                initial=values.get(code),
                localize=True,
            )

    def prose_fields(self):
        return [self[f"prose_{item['key']}"] for item in self.sections]

    def indicator_fields(self):
        return [self[name] for name in self.fields if name.startswith("indicator_")]

    def clean(self):
        cleaned = super().clean()
        households, population = bases(self.instance.commune)
        self.shares = {}
        for code in self.instance.request.indicator_codes():
            value = cleaned.get(f"indicator_{code}")
            if value is None:
                continue
            try:
                self.shares[code] = check_value(code, value, households, population)
            except ValueError as error:
                self.add_error(f"indicator_{code}", str(error))
        return cleaned

    def prose(self):
        return {item["key"]: prose.stored(self.cleaned_data[f"prose_{item['key']}"]) for item in self.sections}

    def indicator_values(self):
        """{code: (value, share)} for reports.workflow.save_draft; None removes a figure."""
        return {
            code: (self.cleaned_data.get(f"indicator_{code}"), self.shares.get(code))
            for code in self.instance.request.indicator_codes()
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Lý do", widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": "Cần ghi rõ lý do."}
    )


class OutlineSectionForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label="Tên mục", max_length=300)
    kind = forms.ChoiceField(label="Loại", choices=Kind.CHOICES)
    level = forms.TypedChoiceField(label="Cấp", choices=LEVEL_CHOICES, coerce=int, required=False, empty_value=1)
    guidance = forms.CharField(label="Hướng dẫn cho xã", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class BaseOutlineFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if not any(form.cleaned_data and not self._should_delete_form(form) for form in self.forms):
            raise forms.ValidationError("Đề cương cần ít nhất một mục.")

    def sections(self, previous):
        """The sections in the order given, keeping each kept section's indicators and targets."""
        old = {item["key"]: item for item in previous}
        sections = []
        for form in self.ordered_forms:
            item = {name: form.cleaned_data[name] for name in ("key", "kind", "title", "guidance", "level")}
            if item["kind"] == Kind.INDICATORS:
                kept = old.get(item["key"], {}).get("indicators")
                item["indicators"] = kept or [{"code": code, "comparison": None, "target": None} for code in Indicator]
            sections.append(item)
        return sections


OutlineFormSet = forms.formset_factory(
    OutlineSectionForm, formset=BaseOutlineFormSet, extra=1, can_order=True, can_delete=True
)


class ProvinceSummaryForm(DocumentHeaderForm):
    """The department's summary: header, signer, recipients and the two sections it writes."""

    assessment = forms.CharField(
        label="Đánh giá chung",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Kết quả nổi bật, hạn chế và nguyên nhân qua báo cáo của các xã, phường.",
    )
    proposals = forms.CharField(label="Đề xuất, kiến nghị", required=False, widget=forms.Textarea(attrs={"rows": 6}))

    class Meta(DocumentHeaderForm.Meta):
        model = ProvinceSummary
        fields = ["parent_body", "issuing_body", "symbol", *HEADER_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key in ("assessment", "proposals"):
            self.fields[key].initial = self.instance.prose_text(key)

    def document_symbol(self):
        return self.cleaned_data.get("symbol") or "BC"

    def clean_symbol(self):
        return self.cleaned_data["symbol"].strip().upper()

    def prose(self):
        return {key: prose.stored(self.cleaned_data[key]) for key in ("assessment", "proposals")}
