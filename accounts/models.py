import base64
import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


def _digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


class OneTimeLinkQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(used_at__isnull=True, expires_at__gt=timezone.now())

    def spent_before(self, moment):
        """Links used, or left unused until they expired, before ``moment``."""
        return self.filter(models.Q(used_at__lt=moment) | models.Q(used_at__isnull=True, expires_at__lt=moment))


class OneTimeLink(models.Model):
    """A single-use link by which a user chooses their own password.

    Only the SHA-256 of the token is stored: the link itself is shown once (on screen, in the
    e-mail, on the handover sheet) and cannot be read back from the database.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="one_time_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)
    expires_at = models.DateTimeField("hết hạn lúc")
    used_at = models.DateTimeField("dùng lúc", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = OneTimeLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "liên kết đặt mật khẩu"
        verbose_name_plural = "liên kết đặt mật khẩu"

    def __str__(self):
        return f"Liên kết của {self.user} (hết hạn {self.expires_at:%d/%m/%Y})"

    @classmethod
    def issue(cls, user, created_by=None):
        """A new link for ``user``; earlier unused ones stop working. Returns (link, token)."""
        # 160 random bits in lower-case base32: no "-" or "_", which a printed link may break at
        # and which a person copying it from the handover sheet could misread.
        token = base64.b32encode(secrets.token_bytes(20)).decode().lower()
        now = timezone.now()
        cls.objects.filter(user=user, used_at__isnull=True).update(expires_at=now)
        link = cls.objects.create(
            user=user,
            token_hash=_digest(token),
            created_at=now,
            expires_at=now + timedelta(days=settings.ONE_TIME_LINK_DAYS),
            created_by=created_by,
        )
        return link, token

    @classmethod
    def find(cls, token):
        """The usable link of ``token``, or None (unknown, used or expired)."""
        return cls.objects.usable().select_related("user").filter(token_hash=_digest(token)).first()

    def use(self):
        """Marks the link used; False if another request used it first."""
        return bool(OneTimeLink.objects.usable().filter(pk=self.pk).update(used_at=timezone.now()))


class PasswordResetRequest(models.Model):
    """A "Quên mật khẩu?" request accepted, kept for an hour or so to limit how many are sent
    (accounts/reset.py): only a digest of the address typed, and the client's address."""

    email_digest = models.CharField(max_length=64)
    address = models.GenericIPAddressField(null=True, blank=True)
    requested_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["email_digest", "requested_at"], name="reset_by_email"),
            models.Index(fields=["address", "requested_at"], name="reset_by_address"),
        ]
        verbose_name = "yêu cầu đặt lại mật khẩu"
        verbose_name_plural = "yêu cầu đặt lại mật khẩu"

    def __str__(self):
        return f"Yêu cầu đặt lại mật khẩu lúc {timezone.localtime(self.requested_at):%H:%M %d/%m/%Y}"
