"""Report requests sent by a province department, and the communes' reports answering them."""

import datetime

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import cached_property

from portal.collation import NameField
from portal.scoping import ScopedQuerySet
from portal.text import strip_text
from reports.indicators import SEED_CATALOGUE, Comparison, Source, Unit, is_met
from reports.outlines import Kind, section_numbers


class ReportRequestQuerySet(ScopedQuerySet):
    def open_for(self, commune_id):
        """Requests asking ``commune_id`` whose report the department has not accepted yet."""
        accepted = Report.objects.filter(commune_id=commune_id, status=Report.Status.ACCEPTED)
        return self.filter(communes=commune_id).exclude(pk__in=accepted.values("request_id"))


class ReportRequest(models.Model):
    """An official letter (công văn) of the department asking communes for a report."""

    province = models.ForeignKey(
        "teams.Province", verbose_name="tỉnh/thành phố", on_delete=models.PROTECT, related_name="report_requests"
    )
    letter_number = models.CharField("số công văn", max_length=50, help_text="Ví dụ: 4675/SKHCN-CNTT")
    letter_date = models.DateField("ngày công văn")
    issuer = models.CharField("cơ quan ban hành", max_length=200, default="Sở Khoa học và Công nghệ")
    subject = models.CharField("trích yếu", max_length=300)
    period_start = models.DateField("từ ngày")
    period_end = models.DateField("đến ngày")
    deadline = models.DateTimeField("hạn nộp")
    communes = models.ManyToManyField(
        "teams.Commune", verbose_name="các xã/phường được yêu cầu", related_name="report_requests"
    )
    outline = models.JSONField("đề cương", default=list)  # see reports/outlines.py
    document_type = models.CharField(
        "loại văn bản xã gửi", max_length=2, choices=[("BC", "Báo cáo"), ("KH", "Kế hoạch")], default="BC"
    )
    numbering = models.CharField(
        "cách đánh số mục",
        max_length=10,
        choices=[("arabic", "1., 2., 3."), ("roman", "I., II., III.")],
        default="arabic",
    )
    report_subject = models.CharField(
        "trích yếu báo cáo của xã", max_length=300, default="Tình hình hoạt động Tổ công nghệ số cộng đồng"
    )
    recipients = models.TextField("nơi nhận mặc định", blank=True, help_text="Mỗi nơi nhận một dòng.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReportRequestQuerySet.as_manager()
    scope_paths = {"province": "province", "commune": "communes", "team": None}

    class Meta:
        ordering = ["-deadline"]
        verbose_name = "yêu cầu báo cáo"
        verbose_name_plural = "yêu cầu báo cáo"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")), name="request_period_starts_before_end"
            )
        ]

    def __str__(self):
        return f"Công văn số {self.letter_number}"

    @property
    def is_past_deadline(self):
        return timezone.now() > self.deadline

    def is_late(self, first_submitted_at):
        """The one definition of "late": first sent after the deadline, or not sent and past it.

        ``ReportQuerySet.late_for`` is the same rule in SQL."""
        if first_submitted_at is None:
            return self.is_past_deadline
        return first_submitted_at > self.deadline

    @property
    def citation(self):
        """ "Công văn số 4675/SKHCN-CNTT ngày 19/12/2025", as a report's opening sentence cites it."""
        from portal.vietnamese import citation_date

        return f"Công văn số {self.letter_number} ngày {citation_date(self.letter_date)}"

    def set_outline(self, sections):
        """Store ``sections`` (see reports/outlines.py) with stable keys, and their indicator targets.

        Keys already given are kept, so that prose written for a section stays with it when the
        department edits the outline.
        """
        # A key is never given again once used, even by a removed section, so that prose
        # written for a removed section does not reappear under a new one.
        used = {s["key"] for s in [*sections, *self.outline] if s.get("key")}
        if self.pk:
            used.update(key for prose in self.reports.values_list("prose", flat=True) for key in prose)
        next_key = max((int(key[1:]) for key in used), default=0) + 1
        outline = []
        for item in sections:
            item = dict(item)
            if not item.get("key"):
                item["key"] = f"s{next_key}"
                next_key += 1
            outline.append(item)
        self.outline = outline
        self.save(update_fields=["outline"])
        # The request's targets follow the outline; a commune's own target stays while its indicator is asked.
        self.targets.filter(commune__isnull=True).delete()
        self.targets.exclude(indicator__in=self.indicator_codes()).delete()
        IndicatorTarget.objects.bulk_create(
            IndicatorTarget(request=self, indicator=i["code"], comparison=i["comparison"], target=i["target"])
            for item in outline
            if item["kind"] == Kind.INDICATORS
            for i in item.get("indicators", [])
            if i.get("target") is not None
        )

    def numbered_sections(self):
        """The outline with each section's number ("I.", "1.", "a)") and level added."""
        numbers = section_numbers(self.outline, self.numbering)
        return [
            {**item, "level": item.get("level") or 1, "number": number}
            for item, number in zip(self.outline, numbers, strict=True)
        ]

    def indicator_codes(self):
        return [i["code"] for item in self.outline if item["kind"] == Kind.INDICATORS for i in item["indicators"]]

    def set_target(self, code, comparison, target, commune=None):
        """The target of indicator ``code`` (None removes it), for the whole request or one commune; the
        request's own target is written into the outline too, so that editing the outline keeps it."""
        IndicatorTarget.objects.filter(request=self, indicator=code, commune=commune).delete()
        if target is not None:
            IndicatorTarget.objects.create(
                request=self, indicator=code, commune=commune, comparison=comparison, target=target
            )
        if commune is None:
            for item in self.outline:
                for entry in item.get("indicators", []) if item["kind"] == Kind.INDICATORS else []:
                    if entry["code"] == code:
                        entry["comparison"] = comparison if target is not None else None
                        entry["target"] = float(target) if target is not None else None
            self.save(update_fields=["outline"])

    def targets_for(self, commune_id):
        """{code: IndicatorTarget} for ``commune_id``: its own target where set, else the request's."""
        targets = {}
        for target in sorted(self.targets.all(), key=lambda t: t.commune_id is not None):
            if target.commune_id in (None, commune_id):
                targets[target.indicator] = target
        return targets


class OfficialDocument(models.Model):
    """What every administrative document of the portal has (Decree 30/2020): the commune's report
    and the department's summary. Its header, prose by section and signer; the figures are not
    stored here (reports/content.py freezes a report's, reports/summary.py adds up a summary's)."""

    number = models.CharField("số văn bản", max_length=20, blank=True, help_text="Để trống khi chưa vào sổ.")
    issued_on = models.DateField("ngày ban hành", null=True, blank=True, help_text="Để trống khi chưa vào sổ.")
    place = models.CharField("địa danh", max_length=100, blank=True)
    subject = models.CharField("trích yếu", max_length=300, blank=True)
    opening = models.TextField("câu mở đầu", blank=True)
    closing = models.TextField("câu kết", blank=True)
    # Section key -> {"text": what was typed, "html": the same, sanitised (reports/prose.py)}.
    prose = models.JSONField("nội dung các mục", default=dict, blank=True)
    signer_authority = models.CharField("thẩm quyền ký", max_length=60, default="KT. CHỦ TỊCH")
    signer_title = models.CharField("chức vụ người ký", max_length=60, default="PHÓ CHỦ TỊCH")
    signer_name = models.CharField("họ tên người ký", max_length=100, blank=True)
    recipients = models.TextField("nơi nhận", blank=True, help_text="Mỗi nơi nhận một dòng.")

    class Meta:
        abstract = True

    def prose_text(self, key):
        return self.prose.get(key, {}).get("text", "")


class ReportQuerySet(ScopedQuerySet):
    def late_for(self, request):
        """Reports of ``request`` first submitted after its deadline (not the missing ones):
        ReportRequest.is_late in SQL."""
        return self.filter(request=request, first_submitted_at__gt=request.deadline)


class Report(OfficialDocument):
    """A commune's answer to a request (its header and prose: OfficialDocument).

    Status changes only through reports/workflow.py, which records each step as a ReportEvent.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Đang soạn"
        SUBMITTED = "submitted", "Đã gửi"
        RETURNED = "returned", "Bị trả lại"
        ACCEPTED = "accepted", "Đã tiếp nhận"

    request = models.ForeignKey(ReportRequest, verbose_name="yêu cầu", on_delete=models.PROTECT, related_name="reports")
    commune = models.ForeignKey(
        "teams.Commune", verbose_name="xã/phường", on_delete=models.PROTECT, related_name="reports"
    )
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The first submission decides whether the commune reported on time.
    first_submitted_at = models.DateTimeField("gửi lần đầu", null=True, blank=True)
    submitted_at = models.DateTimeField("gửi lần gần nhất", null=True, blank=True)
    accepted_at = models.DateTimeField("ngày tiếp nhận", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Bumped on every save; a save based on an older revision is refused (reports/workflow.py).
    revision = models.PositiveIntegerField(default=0, editable=False)

    objects = ReportQuerySet.as_manager()
    scope_paths = {"province": "commune__province", "commune": "commune", "team": None}

    class Meta:
        ordering = ["request", "commune"]
        verbose_name = "báo cáo"
        verbose_name_plural = "báo cáo"
        constraints = [
            models.UniqueConstraint(fields=["request", "commune"], name="one_report_per_commune_and_request")
        ]

    def __str__(self):
        return f"Báo cáo của {self.commune} ({self.request})"

    @property
    def is_late(self):
        return self.request.is_late(self.first_submitted_at)

    @property
    def is_editable(self):
        """Only the commune's drafts and returned reports can be changed."""
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @cached_property
    def returned_by(self):
        """While the report is returned: the step that returned it (or reopened it), with its reason,
        who and when, for the commune to read where it corrects the report. One query, or none."""
        if self.status != self.Status.RETURNED:
            return None
        kinds = [ReportEvent.Kind.RETURNED, ReportEvent.Kind.REOPENED]
        return self.events.filter(kind__in=kinds).select_related("actor").order_by("-at", "-pk").first()

    @property
    def document_symbol(self):
        return f"{self.request.document_type}-UBND"


class ReportEvent(models.Model):
    """One step of a report's workflow: who did what, when, and why."""

    class Kind(models.TextChoices):
        CREATED = "created", "Bắt đầu soạn"
        SUBMITTED = "submitted", "Gửi báo cáo"
        RESUBMITTED = "resubmitted", "Gửi lại sau chỉnh sửa"
        RETURNED = "returned", "Trả lại để chỉnh sửa"
        ACCEPTED = "accepted", "Tiếp nhận"
        REOPENED = "reopened", "Mở lại báo cáo đã tiếp nhận"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("bước", max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người thực hiện", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField("thời điểm", default=timezone.now)
    reason = models.TextField("lý do", blank=True)
    version = models.ForeignKey(
        "ReportVersion",
        verbose_name="phiên bản báo cáo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    scope_paths = {"province": "report__commune__province", "commune": "report__commune", "team": None}

    class Meta:
        ordering = ["report", "at", "pk"]
        verbose_name = "bước xử lý báo cáo"
        verbose_name_plural = "các bước xử lý báo cáo"

    def __str__(self):
        return f"{self.get_kind_display()} ({self.at:%d/%m/%Y %H:%M})"


class IndicatorQuerySet(ScopedQuerySet):
    def for_province(self, province_id):
        return self.filter(models.Q(province__isnull=True) | models.Q(province_id=province_id))

    def ensure_seed(self):
        """Seed 003's six indicators in the national catalogue, as migration 0009 made them; rows
        already there are left as they are (idempotent: the demo and tests that empty the
        database call it)."""
        for position, (code, name, unit, numerator, denominator, source) in enumerate(SEED_CATALOGUE, start=1):
            self.get_or_create(
                code=code,
                defaults={
                    "name": name,
                    "unit": unit,
                    "numerator_label": numerator,
                    "denominator_label": denominator,
                    "denominator_source": source,
                    "position": position * 10,
                },
            )


class Indicator(models.Model):
    """An indicator of the catalogue: a rate of a numerator over a denominator (reports/indicators.py).

    The national catalogue (``province`` empty) is kept by administrators; a department adds its
    province's own. The code is what requests' outlines, targets and values refer to.
    """

    code = models.SlugField(
        "mã",
        max_length=40,
        unique=True,
        help_text="Chữ thường không dấu, số và dấu gạch dưới, ví dụ: ho_kinh_doanh_tmdt",
    )
    name = NameField("tên chỉ tiêu", max_length=300)
    unit = models.CharField("đơn vị đếm", max_length=20, choices=Unit.choices, default=Unit.HOUSEHOLDS)
    numerator_label = models.CharField("tử số đếm gì", max_length=200)
    numerator_source = models.CharField("tử số lấy từ", max_length=20, choices=Source.choices, default=Source.TYPED)
    denominator_label = models.CharField("mẫu số đếm gì", max_length=200)
    denominator_source = models.CharField("mẫu số lấy từ", max_length=20, choices=Source.choices, default=Source.TYPED)
    province = models.ForeignKey(
        "teams.Province",
        verbose_name="tỉnh/thành phố",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
        help_text="Để trống: chỉ tiêu của danh mục quốc gia.",
    )
    active = models.BooleanField(
        "đang dùng", default=True, help_text="Chỉ tiêu ngừng dùng không được đưa vào yêu cầu mới."
    )
    position = models.PositiveIntegerField("thứ tự", default=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, editable=False, related_name="+"
    )

    objects = IndicatorQuerySet.as_manager()
    # Everyone sees the national catalogue; a province's own indicators only its people.
    scope_paths = {"province": "province", "commune": "province__communes", "team": "province__communes__teams"}
    scope_shared = models.Q(province__isnull=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "danh mục chỉ tiêu"

    def __str__(self):
        return self.name

    @property
    def unit_label(self):
        return self.get_unit_display()

    @property
    def scope_label(self):
        return f"Riêng {self.province.name}" if self.province_id else "Danh mục quốc gia"


def indicators_by_code(codes):
    """{code: Indicator} for ``codes`` (one query); a code missing from the catalogue is left out."""
    return {i.code: i for i in Indicator.objects.filter(code__in=list(codes)).select_related(None)}


class IndicatorTarget(models.Model):
    """A request's target for an indicator, e.g. at least 70 %; with a commune, that commune's own target."""

    request = models.ForeignKey(ReportRequest, on_delete=models.CASCADE, related_name="targets")
    indicator = models.CharField("chỉ tiêu", max_length=40)  # Indicator.code
    commune = models.ForeignKey(
        "teams.Commune",
        verbose_name="riêng cho xã/phường",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    comparison = models.CharField("so sánh", max_length=3, choices=Comparison.choices, default=Comparison.AT_LEAST)
    target = models.DecimalField("mục tiêu (%)", max_digits=5, decimal_places=2)

    objects = ScopedQuerySet.as_manager()
    scope_paths = {"province": "request__province", "commune": "request__communes", "team": None}

    class Meta:
        verbose_name = "chỉ tiêu của kế hoạch"
        verbose_name_plural = "chỉ tiêu của kế hoạch"
        constraints = [
            models.UniqueConstraint(
                fields=["request", "indicator"],
                condition=models.Q(commune__isnull=True),
                name="one_target_per_indicator",
            ),
            models.UniqueConstraint(
                fields=["request", "indicator", "commune"],
                condition=models.Q(commune__isnull=False),
                name="one_commune_target_per_indicator",
            ),
            models.CheckConstraint(condition=models.Q(target__gte=0, target__lte=100), name="target_is_a_percentage"),
        ]

    def __str__(self):
        return f"{self.indicator} {self.get_comparison_display()} {self.target} %"

    def is_met(self, share):
        return is_met(share, self.comparison, self.target)


class IndicatorValue(models.Model):
    """A commune's figure for an indicator: numerator and denominator, and the rate computed from them.

    Where the commune knows only the rate, it is typed alone: ``rate_only``, no numerator or
    denominator, and the figure counts as reported but not in a province's weighted rate.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="indicator_values")
    indicator = models.CharField("chỉ tiêu", max_length=40)  # Indicator.code
    numerator = models.DecimalField("tử số", max_digits=14, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField("mẫu số", max_digits=14, decimal_places=2, null=True, blank=True)
    # numerator ÷ denominator in %, computed when entered; or the rate typed alone (rate_only).
    share = models.DecimalField("tỷ lệ (%)", max_digits=5, decimal_places=2, null=True, blank=True)
    rate_only = models.BooleanField("chỉ nhập tỷ lệ", default=False)
    explanation = models.CharField("giải trình thay đổi so với kỳ trước", max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_paths = {"province": "report__commune__province", "commune": "report__commune", "team": None}

    class Meta:
        verbose_name = "số liệu chỉ tiêu"
        verbose_name_plural = "số liệu chỉ tiêu"
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="one_value_per_indicator"),
            models.CheckConstraint(
                condition=models.Q(numerator__isnull=True)
                | models.Q(denominator__isnull=True)
                | models.Q(numerator__lte=models.F("denominator")),
                name="numerator_not_above_denominator",
            ),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.numerator}/{self.denominator} ({self.share} %)"

    @property
    def entry(self):
        """The figure as reports/indicators.py combines it."""
        return {
            "numerator": self.numerator,
            "denominator": self.denominator,
            "share": self.share,
            "rate_only": self.rate_only,
        }


def _version_pdf_path(instance, filename):
    # A random name, as for signed files: downloads go through a scoped view, never the media URL.
    import uuid

    return f"bao-cao/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf"


class ReportVersion(models.Model):
    """What a report was when it was submitted: header, prose and frozen figures.

    Every submission adds one; a submitted version is never changed, so it can be opened,
    printed and signed as it was, whatever happens to the registry later.
    """

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("lần gửi")
    content = models.JSONField("nội dung", default=dict)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField("thời điểm gửi", default=timezone.now)
    # The exact PDF sent (reports/rendering.py stores it when the version is sent, or on first need
    # for versions sent before it was kept): every download gives these bytes, and a signed PDF is
    # accepted only when its signed revision starts with them.
    pdf = models.FileField("tệp PDF đã gửi", upload_to=_version_pdf_path, blank=True, editable=False)
    pdf_sha256 = models.CharField("mã băm SHA-256 của tệp PDF", max_length=64, blank=True, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope_paths = {"province": "report__commune__province", "commune": "report__commune", "team": None}

    class Meta:
        ordering = ["report", "number"]
        verbose_name = "phiên bản báo cáo"
        verbose_name_plural = "phiên bản báo cáo"
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="unique_report_version_number")]

    def __str__(self):
        return f"{self.report} - lần {self.number}"

    @cached_property
    def signing_refusal(self):
        """Why this version may not be signed or get signed copies any more, in Vietnamese; "" while it may.

        Only the last version sent is signed, and only while the department has it (waiting or
        accepted): an older one has been replaced, and a returned report is being corrected and
        will be sent again as a new version. Costs one query unless the report is being corrected.
        """
        if self.report.is_editable:
            return "Báo cáo đang được xã chỉnh sửa để gửi lại nên không ký lần gửi này; hãy ký bản gửi lại."
        if self.report.versions.filter(number__gt=self.number).exists():
            return "Báo cáo đã được gửi lại sau lần gửi này; chỉ ký bản gửi gần nhất."
        return ""

    @property
    def is_signable(self):
        """The last version sent, while the department has it (see signing_refusal)."""
        return not self.signing_refusal


class ProvinceSummary(OfficialDocument):
    """The department's own report on a request, to the city or province leadership.

    Only the header and the prose are stored here; the figures are added up from the accepted
    reports' frozen versions each time the summary is shown (reports/summary.py).
    """

    request = models.OneToOneField(
        ReportRequest, verbose_name="yêu cầu", on_delete=models.CASCADE, related_name="province_summary"
    )
    parent_body = models.CharField("cơ quan chủ quản", max_length=150, help_text="Ví dụ: UBND THÀNH PHỐ HẢI PHÒNG")
    issuing_body = models.CharField("cơ quan ban hành", max_length=150, default="SỞ KHOA HỌC VÀ CÔNG NGHỆ")
    symbol = models.CharField("ký hiệu văn bản", max_length=30, default="BC-SKHCN")
    # The department's document always names its place and subject, and its director signs.
    place = models.CharField("địa danh", max_length=100)
    subject = models.CharField("trích yếu", max_length=300)
    signer_authority = models.CharField("thẩm quyền ký", max_length=60, default="KT. GIÁM ĐỐC")
    signer_title = models.CharField("chức vụ người ký", max_length=60, default="PHÓ GIÁM ĐỐC")
    # prose: "assessment" and "proposals".
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, editable=False, related_name="+"
    )
    updated_at = models.DateTimeField("cập nhật lần cuối", auto_now=True)

    objects = ScopedQuerySet.as_manager()
    # The department's document: communes and teams do not see it.
    scope_paths = {"province": "request__province", "commune": None, "team": None}

    class Meta:
        verbose_name = "báo cáo tổng hợp của Sở"
        verbose_name_plural = "báo cáo tổng hợp của Sở"

    def __str__(self):
        return f"Báo cáo tổng hợp theo {self.request}"


# --- Signing ---


def _signed_upload_path(instance, filename):
    # A random name: files under MEDIA_ROOT must not be guessable; downloads go through a scoped view.
    import uuid

    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"chu-ky/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{suffix}"


class CommuneCertificate(models.Model):
    """The commune's signing certificate (PKCS#12), uploaded by an administrator.

    The PKCS#12 file stays encrypted with its password, which is never stored: it is asked
    each time someone signs. Subject and validity are read once, at upload, with the password.
    """

    commune = models.OneToOneField(
        "teams.Commune", verbose_name="xã/phường", on_delete=models.PROTECT, related_name="certificate"
    )
    p12 = models.BinaryField("tệp chứng thư số (PKCS#12)", editable=False)
    subject = models.CharField("chủ thể", max_length=500, editable=False)
    common_name = models.CharField("tên chủ thể", max_length=200, editable=False)
    organisation = models.CharField("tổ chức", max_length=200, editable=False)
    serial = models.CharField("số sê-ri", max_length=80, editable=False)
    not_before = models.DateTimeField("có hiệu lực từ", editable=False)
    not_after = models.DateTimeField("hết hiệu lực", editable=False)
    signature_image = models.FileField("ảnh chữ ký", upload_to=_signed_upload_path, blank=True)
    seal_image = models.FileField("ảnh con dấu", upload_to=_signed_upload_path, blank=True)
    seal_diameter_mm = models.PositiveSmallIntegerField("đường kính con dấu (mm)", default=35)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, editable=False, related_name="+"
    )
    uploaded_at = models.DateTimeField("ngày tải lên", default=timezone.now, editable=False)
    # The password is the one thing between an official of the commune and its key: wrong answers
    # in a row pause signing with the certificate (password_refused), whoever typed them.
    wrong_passwords = models.PositiveSmallIntegerField("số lần nhập sai mật khẩu liên tiếp", default=0, editable=False)
    paused_until = models.DateTimeField("tạm khóa ký số đến", null=True, blank=True, editable=False)

    WRONG_PASSWORD_LIMIT = 5
    PAUSE = datetime.timedelta(minutes=15)

    objects = ScopedQuerySet.as_manager()
    scope_paths = {"province": "commune__province", "commune": "commune", "team": None}

    class Meta:
        ordering = ["commune"]
        verbose_name = "chứng thư số của xã/phường"
        verbose_name_plural = "chứng thư số của xã/phường"

    def __str__(self):
        return f"{self.common_name} ({self.commune})"

    def set_p12(self, p12_bytes, password):
        """Keeps the file and reads its subject and validity; signing.WrongPassword if it won't open."""
        from reports.signing import pdf as signing

        _, cert, _ = signing.read_pkcs12(p12_bytes, password)
        summary = signing.certificate_summary(cert)
        self.p12 = p12_bytes
        self.wrong_passwords, self.paused_until = 0, None  # a new file, and its password, start afresh
        for name in ("subject", "common_name", "organisation", "serial", "not_before", "not_after"):
            # Kept for display: in NFC and without control characters, as every stored text (portal/text.py).
            setattr(self, name, strip_text(summary[name]))

    @property
    def is_current(self):
        return self.not_before <= timezone.now() <= self.not_after

    def paused(self, now=None):
        """Whether signing with this certificate is paused after wrong passwords (until when)."""
        now = now or timezone.now()
        return self.paused_until is not None and self.paused_until > now

    def password_refused(self, now=None):
        """Counts a wrong password, in the row itself so that every server counts the same; the
        WRONG_PASSWORD_LIMIT-th in a row pauses signing for PAUSE. Returns the row as it is now."""
        now = now or timezone.now()
        with transaction.atomic():
            row = CommuneCertificate.objects.select_for_update().get(pk=self.pk)
            row.wrong_passwords += 1
            if row.wrong_passwords >= self.WRONG_PASSWORD_LIMIT:
                row.wrong_passwords, row.paused_until = 0, now + self.PAUSE
            row.save(update_fields=["wrong_passwords", "paused_until"])
        return row

    def password_accepted(self):
        if self.wrong_passwords:
            CommuneCertificate.objects.filter(pk=self.pk).update(wrong_passwords=0)

    @property
    def stamp_organisation(self):
        return self.organisation or self.common_name or self.commune.committee_name


class SignedDocument(models.Model):
    """A signed form of a submitted report version, stored exactly as received or produced."""

    class Kind(models.TextChoices):
        SCAN = "scan", "Bản quét có chữ ký tay và con dấu"
        EXTERNAL = "external", "Tệp PDF ký số bên ngoài (USB token)"
        PORTAL = "portal", "Ký số trên cổng"

    version = models.ForeignKey(
        ReportVersion, verbose_name="phiên bản báo cáo", on_delete=models.PROTECT, related_name="signed_documents"
    )
    kind = models.CharField("hình thức", max_length=10, choices=Kind.choices)
    file = models.FileField("tệp", upload_to=_signed_upload_path)
    original_name = models.CharField("tên tệp gốc", max_length=255)
    content_type = models.CharField("loại tệp", max_length=100)
    size = models.PositiveIntegerField("dung lượng (byte)")
    sha256 = models.CharField("mã băm SHA-256", max_length=64)
    # signing.ValidationResult.as_json() for PDFs, checked when the file arrived; empty for images.
    validation = models.JSONField("kết quả kiểm tra chữ ký", default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người tải lên hoặc ký",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("thời điểm", default=timezone.now)

    objects = ScopedQuerySet.as_manager()
    scope_paths = {
        "province": "version__report__commune__province",
        "commune": "version__report__commune",
        "team": None,
    }

    class Meta:
        ordering = ["version", "-uploaded_at"]
        verbose_name = "bản báo cáo đã ký"
        verbose_name_plural = "bản báo cáo đã ký"

    def __str__(self):
        return f"{self.get_kind_display()} - {self.version}"

    @property
    def result(self):
        from reports.signing.pdf import ValidationResult

        return ValidationResult.from_json(self.validation) if self.validation else None


def completeness_status(report, request):
    """The completeness class of one commune's report: accepted, on_time, late, returned, draft."""
    if report.status == Report.Status.ACCEPTED:
        return "accepted"
    if report.status == Report.Status.RETURNED:
        return "returned"
    if report.status == Report.Status.SUBMITTED:
        return "late" if request.is_late(report.first_submitted_at) else "on_time"
    return "draft"


STATUS_LABELS = {
    "accepted": "Đã tiếp nhận",
    "on_time": "Đã gửi đúng hạn",
    "late": "Đã gửi muộn",
    "returned": "Bị trả lại",
    "draft": "Đang soạn",
    "not_started": "Chưa soạn",  # as the request's page says
    "not_asked": "Không được yêu cầu",
}
