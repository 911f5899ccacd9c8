"""The shared cast of the tests: every user, and what each may see.

- admin: everything.
- staff_p: department staff of province P (Hải Phòng): every commune of P, read-only on their registries.
- staff_q: department staff of province Q (Hà Nội): nothing of P.
- official_x: official of commune X (Xã Hà Tây, in P): all of X.
- official_y: official of commune Y (Phường Trần Hưng Đạo, in P): all of Y, nothing of X.
- lead_x: lead of team_x (a village team of X): that team only.
"""

import datetime
from dataclasses import dataclass

from portal.models import Role, User
from teams.models import Activity, Commune, Member, Province, Team, Topic, Village

PASSWORD = "mat-khau-thu-nghiem-2026"
USERS = ["admin", "staff_p", "staff_q", "official_x", "official_y", "lead_x"]


@dataclass
class Cast:
    province_p: Province
    province_q: Province
    commune_x: Commune
    commune_y: Commune
    commune_z: Commune
    village_x: Village
    village_y: Village
    team_x: Team
    team_y: Team
    member_x: Member
    member_y: Member
    activity_x: Activity
    activity_y: Activity
    admin: User
    staff_p: User
    staff_q: User
    official_x: User
    official_y: User
    lead_x: User

    def user(self, name):
        return getattr(self, name)


def make_user(username, role, **units):
    user = User(username=username, full_name=username.replace("_", " ").title(), role=role, **units)
    user.set_password(PASSWORD)
    user.save()
    return user


def make_team(commune, village_name):
    village = Village.objects.create(commune=commune, name=village_name)
    team = Team.objects.create(commune=commune, village=village, name=f"Tổ CNSCĐ {village_name}")
    return village, team


def make_cast():
    province_p = Province.objects.create(
        code=31, name="Thành phố Hải Phòng", codename="hai_phong", division_type="thành phố trung ương"
    )
    province_q = Province.objects.create(
        code=1, name="Thành phố Hà Nội", codename="ha_noi", division_type="thành phố trung ương"
    )
    commune_x = Commune.objects.create(
        province=province_p, code=10846, name="Xã Hà Tây", codename="xa_ha_tay", kind="xa"
    )
    commune_y = Commune.objects.create(
        province=province_p, code=10570, name="Phường Trần Hưng Đạo", codename="phuong_tran_hung_dao", kind="phuong"
    )
    commune_z = Commune.objects.create(
        province=province_q, code=4, name="Phường Ba Đình", codename="phuong_ba_dinh", kind="phuong"
    )
    village_x, team_x = make_team(commune_x, "Thôn Đông")
    village_y, team_y = make_team(commune_y, "Tổ dân phố số 1")
    member_x = Member.objects.create(team=team_x, full_name="Nguyễn Văn An", role=Member.Role.LEAD, phone="0912345678")
    member_y = Member.objects.create(team=team_y, full_name="Trần Thị Bình", phone="0987654321")
    day = datetime.date(2026, 1, 15)
    activity_x = Activity.objects.create(
        team=team_x, date=day, kind=Activity.Kind.DOOR_TO_DOOR, topics=Topic.VNEID, people_helped=12
    )
    activity_y = Activity.objects.create(
        team=team_y, date=day, kind=Activity.Kind.TRAINING, topics=Topic.CASHLESS, people_helped=30
    )
    return Cast(
        province_p=province_p,
        province_q=province_q,
        commune_x=commune_x,
        commune_y=commune_y,
        commune_z=commune_z,
        village_x=village_x,
        village_y=village_y,
        team_x=team_x,
        team_y=team_y,
        member_x=member_x,
        member_y=member_y,
        activity_x=activity_x,
        activity_y=activity_y,
        admin=make_user("admin", Role.ADMIN),
        staff_p=make_user("staff_p", Role.PROVINCE, province=province_p),
        staff_q=make_user("staff_q", Role.PROVINCE, province=province_q),
        official_x=make_user("official_x", Role.COMMUNE, commune=commune_x),
        official_y=make_user("official_y", Role.COMMUNE, commune=commune_y),
        lead_x=make_user("lead_x", Role.TEAM_LEAD, team=team_x),
    )
