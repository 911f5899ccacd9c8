"""Rules the database itself refuses, whoever writes (imports, the admin, scripts): each test
goes around the forms with objects.create() or update() and expects an IntegrityError."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from portal.models import Role, User
from reports.models import ReportRequest
from teams.models import Member, Team, Village

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="composite foreign keys")


def refused(write):
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def test_a_member_cannot_leave_before_joining(cast):
    member = cast.member_x
    refused(
        lambda: Member.objects.filter(pk=member.pk).update(
            joined_on=datetime.date(2025, 5, 1), left_on=datetime.date(2025, 4, 30)
        )
    )
    Member.objects.filter(pk=member.pk).update(joined_on=datetime.date(2025, 5, 1), left_on=datetime.date(2025, 5, 1))


def test_a_team_has_one_tổ_trưởng_who_has_not_left(cast, client):
    """member_x leads team_x: a second lead is refused by the database, however it is written;
    once the first has a leave date, the team may have a new one. The admin says it in Vietnamese."""
    refused(lambda: Member.objects.create(team=cast.team_x, full_name="Lê Văn Cường", role=Member.Role.LEAD))
    other = Member.objects.create(team=cast.team_x, full_name="Lê Văn Cường")
    refused(lambda: Member.objects.filter(pk=other.pk).update(role=Member.Role.LEAD))
    Member.objects.filter(pk=cast.member_x.pk).update(left_on=datetime.date(2026, 1, 31))
    Member.objects.filter(pk=other.pk).update(role=Member.Role.LEAD)
    Member.objects.create(team=cast.team_y, full_name="Trần Văn Dũng", role=Member.Role.LEAD)  # another team
    client.force_login(cast.admin)
    response = client.post(
        f"/quan-tri/teams/member/{cast.member_y.pk}/change/",
        {"full_name": "Trần Thị Bình", "role": "lead", "origin": "other", "team": cast.team_y.pk, "trainings": 0},
    )
    assert "Tổ này đã có Tổ trưởng (chưa có ngày rời tổ)." in response.content.decode()


@pytest.mark.parametrize("year", [1919, 2016, 3000])
def test_a_birth_year_outside_the_forms_range_is_refused(cast, year):
    refused(lambda: Member.objects.create(team=cast.team_x, full_name="Lê Văn Cường", birth_year=year))


def test_a_village_team_needs_its_village_and_a_commune_team_has_none(cast):
    refused(lambda: Team.objects.create(commune=cast.commune_x, name="Tổ thiếu thôn", level=Team.Level.VILLAGE))
    refused(
        lambda: Team.objects.create(
            commune=cast.commune_x, village=cast.village_x, name="Tổ xã", level=Team.Level.COMMUNE
        )
    )


def test_an_open_village_name_is_unique_in_its_commune_whatever_the_case(cast):
    refused(lambda: Village.objects.create(commune=cast.commune_x, name="thôn Đông"))
    if connection.vendor == "postgresql":  # SQLite's lower() knows only ASCII letters
        refused(lambda: Village.objects.create(commune=cast.commune_x, name="THÔN ĐÔNG"))
    # Another commune, or once the first has closed, may use the name.
    Village.objects.create(commune=cast.commune_y, name="Thôn Đông")
    Village.objects.filter(pk=cast.village_x.pk).update(closed_on=datetime.date(2026, 1, 1))
    Village.objects.create(commune=cast.commune_x, name="thôn đông")


def test_a_report_period_starts_before_it_ends(cast):
    refused(
        lambda: ReportRequest.objects.create(
            province=cast.province_p,
            letter_number="1/SKHCN",
            letter_date=datetime.date(2026, 1, 2),
            subject="báo cáo",
            period_start=datetime.date(2026, 3, 31),
            period_end=datetime.date(2026, 1, 1),
            deadline=datetime.datetime(2026, 4, 5, tzinfo=datetime.UTC),
        )
    )


@pytest.mark.parametrize(
    "role, field", [(Role.PROVINCE, "province"), (Role.COMMUNE, "commune"), (Role.TEAM_LEAD, "team")]
)
def test_a_role_needs_its_unit(cast, role, field):
    user = {Role.PROVINCE: cast.staff_p, Role.COMMUNE: cast.official_x, Role.TEAM_LEAD: cast.lead_x}[role]
    refused(lambda: User.objects.filter(pk=user.pk).update(**{field: None}))


@postgresql_only
def test_a_users_commune_lies_in_the_users_province(cast):
    refused(lambda: User.objects.filter(pk=cast.official_x.pk).update(province=cast.province_q))


@postgresql_only
def test_a_users_team_lies_in_the_users_commune(cast):
    refused(lambda: User.objects.filter(pk=cast.lead_x.pk).update(commune=cast.commune_y))


@postgresql_only
def test_a_teams_village_lies_in_the_teams_commune(cast):
    refused(lambda: Team.objects.filter(pk=cast.team_x.pk).update(village=cast.village_y))
