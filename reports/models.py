"""Report requests sent by a province department, and the communes' reports answering them."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from portal.scoping import ScopedQuerySet


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
    outline = models.JSONField("đề cương", default=list)
    recipients = models.TextField("nơi nhận mặc định", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_paths = {"province": "province", "commune": "communes", "team": None}

    class Meta:
        ordering = ["-deadline"]
        verbose_name = "yêu cầu báo cáo"
        verbose_name_plural = "yêu cầu báo cáo"

    def __str__(self):
        return f"Công văn số {self.letter_number}"

    @property
    def is_past_deadline(self):
        return timezone.now() > self.deadline


class Report(models.Model):
    """A commune's answer to a request."""

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

    objects = ScopedQuerySet.as_manager()
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
        if self.first_submitted_at is None:
            return timezone.now() > self.request.deadline
        return self.first_submitted_at > self.request.deadline


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

    objects = ScopedQuerySet.as_manager()
    scope_paths = {"province": "report__commune__province", "commune": "report__commune", "team": None}

    class Meta:
        ordering = ["report", "number"]
        verbose_name = "phiên bản báo cáo"
        verbose_name_plural = "phiên bản báo cáo"
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="unique_report_version_number")]

    def __str__(self):
        return f"{self.report} - lần {self.number}"


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
        from reports import signing

        _, cert, _ = signing.read_pkcs12(p12_bytes, password)
        summary = signing.certificate_summary(cert)
        self.p12 = p12_bytes
        for name in ("subject", "common_name", "organisation", "serial", "not_before", "not_after"):
            setattr(self, name, summary[name])

    @property
    def is_current(self):
        return self.not_before <= timezone.now() <= self.not_after

    @property
    def stamp_organisation(self):
        return self.organisation or self.common_name or self.commune.committee_name


class SignedDocument(models.Model):
    """A signed form of a submitted report version, stored exactly as received or produced."""

    class Kind(models.TextChoices):
        SCAN = "scan", "Bản quét có chữ ký tay và con dấu"
        EXTERNAL = "external", "Tệp PDF ký số bên ngoài (USB token)"
        PORTAL = "portal", "Ký số trên cổng"

    version = models.ForeignKey(ReportVersion, on_delete=models.PROTECT, related_name="signed_documents")
    kind = models.CharField("hình thức", max_length=10, choices=Kind.choices)
    file = models.FileField("tệp", upload_to=_signed_upload_path)
    original_name = models.CharField("tên tệp gốc", max_length=255)
    content_type = models.CharField("loại tệp", max_length=100)
    size = models.PositiveIntegerField("dung lượng (byte)")
    sha256 = models.CharField("mã băm SHA-256", max_length=64)
    # signing.ValidationResult.as_json() for PDFs, checked when the file arrived; empty for images.
    validation = models.JSONField("kết quả kiểm tra chữ ký", default=dict, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
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
        from reports.signing import ValidationResult

        return ValidationResult.from_json(self.validation) if self.validation else None
