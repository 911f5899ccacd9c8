from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models

from portal.roles import Role
from portal.scoping import ScopedQuerySet

__all__ = ["Role", "User"]


class ScopedUserManager(UserManager.from_queryset(ScopedQuerySet)):
    pass


class User(AbstractUser):
    """A person who logs in. Their role and unit decide what they see (portal.scoping)."""

    full_name = models.CharField("họ và tên", max_length=150, blank=True)
    role = models.CharField("vai trò", max_length=20, choices=Role.choices, default=Role.COMMUNE)
    province = models.ForeignKey(
        "teams.Province", verbose_name="tỉnh/thành phố", null=True, blank=True, on_delete=models.PROTECT
    )
    commune = models.ForeignKey(
        "teams.Commune", verbose_name="xã/phường", null=True, blank=True, on_delete=models.PROTECT
    )
    team = models.ForeignKey("teams.Team", verbose_name="tổ CNSCĐ", null=True, blank=True, on_delete=models.PROTECT)
    phone = models.CharField("số điện thoại", max_length=20, blank=True)
    # Set when someone else chose the password (a manager, an import): the user must choose
    # their own before anything else (accounts.middleware).
    must_change_password = models.BooleanField("phải đổi mật khẩu", default=False)

    objects = ScopedUserManager()
    # Users are seen by the staff of their province, the officials of their commune and their
    # team's lead; who may *manage* whom is narrower (accounts.managing).
    scope_paths = {"province": "province", "commune": "commune", "team": "team"}

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"

    def __str__(self):
        return self.full_name or self.username

    def clean(self):
        super().clean()
        required = {Role.PROVINCE: "province", Role.COMMUNE: "commune", Role.TEAM_LEAD: "team"}.get(self.role)
        if required and getattr(self, f"{required}_id") is None:
            raise ValidationError({required: "Vai trò này cần chọn đơn vị."})

    def save(self, *args, **kwargs):
        # Keep the wider units in step with the narrowest one, so scoping by province or
        # commune works for every role without joins.
        if self.team_id and not self.commune_id:
            self.commune = self.team.commune
        if self.commune_id and not self.province_id:
            self.province_id = self.commune.province_id
        if self.role == Role.ADMIN:
            self.is_staff = True
            self.is_superuser = True
        super().save(*args, **kwargs)

    @property
    def unit(self):
        """The unit the user works for, to show in the navigation bar."""
        return {Role.PROVINCE: self.province, Role.COMMUNE: self.commune, Role.TEAM_LEAD: self.team}.get(self.role)


class ReminderLog(models.Model):
    """A reminder sent by department staff to the communes still missing a report."""

    request = models.ForeignKey("reports.ReportRequest", on_delete=models.CASCADE, related_name="reminders")
    sent_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField("thời điểm gửi")
    communes = models.PositiveIntegerField("số xã/phường được nhắc")
    recipients = models.PositiveIntegerField("số người nhận")

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = "lần nhắc nộp báo cáo"
        verbose_name_plural = "lần nhắc nộp báo cáo"

    def __str__(self):
        return f"Nhắc nộp {self.request} lúc {self.sent_at:%H:%M %d/%m/%Y}"
