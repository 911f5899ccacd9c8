"""Demo registry of Thành phố Hải Phòng, matching what the seed reports say.

Idempotent: every row is looked up by its natural key before it is created, and random
choices come from seeded generators, so running it twice gives the same registry.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from teams.models import Activity, ActivityMonth, Commune, Decision, Member, Team, Topic, Village

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
THUONG_HONG_VILLAGES = ["Thôn Hồng Thái", "Thôn Lạc Dục", "Thôn Thanh Xá", "Thôn Hoàng Xá"]

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý", "Đinh"]
MALE_MIDDLE = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Xuân"]
FEMALE_MIDDLE = ["Thị", "Thu", "Ngọc", "Thanh", "Hồng", "Kim"]
MALE_GIVEN = ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Nam", "Phong", "Quân", "Sơn", "Tuấn"]
FEMALE_GIVEN = ["Anh", "Chi", "Dung", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Phương", "Thảo"]
MOBILE_PREFIXES = ["091", "094", "098", "097", "096", "086", "088", "090", "093", "035", "036", "038", "039"]

# What a five-person village team usually looks like: the village head leads it, a youth
# union member is deputy, then the unions, the police and a volunteer.
VILLAGE_TEAM_ORIGINS = [
    (Member.Role.LEAD, Member.Origin.VILLAGE_HEAD),
    (Member.Role.DEPUTY, Member.Origin.YOUTH_UNION),
    (Member.Role.MEMBER, Member.Origin.WOMEN_UNION),
    (Member.Role.MEMBER, Member.Origin.POLICE),
    (Member.Role.MEMBER, Member.Origin.VOLUNTEER),
]
ACTIVITY_KINDS = [
    (Activity.Kind.DOOR_TO_DOOR, 6),
    (Activity.Kind.PROPAGANDA, 2),
    (Activity.Kind.MEETING, 1),
    (Activity.Kind.TRAINING, 1),
]
ACTIVITY_TOPICS = [
    Topic.VNEID,
    Topic.VNEID | Topic.EHEALTH,
    Topic.ONLINE_SERVICES,
    Topic.CASHLESS,
    Topic.VNEID | Topic.ONLINE_SERVICES,
    Topic.ECOMMERCE,
    Topic.POPULATION_DATA,
    Topic.SCHOOL_APPS,
]
ACTIVITIES_FROM = datetime.date(2025, 9, 1)


def person(rng):
    """(full name, gender, phone, birth year): plausible, deterministic for one generator."""
    if rng.random() < 0.5:
        gender, middle, given = Member.Gender.MALE, MALE_MIDDLE, MALE_GIVEN
    else:
        gender, middle, given = Member.Gender.FEMALE, FEMALE_MIDDLE, FEMALE_GIVEN
    name = f"{rng.choice(SURNAMES)} {rng.choice(middle)} {rng.choice(given)}"
    phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**7):07d}"
    return name, gender, phone, rng.randint(1965, 2003)


def ensure_members(team, slots, rng, joined_on):
    """Fills ``team`` with one member per (role, origin) slot unless it already has members."""
    if team.members.exists():
        return
    for role, origin in slots:
        name, gender, phone, birth_year = person(rng)
        Member.objects.create(
            team=team,
            full_name=name,
            role=role,
            origin=origin,
            phone=phone,
            gender=gender,
            birth_year=birth_year,
            trainings=rng.randint(0, 3),
            joined_on=joined_on,
        )


def ensure_village_teams(commune, names, kind=Village.Kind.THON):
    """One open village and one active team per name; returns the teams."""
    teams = []
    for name in names:
        village, _ = Village.objects.get_or_create(commune=commune, name=name, closed_on=None, defaults={"kind": kind})
        team, _ = Team.objects.get_or_create(
            commune=commune,
            village=village,
            status=Team.Status.ACTIVE,
            defaults={"name": f"Tổ CNSCĐ {name}", "level": Team.Level.VILLAGE},
        )
        teams.append(team)
    return teams


def ensure_decision(commune, number, signed_on, teams):
    """A founding decision of ``teams``."""
    decision, _ = Decision.objects.get_or_create(
        commune=commune,
        number=number,
        defaults={"signed_on": signed_on, "issuer": commune.committee_name, "kind": Decision.Kind.FOUNDING},
    )
    decision.teams.add(*teams)
    return decision


def seed_ha_tay():
    ha_tay = Commune.objects.get(code=HA_TAY)
    teams = ensure_village_teams(ha_tay, HA_TAY_VILLAGES)
    founded = datetime.date(2025, 9, 26)
    rng = random.Random(HA_TAY)
    for team in teams:
        ensure_members(team, VILLAGE_TEAM_ORIGINS, rng, founded)
    # Seed 000: "Dự kiến thời gian hoàn thành việc tạo nhóm Zalo: Tháng 01 năm 2026".
    Team.objects.filter(pk__in=[t.pk for t in teams], zalo_url="").update(zalo_planned_month=datetime.date(2026, 1, 1))
    ensure_decision(ha_tay, "241/QĐ-UBND", founded, teams)
    return teams


def seed_tran_hung_dao():
    ward = Commune.objects.get(code=TRAN_HUNG_DAO)
    Commune.objects.filter(pk=ward.pk).update(area_km2=Decimal("66.89"), population=35932)
    names = [f"Tổ dân phố số {n}" for n in range(1, 29)]
    teams = ensure_village_teams(ward, names, Village.Kind.TO_DAN_PHO)
    founded = datetime.date(2025, 9, 5)
    rng = random.Random(TRAN_HUNG_DAO)
    # Seed 002: 139 members in the 28 residential-group teams, so one team has four.
    for index, team in enumerate(teams):
        ensure_members(team, VILLAGE_TEAM_ORIGINS[: 4 if index == len(teams) - 1 else 5], rng, founded)
    ward_team, _ = Team.objects.get_or_create(
        commune=ward,
        level=Team.Level.COMMUNE,
        status=Team.Status.ACTIVE,
        defaults={"name": "Tổ CNSCĐ phường Trần Hưng Đạo"},
    )
    ensure_members(
        ward_team,
        [(Member.Role.LEAD, Member.Origin.OFFICIAL)]
        + [(Member.Role.DEPUTY, Member.Origin.OFFICIAL)]
        + [(Member.Role.MEMBER, Member.Origin.OFFICIAL)] * 44
        + [(Member.Role.MEMBER, Member.Origin.TEACHER)] * 4,
        rng,
        founded,
    )
    ensure_decision(ward, "597/QĐ-UBND", founded, [ward_team])
    ensure_decision(ward, "598/QĐ-UBND", founded, teams)
    return teams + [ward_team]


def seed_thuong_hong():
    commune = Commune.objects.get(code=THUONG_HONG)
    teams = ensure_village_teams(commune, THUONG_HONG_VILLAGES)
    founded = datetime.date(2025, 8, 26)
    rng = random.Random(THUONG_HONG)
    for team in teams:
        ensure_members(team, VILLAGE_TEAM_ORIGINS, rng, founded)
    ensure_decision(commune, "424/QĐ-UBND", founded, teams)
    return teams


def seed_activities(teams):
    """About one activity a week per team from September 2025 to today, unless a team has some."""
    today = timezone.localdate()
    kinds = [kind for kind, weight in ACTIVITY_KINDS for _ in range(weight)]
    rows = []
    for team in teams:
        if team.activities.exists():
            continue
        rng = random.Random(team.pk * 7919 + team.commune_id)
        day = ACTIVITIES_FROM + datetime.timedelta(days=rng.randrange(7))
        while day <= today:
            kind = rng.choice(kinds)
            people = rng.randint(25, 60) if kind == Activity.Kind.TRAINING else rng.randint(3, 20)
            rows.append(
                Activity(
                    team=team,
                    commune_id=team.commune_id,
                    date=day,
                    kind=kind,
                    topics=rng.choice(ACTIVITY_TOPICS),
                    place=team.village.name if team.village else "Trụ sở UBND",
                    people_helped=people,
                    households_reached=people // 2 if kind == Activity.Kind.DOOR_TO_DOOR else 0,
                    accounts_created=rng.randint(0, people // 3),
                )
            )
            day += datetime.timedelta(days=rng.randint(5, 10))
    # bulk_create skips Activity.save(): commune_id is set above, and the months counted here.
    Activity.objects.bulk_create(rows)
    ActivityMonth.objects.refresh((row.commune_id, row.date) for row in rows)


# Households per village (a range for each demo commune) and people per household: Hà Tây's
# rural hamlets, Thượng Hồng's four large merged villages, Trần Hưng Đạo's residential groups,
# whose populations add up to about the ward's 35,932 people.
HOUSEHOLDS = {HA_TAY: (190, 380), THUONG_HONG: (560, 820), TRAN_HUNG_DAO: (320, 410)}
PEOPLE_PER_HOUSEHOLD = (3.3, 3.8)


def seed_households():
    """Households and population of the demo villages that have none yet, the bases of indicators."""
    for code, (fewest, most) in HOUSEHOLDS.items():
        rng = random.Random(code + 1)
        for village in Village.objects.filter(commune__code=code).open_on().order_by("name"):
            households = rng.randint(fewest, most)
            population = round(households * rng.uniform(*PEOPLE_PER_HOUSEHOLD))
            if village.households is None:
                Village.objects.filter(pk=village.pk).update(households=households, population=population)


@transaction.atomic
def seed_registry():
    teams = seed_ha_tay() + seed_tran_hung_dao() + seed_thuong_hong()
    seed_households()
    seed_activities(teams)


def demo_team_for_lead():
    return Team.objects.get(commune__code=HA_TAY, village__name=HA_TAY_VILLAGES[0], status=Team.Status.ACTIVE)
