import contextlib

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Q

from portal.collation import NameField
from portal.roles import Role
from portal.scoping import ScopedQuerySet

__all__ = ["Role", "User"]


class ScopedUserManager(UserManager.from_queryset(ScopedQuerySet)):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        """``manage.py createsuperuser`` makes an administrator: Django's flags follow the role."""
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in. Their role and unit decide what they see (portal.scoping)."""

    full_name = NameField("họ và tên", max_length=150, blank=True)
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
        constraints = [
            # A role works for its unit (scoping reads it); an administrator for none in particular.
            models.CheckConstraint(
                condition=Q(role=Role.ADMIN)
                | Q(role=Role.PROVINCE, province__isnull=False)
                | Q(role=Role.COMMUNE, commune__isnull=False)
                | Q(role=Role.TEAM_LEAD, team__isnull=False),
                name="user_role_has_its_unit",
            ),
            # Only an administrator enters Django's admin, and every administrator does.
            models.CheckConstraint(
                condition=Q(role=Role.ADMIN, is_staff=True, is_superuser=True)
                | (~Q(role=Role.ADMIN) & Q(is_staff=False, is_superuser=False)),
                name="user_django_flags_follow_role",
            ),
            # The wider units are filled in with the narrower (save()); that they agree with each
            # other (the team in the commune, the commune in the province) is checked by composite
            # foreign keys on PostgreSQL (migration portal 0006).
            models.CheckConstraint(
                condition=Q(team__isnull=True) | Q(commune__isnull=False), name="user_team_has_its_commune"
            ),
            models.CheckConstraint(
                condition=Q(commune__isnull=True) | Q(province__isnull=False), name="user_commune_has_its_province"
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    def clean(self):
        super().clean()
        required = {Role.PROVINCE: "province", Role.COMMUNE: "commune", Role.TEAM_LEAD: "team"}.get(self.role)
        if required and getattr(self, f"{required}_id") is None:
            raise ValidationError({required: "Vai trò này cần chọn đơn vị."})
        # The units agree with each other, whoever saves (the admin, a script, the portal's forms).
        if self.team_id and self.commune_id and self.team.commune_id != self.commune_id:
            raise ValidationError({"team": "Tổ này không thuộc xã/phường đã chọn."})
        if self.commune_id and self.province_id and self.commune.province_id != self.province_id:
            raise ValidationError({"commune": "Xã/phường này không thuộc tỉnh/thành phố đã chọn."})

    def save(self, *args, **kwargs):
        # Keep the wider units in step with the narrowest one, so scoping by province or
        # commune works for every role without joins.
        if self.team_id and not self.commune_id:
            self.commune = self.team.commune
        if self.commune_id and not self.province_id:
            self.province_id = self.commune.province_id
        # Django's own flags open its admin, which does not go through portal.scoping: they follow the
        # role, both ways. An administrator moved to a province loses them (the database checks it).
        self.is_staff = self.is_superuser = self.role == Role.ADMIN
        super().save(*args, **kwargs)

    @property
    def unit(self):
        """The unit the user works for, to show in the navigation bar."""
        return {Role.PROVINCE: self.province, Role.COMMUNE: self.commune, Role.TEAM_LEAD: self.team}.get(self.role)


UNIT_KEYS = "user_team_in_commune, user_commune_in_province"  # PostgreSQL's composite keys (0006, 0009)


@contextlib.contextmanager
def units_moving(moving=True):
    """Within the block (in a transaction) an account's team may lie in another commune than the
    account's, or its commune in another province: a unit moves, then its accounts follow it.
    The composite keys are checked when the block ends, not after each statement."""
    postgresql = moving and connection.vendor == "postgresql"
    if postgresql:
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS {UNIT_KEYS} DEFERRED")
    yield
    if postgresql:
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS {UNIT_KEYS} IMMEDIATE")  # checks what was deferred, now


class ReminderLog(models.Model):
    """A reminder sent by department staff to the communes still missing a report."""

    request = models.ForeignKey("reports.ReportRequest", on_delete=models.CASCADE, related_name="reminders")
    sent_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    class Status(models.TextChoices):
        QUEUED = "queued", "chờ gửi"
        SENDING = "sending", "đang gửi"
        SENT = "sent", "đã gửi"
        FAILED = "failed", "gửi lỗi"

    sent_at = models.DateTimeField("thời điểm gửi")
    communes = models.PositiveIntegerField("số xã/phường được nhắc")
    recipients = models.PositiveIntegerField("số người nhận")
    # The e-mails are sent by a background task (dashboards/reminders.py); the page shows its state.
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.SENT)
    finished_at = models.DateTimeField("gửi xong lúc", null=True, blank=True)
    task_id = models.CharField("mã tác vụ", max_length=64, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = "lần nhắc nộp báo cáo"
        verbose_name_plural = "lần nhắc nộp báo cáo"

    def __str__(self):
        return f"Nhắc nộp {self.request} lúc {self.sent_at:%H:%M %d/%m/%Y}"


class ReminderDelivery(models.Model):
    """One reminder e-mail sent to one user: the task skips those already here when it runs again."""

    log = models.ForeignKey(ReminderLog, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField("thời điểm gửi")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["log", "user"], name="reminder_delivery_once")]
        verbose_name = "thư nhắc đã gửi"
        verbose_name_plural = "thư nhắc đã gửi"

    def __str__(self):
        return f"{self.log}: {self.user}"


class WorkerHeartbeat(models.Model):
    """A background worker's last sign of life (manage.py worker); /healthz reports its age."""

    worker_id = models.CharField("mã tiến trình", max_length=64, primary_key=True)
    host = models.CharField("máy", max_length=255)
    pid = models.PositiveIntegerField("PID")
    started_at = models.DateTimeField("bắt đầu lúc")
    seen_at = models.DateTimeField("lần cuối lúc", db_index=True)

    class Meta:
        verbose_name = "tiến trình nền"
        verbose_name_plural = "tiến trình nền"

    def __str__(self):
        return f"{self.host}:{self.pid}"
