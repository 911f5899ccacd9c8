from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from portal import permissions


class ExportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A user's own files; administrators also anyone's (to help). Another user's file is a 404."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if permissions.can(user, "export.view_any"):
            return self.all()
        return self.filter(user=user)

    def pending(self):
        return self.filter(status__in=Export.PENDING)


class Export(models.Model):
    """A file made in the background for the user who asked it (exports/jobs.py): a whole
    province's list, the province summary's PDF or appendix. Kept EXPORT_KEEP_DAYS days."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ"
        RUNNING = "running", "Đang tạo"
        DONE = "done", "Đã xong"
        FAILED = "failed", "Lỗi"

    PENDING = [Status.QUEUED, Status.RUNNING]
    WAITING_LONG_MINUTES = 2  # not started by then: the file's page says the worker may be stopped

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports", verbose_name="người yêu cầu"
    )
    # What to make: the name of a registered builder and what it needs (a province, the list's filters).
    kind = models.CharField("loại", max_length=50)
    params = models.JSONField("tham số", default=dict, blank=True)
    title = models.CharField("tên", max_length=300)
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField("tệp", max_length=300, blank=True)
    created_at = models.DateTimeField("yêu cầu lúc", default=timezone.now)
    started_at = models.DateTimeField("bắt đầu tạo lúc", null=True, blank=True)
    finished_at = models.DateTimeField("xong lúc", null=True, blank=True)
    task_id = models.CharField("mã tác vụ", max_length=64, blank=True)
    error = models.CharField("lỗi", max_length=300, blank=True)  # for the user: Vietnamese, no traceback

    objects = ExportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"]), models.Index(fields=["created_at"])]
        constraints = [
            # A double click, or the same list asked again before it is ready, waits for the first file.
            models.UniqueConstraint(
                fields=["user", "kind", "params"],
                condition=Q(status__in=["queued", "running"]),
                name="export_once_while_pending",
            )
        ]
        verbose_name = "tệp xuất"
        verbose_name_plural = "tệp xuất"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("exports:export_detail", args=[self.pk])

    @property
    def is_pending(self):
        return self.status in self.PENDING

    @property
    def waiting_long(self):
        """Not started after a few minutes: the worker may be stopped, which its page then says."""
        waited = timezone.now() - self.created_at
        return self.status == self.Status.QUEUED and waited > timedelta(minutes=self.WAITING_LONG_MINUTES)

    @property
    def filename(self):
        return self.file.name.rsplit("/", 1)[-1]
