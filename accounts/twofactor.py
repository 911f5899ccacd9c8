"""Two-factor sign-in: a TOTP app enrolled by QR code, and ten backup codes (django-otp)."""

import segno
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODES = 10


def pending_totp(user):
    """The user's unconfirmed TOTP device, made on first call; its QR code stays the same until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Ứng dụng xác thực", confirmed=False)


def qr_code(device):
    return segno.make(device.config_url, error="m").svg_data_uri(scale=4)


def new_backup_codes(user):
    """Replaces the user's backup codes; returns the new ones (shown once)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Mã dự phòng")
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def reset(user):
    """An administrator's reset: every device goes; the user enrols again at next login."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
