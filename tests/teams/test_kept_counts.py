"""The counts kept beside the registry (CommuneCount, MemberCount, ProvinceActivityMonth) stay
equal to the counts made directly from teams, members and activities after every kind of write,
and the dashboards' figures stay equal to the active members of the day as days pass."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from dashboards import figures
from teams.models import (
    Activity,
    ActivityMonth,
    CommuneCount,
    Member,
    MemberCount,
    Province,
    ProvinceActivityMonth,
    Team,
    Village,
)
from tests.cast import make_cast, make_team
from tests.concurrency import write_while_another_transaction_is_open
from tests.teams.test_activity_month import counted_by_the_portal, counted_in_python
from tests.teams.test_member_excel import confirm, good_row, upload, xlsx

TODAY = datetime.date(2026, 3, 10)
YEAR = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


def kept():
    """What the kept tables hold, without their zero rows."""
    communes = {c.commune_id: (c.teams, c.members) for c in CommuneCount.objects.all() if c.teams or c.members}
    origins = {
        (m.commune_id, m.origin): (m.members, m.female, m.male, m.trained)
        for m in MemberCount.objects.all()
        if m.members
    }
    return communes, origins


def counted_directly():
    """The same, counted in Python from every team and member: active teams, and their members
    who have not left (left_on empty)."""
    communes, origins = {}, {}
    for team in Team.objects.filter(status=Team.Status.ACTIVE):
        teams, members = communes.get(team.commune_id, (0, 0))
        communes[team.commune_id] = (teams + 1, members)
    for member in Member.objects.select_related("team"):
        if member.team.status != Team.Status.ACTIVE or member.left_on is not None:
            continue
        key = (member.team.commune_id, member.origin)
        n, female, male, trained = origins.get(key, (0, 0, 0, 0))
        origins[key] = (
            n + 1,
            female + (member.gender == Member.Gender.FEMALE),
            male + (member.gender == Member.Gender.MALE),
            trained + (member.trainings > 0),
        )
        teams, members = communes[member.team.commune_id]
        communes[member.team.commune_id] = (teams, members + 1)
    return communes, origins


def active_on(day):
    """{commune_id: members of its active teams active on ``day``}, counted in Python."""
    counts = {}
    for member in Member.objects.select_related("team"):
        joined = member.joined_on is None or member.joined_on <= day
        not_left = member.left_on is None or member.left_on > day
        if member.team.status == Team.Status.ACTIVE and joined and not_left:
            counts[member.team.commune_id] = counts.get(member.team.commune_id, 0) + 1
    return counts


def shown_on(day):
    """{commune_id: members} as the province dashboards show them on ``day``."""
    rows = [row for p in Province.objects.all() for row in figures.province_dashboard(p, day, day, day)["rows"]]
    return {row["id"]: row["members"] for row in rows if row["members"]}


def assert_kept_counts_are_right():
    assert kept() == counted_directly()


@pytest.fixture
def official(client, cast):
    client.force_login(cast.official_x)
    return client


@pytest.fixture
def second_team(cast):
    village = Village.objects.create(commune=cast.commune_x, name="Thôn Tây")
    return Team.objects.create(commune=cast.commune_x, village=village, name="Tổ CNSCĐ Thôn Tây")


MEMBER = {
    "full_name": "Lê Thị Hoa",
    "role": "member",
    "origin": "women_union",
    "phone": "",
    "gender": "female",
    "birth_year": "1990",
    "trainings": "1",
    "joined_on": "2025-10-01",
}


def test_the_cast_is_counted(cast):
    assert kept() == ({cast.commune_x.pk: (1, 1), cast.commune_y.pk: (1, 1)}, counted_directly()[1])
    assert_kept_counts_are_right()


def test_a_member_added_edited_and_given_a_leave_date_through_the_pages_is_recounted(official, cast):
    assert official.post(reverse("teams:member_add", args=[cast.team_x.pk]), MEMBER).status_code == 302
    assert kept()[1][(cast.commune_x.pk, "women_union")] == (1, 1, 0, 1)
    assert_kept_counts_are_right()
    hoa = Member.objects.get(full_name="Lê Thị Hoa")
    edit = reverse("teams:member_edit", args=[hoa.pk])
    assert official.post(edit, {**MEMBER, "gender": "male", "trainings": "0", "origin": "teacher"}).status_code == 302
    assert kept()[1][(cast.commune_x.pk, "teacher")] == (1, 0, 1, 0)
    assert (cast.commune_x.pk, "women_union") not in kept()[1]
    assert_kept_counts_are_right()
    assert official.post(edit, {**MEMBER, "left_on": "2026-02-01"}).status_code == 302
    assert kept()[0][cast.commune_x.pk] == (1, 1)
    assert_kept_counts_are_right()
    assert official.post(edit, {**MEMBER, "left_on": ""}).status_code == 302  # the leave date cleared
    assert kept()[0][cast.commune_x.pk] == (1, 2)
    assert_kept_counts_are_right()


def test_a_member_moved_to_a_team_of_the_same_commune_or_of_another_is_recounted_in_both(cast, second_team):
    member = cast.member_x
    member.team = second_team
    member.save()
    assert kept()[0][cast.commune_x.pk] == (2, 1)
    assert_kept_counts_are_right()
    member.team = cast.team_y  # another commune: both are recounted
    member.save()
    assert (kept()[0][cast.commune_x.pk], kept()[0][cast.commune_y.pk]) == ((2, 0), (1, 2))
    assert_kept_counts_are_right()


def test_members_deleted_in_the_admin_one_or_several_at_once_are_uncounted(client, cast, second_team):
    client.force_login(cast.admin)
    others = [Member.objects.create(team=second_team, full_name=f"Người {n}") for n in range(3)]
    assert_kept_counts_are_right()
    response = client.post(reverse("admin:teams_member_delete", args=[cast.member_x.pk]), {"post": "yes"})
    assert response.status_code == 302 and not Member.objects.filter(pk=cast.member_x.pk).exists()
    assert kept()[0][cast.commune_x.pk] == (2, 3)
    assert_kept_counts_are_right()
    action = {"action": "delete_selected", "_selected_action": [m.pk for m in others[:2]], "post": "yes"}
    assert client.post(reverse("admin:teams_member_changelist"), action).status_code == 302
    assert kept()[0][cast.commune_x.pk] == (2, 1)
    assert_kept_counts_are_right()


def test_a_team_dissolved_reactivated_and_created_through_the_pages_is_recounted(official, cast):
    data = {"name": cast.team_x.name, "level": "village", "village": cast.village_x.pk, "zalo_url": ""}
    data["zalo_planned_month"] = ""
    edit = reverse("teams:team_edit", args=[cast.team_x.pk])
    assert official.post(edit, {**data, "status": "dissolved"}).status_code == 302
    assert cast.commune_x.pk not in kept()[0]  # its member goes with it
    assert_kept_counts_are_right()
    assert official.post(edit, {**data, "status": "active"}).status_code == 302
    assert kept()[0][cast.commune_x.pk] == (1, 1)
    village = Village.objects.create(commune=cast.commune_x, name="Thôn Bắc")
    new = {**data, "name": "Tổ CNSCĐ Thôn Bắc", "village": village.pk, "status": "active"}
    assert official.post(reverse("teams:team_add", args=[cast.commune_x.pk]), new).status_code == 302
    assert kept()[0][cast.commune_x.pk] == (2, 1)
    assert_kept_counts_are_right()


def test_members_imported_from_excel_are_counted(official, cast):
    upload(official, cast, xlsx(good_row(), good_row("Đỗ Văn Hùng", "0987000222")))
    assert confirm(official, cast).status_code == 302
    assert kept()[0][cast.commune_x.pk] == (1, 3)
    assert kept()[1][(cast.commune_x.pk, "women_union")] == (2, 2, 0, 2)
    assert_kept_counts_are_right()


def test_writes_in_bulk_are_recounted(cast, second_team):
    Member.objects.bulk_create([Member(team=second_team, full_name=f"Người {n}", gender="male") for n in range(4)])
    assert kept()[0][cast.commune_x.pk] == (2, 5)
    assert_kept_counts_are_right()
    Member.objects.filter(team=second_team).update(team=cast.team_y)  # moved to another commune
    assert (kept()[0][cast.commune_x.pk], kept()[0][cast.commune_y.pk]) == ((2, 1), (1, 5))
    assert_kept_counts_are_right()
    moved = list(Member.objects.filter(team=cast.team_y, gender="male"))
    for member in moved:
        member.left_on = datetime.date(2026, 1, 1)
    Member.objects.bulk_update(moved, ["left_on"])
    assert kept()[0][cast.commune_y.pk] == (1, 1)
    assert_kept_counts_are_right()
    Team.objects.filter(commune=cast.commune_y).update(status=Team.Status.DISSOLVED)
    assert cast.commune_y.pk not in kept()[0]
    assert_kept_counts_are_right()
    Member.objects.filter(team=cast.team_y).delete()
    Team.objects.filter(pk=second_team.pk).delete()
    assert kept()[0][cast.commune_x.pk] == (1, 1)
    assert_kept_counts_are_right()
    Team.objects.bulk_create([Team(commune=cast.commune_z, level="commune", name="Tổ CNSCĐ Phường Ba Đình")])
    assert kept()[0][cast.commune_z.pk] == (1, 0)
    assert_kept_counts_are_right()


def test_rebuilding_counts_what_the_writes_counted(cast, second_team):
    Member.objects.create(team=second_team, full_name="Trần Văn Nam", gender="male", trainings=2)
    live = kept()
    CommuneCount.objects.rebuild()
    assert kept() == live == counted_directly()


def test_members_whose_dates_lie_ahead_are_counted_on_the_day_they_join_or_leave(cast, time_machine):
    """No write happens at midnight: the dashboards correct the kept counts for the day."""
    time_machine.move_to(datetime.datetime(2026, 3, 10, 5, 0, tzinfo=datetime.UTC), tick=False)
    tomorrow = TODAY + datetime.timedelta(days=1)
    Member.objects.create(team=cast.team_x, full_name="Vào ngày mai", joined_on=tomorrow, gender="female")
    cast.member_y.left_on = tomorrow
    cast.member_y.save()
    Member.objects.create(team=cast.team_y, full_name="Vào và rời sau", joined_on=tomorrow, left_on=tomorrow)
    assert_kept_counts_are_right()
    assert shown_on(TODAY) == active_on(TODAY) == {cast.commune_x.pk: 1, cast.commune_y.pk: 1}
    province = figures.province_dashboard(cast.province_p, TODAY, TODAY)
    assert (province["members"]["total"], province["members"]["female"]) == (2, 0)
    assert figures.national_dashboard(TODAY, TODAY)["totals"]["members"] == 2

    time_machine.move_to(datetime.datetime(2026, 3, 11, 5, 0, tzinfo=datetime.UTC), tick=False)
    assert shown_on(tomorrow) == active_on(tomorrow) == {cast.commune_x.pk: 2}
    province = figures.province_dashboard(cast.province_p, tomorrow, tomorrow)
    assert (province["members"]["total"], province["members"]["female"]) == (2, 1)
    assert figures.national_dashboard(tomorrow, tomorrow)["totals"]["members"] == 2


def provinces_counted_directly():
    totals = {}
    for month in ActivityMonth.objects.select_related("commune"):
        key = (month.commune.province_id, month.month)
        count, people = totals.get(key, (0, 0))
        totals[key] = (count + month.count, people + month.people)
    return totals


def provinces_kept():
    return {(p.province_id, p.month): (p.count, p.people) for p in ProvinceActivityMonth.objects.all()}


def test_the_provinces_monthly_activities_follow_the_activities_and_the_communes(cast):
    assert provinces_kept() == provinces_counted_directly() != {}
    Activity.objects.create(team=cast.team_y, date=datetime.date(2026, 1, 3), kind="meeting", people_helped=4)
    cast.activity_x.date = datetime.date(2026, 2, 20)
    cast.activity_x.save()
    assert provinces_kept() == provinces_counted_directly()
    assert provinces_kept()[(cast.province_p.pk, datetime.date(2026, 1, 1))] == (2, 34)
    Activity.objects.filter(team=cast.team_y).delete()
    assert provinces_kept() == provinces_counted_directly()
    _, team_z = make_team(cast.commune_z, "Tổ dân phố số 2")
    Activity.objects.create(team=team_z, date=datetime.date(2026, 2, 2), kind="meeting", people_helped=9)
    assert provinces_kept()[(cast.province_q.pk, datetime.date(2026, 2, 1))] == (1, 9)
    cast.commune_z.province = cast.province_p  # an administrative reorganisation
    cast.commune_z.save()
    assert provinces_kept() == provinces_counted_directly()
    assert provinces_kept()[(cast.province_p.pk, datetime.date(2026, 2, 1))] == (2, 21)
    assert (cast.province_q.pk, datetime.date(2026, 2, 1)) not in provinces_kept()
    ActivityMonth.objects.rebuild()
    assert provinces_kept() == provinces_counted_directly()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite runs one writer at a time")
def test_two_members_of_one_commune_saved_at_once_are_both_counted():
    """The second recount waits for the first transaction (the lock on the commune's row)
    instead of counting without its member and overwriting its count."""
    cast = make_cast()
    write_while_another_transaction_is_open(
        lambda: Member.objects.create(team=cast.team_x, full_name="Người thứ nhất"),
        lambda: Member.objects.create(team=cast.team_x, full_name="Người thứ hai"),
    )
    assert kept()[0][cast.commune_x.pk] == (1, 3)
    assert_kept_counts_are_right()


@pytest.mark.parametrize("same_province", [True, False])
def test_a_team_moved_to_another_commune_takes_its_activities_counts_and_lead_account(client, cast, same_province):
    """The admin moves a team (a boundary change): its activities are the new commune's, in every
    kept count and for every scope, and its lead's account works for the new commune."""
    target = cast.commune_y if same_province else cast.commune_z
    for month in (1, 2, 5):
        Activity.objects.create(team=cast.team_x, date=datetime.date(2026, month, 3), kind="meeting", people_helped=2)
    Activity.objects.create(team=cast.team_y, date=datetime.date(2026, 2, 9), kind="training", people_helped=8)
    village = Village.objects.create(commune=target, name="Thôn Đông mới")
    team = cast.team_x
    team.commune, team.village = target, village
    team.save()
    assert set(Activity.objects.filter(team=team).values_list("commune_id", flat=True)) == {target.pk}
    assert counted_by_the_portal() == counted_in_python()
    assert provinces_kept() == provinces_counted_directly()
    assert_kept_counts_are_right()
    lead = type(cast.lead_x).objects.get(pk=cast.lead_x.pk)
    assert (lead.commune_id, lead.province_id) == (target.pk, target.province_id)
    client.force_login(cast.official_x)
    assert client.get(reverse("teams:activity_edit", args=[cast.activity_x.pk])).status_code == 404
    client.force_login(lead)
    assert client.get(reverse("teams:activity_edit", args=[cast.activity_x.pk])).status_code == 200
    x_row = next(r for r in figures.province_dashboard(cast.province_p, *YEAR)["rows"] if r["id"] == cast.commune_x.pk)
    assert (x_row["teams"], x_row["activities"]) == (0, 0)


def test_a_commune_moved_to_another_province_takes_its_accounts(client, cast):
    """An administrative reorganisation: the commune's official and its team's lead now work in
    the new province (on PostgreSQL the accounts' composite keys would refuse it otherwise)."""
    commune = cast.commune_x
    commune.province = cast.province_q
    commune.save()
    for user in (cast.official_x, cast.lead_x):
        user.refresh_from_db()
        assert user.province_id == cast.province_q.pk
    client.force_login(cast.staff_q)
    assert client.get(reverse("teams:member_list", args=[commune.pk])).status_code == 200
    client.force_login(cast.staff_p)
    assert client.get(reverse("teams:member_list", args=[commune.pk])).status_code == 404
