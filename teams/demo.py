"""Demo registry of Thành phố Hải Phòng, matching what the seed reports say.

Idempotent: every row is looked up by its natural key before it is created.
"""

from teams.models import Commune, Team, Village

HAI_PHONG = 31
HA_TAY = 10846
TRAN_HUNG_DAO = 10570
THUONG_HONG = 10993

HA_TAY_VILLAGES = [
    f"Thôn {n}"
    for n in (
        "Đông",
        "Tây",
        "Nam",
        "Bắc",
        "Thượng",
        "Hạ",
        "Trung",
        "Đoài",
        "Cầu",
        "Chợ",
        "Mới",
        "Cũ",
        "Hòa Bình",
        "Thành Công",
    )
]


def ensure_village_teams(commune, names, kind=Village.Kind.THON):
    """One open village and one active team per name."""
    for name in names:
        village, _ = Village.objects.get_or_create(commune=commune, name=name, closed_on=None, defaults={"kind": kind})
        Team.objects.get_or_create(
            commune=commune,
            village=village,
            status=Team.Status.ACTIVE,
            defaults={"name": f"Tổ CNSCĐ {name}", "level": Team.Level.VILLAGE},
        )


def seed_registry():
    ha_tay = Commune.objects.get(code=HA_TAY)
    ensure_village_teams(ha_tay, HA_TAY_VILLAGES)
    tran_hung_dao = Commune.objects.get(code=TRAN_HUNG_DAO)
    ensure_village_teams(tran_hung_dao, [f"Tổ dân phố số {n}" for n in range(1, 29)], Village.Kind.TO_DAN_PHO)


def demo_team_for_lead():
    return Team.objects.get(commune__code=HA_TAY, village__name=HA_TAY_VILLAGES[0], status=Team.Status.ACTIVE)
