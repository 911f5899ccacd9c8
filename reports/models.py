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
