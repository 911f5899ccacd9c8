import re

from django import forms
from django.utils.html import conditional_escape

from portal import vietnamese, widgets
from portal.text import CleanTextMixin
from reports import indicators as rules
from reports import prose
from reports.content import figures_day
from reports.figures import registry_figures
from reports.indicators import Source
from reports.models import Indicator, IndicatorValue, ProvinceSummary, Report, ReportRequest, indicators_by_code
from reports.outlines import BUILT_IN, BUILT_IN_CHOICES, LEVEL_CHOICES, Kind, with_indicators
from teams.models import Commune, Province

DATE = widgets.DateInput()


class RequestForm(CleanTextMixin, forms.ModelForm):
    """A department's request. The province is the staff member's own (set by the view)."""

    deadline = widgets.SplitDateTimeField(label="Hạn nộp (ngày và giờ)")
    outline_name = forms.ChoiceField(label="Đề cương", choices=BUILT_IN_CHOICES)
    indicators = forms.ModelMultipleChoiceField(
        label="Thêm chỉ tiêu",
        queryset=Indicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Các chỉ tiêu đánh dấu được thêm vào mục chỉ tiêu của đề cương (đề cương chưa có mục này "
        "thì thêm một mục ở cuối); mục tiêu đặt sau ở trang của yêu cầu.",
    )

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
        self.fields["indicators"].queryset = Indicator.objects.for_province(province.pk).filter(active=True)
        # In Vietnamese dictionary order (Xã Đan Điền after Xã Dương Kinh, not last); none ticked
        # at first: the page has "Chọn tất cả" and a search box (static/checklist.js).
        self.fields["communes"].choices = sorted(
            ((commune.pk, str(commune)) for commune in communes), key=lambda choice: vietnamese.sort_key(choice[1])
        )
        self.fields["communes"].help_text = "Đánh dấu các xã/phường được yêu cầu báo cáo, hoặc bấm “Chọn tất cả”."
        if not self.is_bound:
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
        """The built-in outline chosen, with the indicators ticked added to its indicators section."""
        outline = dict(BUILT_IN[self.cleaned_data["outline_name"]])
        chosen = [i.code for i in self.cleaned_data.get("indicators") or []]
        if chosen:
            asked = [i["code"] for s in outline["sections"] if s["kind"] == Kind.INDICATORS for i in s["indicators"]]
            outline["sections"] = with_indicators(outline["sections"], asked + [c for c in chosen if c not in asked])
        return outline


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


class DocumentHeaderForm(CleanTextMixin, forms.ModelForm):
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


class CountField(forms.DecimalField):
    """A figure as communes type it: "1.250" and "1 250" are one thousand two hundred and fifty, "92,5"
    is ninety-two and a half (the same reading as reports/static/reports/indicator_rules.js)."""

    def to_python(self, value):
        text = "".join(str(value or "").split())
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        elif re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
            text = text.replace(".", "")
        return super().to_python(text)


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
        self.add_indicator_fields(report)

    def add_indicator_fields(self, report):
        """Four fields per indicator: numerator, denominator (pre-filled from the registry where the
        catalogue says so), the rate when only a rate is known, and the explanation of a big change."""
        request = report.request
        values = {v.indicator: v for v in report.indicator_values.all()}
        targets = request.targets_for(report.commune_id)
        catalogue = indicators_by_code(request.indicator_codes())
        self.registry = registry_figures(report.commune, request.period_start, request.period_end, figures_day(request))
        self.previous = previous_shares(report, catalogue)
        self.warnings = []
        self.indicators = []
        for code in request.indicator_codes():
            indicator = catalogue.get(code)
            if indicator is None:
                continue
            value, target = values.get(code), targets.get(code)
            unit = indicator.unit_label
            registry = {
                side: self.registry.get(source)
                for side, source in (
                    ("numerator", indicator.numerator_source),
                    ("denominator", indicator.denominator_source),
                )
                if source != Source.TYPED
            }
            number = {"required": False, "min_value": 0, "max_digits": 14, "decimal_places": 2}
            prefix = f"indicator_{code}"
            self.fields[prefix] = CountField(
                label=f"Tử số: {indicator.numerator_label} ({unit})",
                initial=value.numerator if value else registry.get("numerator"),
                **number,
            )
            self.fields[f"{prefix}_mau_so"] = CountField(
                label=f"Mẫu số: {indicator.denominator_label} ({unit})",
                help_text=(
                    f"Theo sổ theo dõi: {vietnamese.number(registry['denominator'])}"
                    if registry.get("denominator") is not None
                    else ""
                ),
                initial=value.denominator if value and not value.rate_only else registry.get("denominator"),
                **number,
            )
            self.fields[f"{prefix}_ty_le"] = CountField(
                label="Hoặc chỉ tỷ lệ (%), nếu không có tử số và mẫu số",
                initial=value.share if value and value.rate_only else None,
                **{**number, "max_digits": 5},
            )
            self.fields[f"{prefix}_giai_trinh"] = forms.CharField(
                label="Giải trình thay đổi so với kỳ trước",
                required=False,
                max_length=300,
                initial=value.explanation if value else "",
            )
            self.indicators.append(
                {
                    "indicator": indicator,
                    "prefix": prefix,
                    "target": target,
                    "registry": registry,
                    "previous": self.previous.get(code),
                }
            )
            parts = {"": "numerator", "_mau_so": "denominator", "_ty_le": "rate", "_giai_trinh": "explanation"}
            for suffix, part in parts.items():
                self.fields[prefix + suffix].widget.attrs.update({"data-indicator": code, "data-part": part})

    def indicator_groups(self):
        """What the template lays out per indicator: the four bound fields and the figures the rules use."""
        groups = []
        for item in self.indicators:
            prefix, target = item["prefix"], item["target"]
            groups.append(
                {
                    **item,
                    "numerator": self[prefix],
                    "denominator": self[f"{prefix}_mau_so"],
                    "rate": self[f"{prefix}_ty_le"],
                    "explanation": self[f"{prefix}_giai_trinh"],
                    "script_id": f"rules-{item['indicator'].code}",
                    "target_text": target_text(target),
                    "rules": {
                        "code": item["indicator"].code,
                        "name": item["indicator"].name,
                        "registry": _json_number(item["registry"].get("denominator")),
                        "previous": _json_number(item["previous"]),
                        "tolerance": float(rules.REGISTRY_TOLERANCE),
                        "threshold": float(rules.CHANGE_THRESHOLD),
                    },
                }
            )
        return groups

    def indicator_fields(self):
        return [self[name] for name in self.fields if name.startswith("indicator_")]

    def prose_fields(self):
        return [self[f"prose_{item['key']}"] for item in self.sections]

    def clean(self):
        cleaned = super().clean()
        self.figures = {}
        for item in self.indicators:
            indicator, prefix = item["indicator"], item["prefix"]
            numerator, denominator = cleaned.get(prefix), cleaned.get(f"{prefix}_mau_so")
            registry = item["registry"]
            # A figure the registry gives is filled in when the commune left it blank.
            if numerator is None and denominator is None and cleaned.get(f"{prefix}_ty_le") is None:
                self.figures[indicator.code] = None
                continue
            if denominator is None and cleaned.get(f"{prefix}_ty_le") is None:
                denominator = registry.get("denominator")
            if numerator is None and cleaned.get(f"{prefix}_ty_le") is None:
                numerator = registry.get("numerator")
            if _only_the_registry_prefill(numerator, denominator, cleaned.get(f"{prefix}_ty_le"), registry):
                # The editor opens with the registry's half of a pair filled in: left as it was, the
                # commune has not entered this indicator yet, and a draft saves without it.
                self.figures[indicator.code] = None
                continue
            try:
                figure = rules.check(indicator.name, numerator, denominator, cleaned.get(f"{prefix}_ty_le"))
            except ValueError as error:
                self.add_error(prefix, str(error))
                continue
            explanation = (cleaned.get(f"{prefix}_giai_trinh") or "").strip()
            if figure and rules.big_change(figure["share"], item["previous"]) and not explanation:
                self.add_error(
                    f"{prefix}_giai_trinh",
                    f"“{indicator.name}”: tỷ lệ {vietnamese.number(figure['share'], 2)} % khác kỳ trước "
                    f"({vietnamese.number(item['previous'], 2)} %) hơn {vietnamese.number(rules.CHANGE_THRESHOLD)} "
                    "điểm phần trăm: ghi một dòng giải trình.",
                )
                continue
            if figure and rules.far_from_registry(figure["denominator"], registry.get("denominator")):
                self.warnings.append(
                    f"“{indicator.name}”: mẫu số {vietnamese.number(figure['denominator'])} khác nhiều so với "
                    f"sổ theo dõi ({vietnamese.number(registry['denominator'])}); hãy kiểm tra lại."
                )
            if figure:
                figure["explanation"] = explanation
            self.figures[indicator.code] = figure
        return cleaned

    def prose(self):
        return {item["key"]: prose.stored(self.cleaned_data[f"prose_{item['key']}"]) for item in self.sections}

    def indicator_values(self):
        """{code: figure or None} for reports.workflow.save_draft; None removes a figure."""
        return dict(self.figures)


def target_text(target):
    if target is None:
        return ""
    return f"Mục tiêu của kế hoạch: {target.get_comparison_display()} {vietnamese.number(target.target, 2)} %"


def _only_the_registry_prefill(numerator, denominator, typed_rate, registry):
    """Whether half a pair is given, no rate, and that half is the registry's own figure."""
    pair = {"numerator": numerator, "denominator": denominator}
    given = {side: value for side, value in pair.items() if value is not None}
    return typed_rate is None and len(given) == 1 and all(registry.get(side) == value for side, value in given.items())


def _json_number(value):
    return None if value is None else float(value)


def previous_shares(report, catalogue):
    """{code: rate} of the same commune's latest sent or accepted figure in an earlier request (one query)."""
    earlier = (
        IndicatorValue.objects.filter(
            report__commune_id=report.commune_id,
            report__status__in=(Report.Status.SUBMITTED, Report.Status.ACCEPTED),
            report__request__deadline__lt=report.request.deadline,
            indicator__in=list(catalogue),
            share__isnull=False,
        )
        .exclude(report=report)
        .order_by("indicator", "-report__request__deadline")
        .values_list("indicator", "share")
    )
    shares = {}
    for code, share in earlier:
        shares.setdefault(code, share)
    return shares


class ReasonForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(
        label="Lý do", widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": "Cần ghi rõ lý do."}
    )


class OutlineSectionForm(CleanTextMixin, forms.Form):
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

    def sections(self, previous, catalogue=()):
        """The sections in the order given, keeping each kept section's indicators and targets; a new
        indicators section asks for ``catalogue`` (codes)."""
        old = {item["key"]: item for item in previous}
        sections = []
        for form in self.ordered_forms:
            item = {name: form.cleaned_data[name] for name in ("key", "kind", "title", "guidance", "level")}
            if item["kind"] == Kind.INDICATORS:
                kept = old.get(item["key"], {}).get("indicators")
                item["indicators"] = kept or [{"code": code, "comparison": None, "target": None} for code in catalogue]
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


class IndicatorForm(CleanTextMixin, forms.ModelForm):
    """An indicator of the catalogue; the province is set by the view (the staff member's own)."""

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "unit",
            "numerator_label",
            "numerator_source",
            "denominator_label",
            "denominator_source",
            "position",
            "active",
        ]
        help_texts = {
            "numerator_label": "Ví dụ: Số hộ kinh doanh bán hàng trên sàn thương mại điện tử",
            "denominator_label": "Ví dụ: Tổng số hộ kinh doanh của xã",
            "denominator_source": "Số liệu lấy từ sổ theo dõi được điền sẵn cho xã; xã vẫn sửa được.",
        }

    def clean_code(self):
        code = self.cleaned_data["code"].strip().lower().replace("-", "_")
        if self.instance.pk and code != self.instance.code and self.instance_in_use():
            raise forms.ValidationError("Chỉ tiêu đã có trong yêu cầu báo cáo nên không đổi mã được.")
        return code

    def instance_in_use(self):
        return IndicatorValue.objects.filter(indicator=self.instance.code).exists() or (
            ReportRequest.objects.filter(targets__indicator=self.instance.code).exists()
        )

    def clean(self):
        cleaned = super().clean()
        numerator, denominator = cleaned.get("numerator_source"), cleaned.get("denominator_source")
        if numerator not in (None, Source.TYPED) and numerator == denominator:
            self.add_error("denominator_source", "Tử số và mẫu số không được lấy cùng một số liệu của sổ theo dõi.")
        return cleaned


class TargetsForm(forms.Form):
    """The request's target for each indicator it asks for (blank: no target)."""

    def __init__(self, *args, report_request, **kwargs):
        super().__init__(*args, **kwargs)
        self.report_request = report_request
        catalogue = indicators_by_code(report_request.indicator_codes())
        targets = {t.indicator: t for t in report_request.targets.all() if t.commune_id is None}
        self.codes = [code for code in report_request.indicator_codes() if code in catalogue]
        for code in self.codes:
            target = targets.get(code)
            self.fields[f"comparison_{code}"] = forms.ChoiceField(
                label=catalogue[code].name,
                choices=rules.Comparison.choices,
                initial=target.comparison if target else rules.Comparison.AT_LEAST,
            )
            self.fields[f"target_{code}"] = CountField(
                label="Mục tiêu (%)",
                required=False,
                min_value=0,
                max_value=100,
                max_digits=5,
                decimal_places=2,
                initial=target.target if target else None,
            )

    def pairs(self):
        return [(self[f"comparison_{code}"], self[f"target_{code}"]) for code in self.codes]

    def save(self):
        for code in self.codes:
            self.report_request.set_target(
                code, self.cleaned_data[f"comparison_{code}"], self.cleaned_data[f"target_{code}"]
            )


class CommuneTargetForm(forms.Form):
    """One commune's own target for one indicator (a ward's may differ from a mountain commune's)."""

    commune = forms.ModelChoiceField(label="Xã/phường", queryset=Commune.objects.none())
    indicator = forms.ChoiceField(label="Chỉ tiêu")
    comparison = forms.ChoiceField(label="So sánh", choices=rules.Comparison.choices)
    target = CountField(
        label="Mục tiêu riêng (%)",
        required=False,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        help_text="Để trống để bỏ mục tiêu riêng: xã/phường theo mục tiêu chung của yêu cầu.",
    )

    def __init__(self, *args, report_request, **kwargs):
        super().__init__(*args, **kwargs)
        self.report_request = report_request
        self.fields["commune"].queryset = report_request.communes.order_by("name")
        catalogue = indicators_by_code(report_request.indicator_codes())
        self.fields["indicator"].choices = [
            (code, catalogue[code].name) for code in report_request.indicator_codes() if code in catalogue
        ]

    def save(self):
        data = self.cleaned_data
        self.report_request.set_target(data["indicator"], data["comparison"], data["target"], commune=data["commune"])
