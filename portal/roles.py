from django.db import models


class Role(models.TextChoices):
    """The ladder of who sees what, widest first. portal.scoping turns it into queries."""

    ADMIN = "admin", "Quản trị hệ thống"
    PROVINCE = "province", "Cán bộ Sở KH&CN"
    COMMUNE = "commune", "Cán bộ UBND xã/phường"
    TEAM_LEAD = "team_lead", "Tổ trưởng Tổ CNSCĐ"
