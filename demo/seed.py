"""Demo data for trying the portal: one user per role, and the registries of the seed communes."""

from demo import plans as demo_plan
from demo import registry as teams_demo
from demo import reports as reports_demo
from demo import signing as demo_signing
from portal.models import Role, User
from teams.admin_units import sync_admin_units
from teams.models import Commune, Province

DEMO_PASSWORD = "CongNgheSo@2026"


def demo_users():
    """(username, full name, role, unit fields) of the demo cast."""
    hai_phong = Province.objects.get(code=teams_demo.HAI_PHONG)
    return [
        ("quantri", "Quản trị hệ thống", Role.ADMIN, {}),
        ("so.haiphong", "Trần Thị Sở", Role.PROVINCE, {"province": hai_phong}),
        ("xa.hatay", "Nguyễn Văn Hà", Role.COMMUNE, {"commune": Commune.objects.get(code=teams_demo.HA_TAY)}),
        (
            "phuong.tranhungdao",
            "Lê Thị Đạo",
            Role.COMMUNE,
            {"commune": Commune.objects.get(code=teams_demo.TRAN_HUNG_DAO)},
        ),
        ("totruong.hatay", "Phạm Văn Tổ", Role.TEAM_LEAD, {"team": teams_demo.demo_team_for_lead()}),
    ]


def seed_users():
    users = []
    for username, full_name, role, units in demo_users():
        user, created = User.objects.get_or_create(
            username=username, defaults={"full_name": full_name, "role": role, **units}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        users.append(user)
    return users


def seed():
    """Everything the demo needs, in dependency order. Returns the demo users."""
    if not Commune.objects.exists():
        sync_admin_units()
    teams_demo.seed_registry()
    users = seed_users()
    reports_demo.seed_reports()
    demo_plan.seed_plans()
    demo_signing.seed_certificates()
    return users
