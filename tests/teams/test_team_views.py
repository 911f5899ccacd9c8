import datetime

from django.urls import reverse
from django.utils import timezone

from teams.models import Member, Team, Village


def team_data(cast, **changes):
    data = {
        "name": "Tổ CNSCĐ Thôn Tây",
        "level": "village",
        "status": "active",
        "zalo_url": "",
        "zalo_planned_month": "",
    }
    return {**data, **changes}


def test_an_official_adds_a_village_team_with_a_zalo_group(client, cast):
    village = Village.objects.create(commune=cast.commune_x, name="Thôn Tây")
    client.force_login(cast.official_x)
    data = team_data(cast, village=village.pk, zalo_url="https://zalo.me/g/abc123")
    response = client.post(reverse("teams:team_add", args=[cast.commune_x.pk]), data)
    assert response.status_code == 302
    team = Team.objects.get(village=village)
    assert (team.commune, team.zalo_url) == (cast.commune_x, "https://zalo.me/g/abc123")


def test_a_link_that_is_not_zalo_is_refused(client, cast):
    village = Village.objects.create(commune=cast.commune_x, name="Thôn Tây")
    client.force_login(cast.official_x)
    data = team_data(cast, village=village.pk, zalo_url="https://example.com/zalo.me")
    response = client.post(reverse("teams:team_add", args=[cast.commune_x.pk]), data)
    assert "phải là một liên kết zalo.me" in response.content.decode()
    assert not Team.objects.filter(village=village).exists()


def test_a_village_may_not_have_two_active_teams(client, cast):
    client.force_login(cast.official_x)
    response = client.post(
        reverse("teams:team_add", args=[cast.commune_x.pk]), team_data(cast, village=cast.village_x.pk)
    )
    assert "Thôn này đã có một Tổ đang hoạt động" in response.content.decode()
    assert Team.objects.filter(village=cast.village_x).count() == 1


def test_a_planned_zalo_month_is_kept_and_the_edit_shows_in_the_team_history(client, cast):
    client.force_login(cast.official_x)
    data = team_data(cast, name=cast.team_x.name, village=cast.village_x.pk, zalo_planned_month="2026-01")
    assert client.post(reverse("teams:team_edit", args=[cast.team_x.pk]), data).status_code == 302
    cast.team_x.refresh_from_db()
    assert str(cast.team_x.zalo_planned_month) == "2026-01-01"
    page = client.get(reverse("teams:team_detail", args=[cast.team_x.pk])).content.decode()
    assert "dự kiến lập tháng 01 năm 2026" in page
    assert "tháng dự kiến lập nhóm Zalo: “trống” → “01/01/2026”" in page


def test_a_team_lead_may_not_edit_the_team(client, cast):
    client.force_login(cast.lead_x)
    data = team_data(cast, village=cast.village_x.pk)
    assert client.post(reverse("teams:team_edit", args=[cast.team_x.pk]), data).status_code == 403


def test_a_village_team_without_a_village_is_refused(client, cast):
    client.force_login(cast.official_x)
    response = client.post(reverse("teams:team_add", args=[cast.commune_x.pk]), team_data(cast))
    assert "Tổ cấp thôn cần chọn thôn/tổ dân phố." in response.content.decode()
    assert Team.objects.filter(commune=cast.commune_x).count() == 1


def test_the_history_names_the_village_a_team_moved_to(client, cast):
    cast.team_x.status = Team.Status.DISSOLVED
    cast.team_x.save()
    west = Village.objects.create(commune=cast.commune_x, name="Thôn Tây")
    client.force_login(cast.official_x)
    data = team_data(cast, name=cast.team_x.name, village=west.pk, status="dissolved")
    assert client.post(reverse("teams:team_edit", args=[cast.team_x.pk]), data).status_code == 302
    page = client.get(reverse("teams:team_detail", args=[cast.team_x.pk])).content.decode()
    assert "“Thôn Đông” → “Thôn Tây”" in page


def test_a_team_whose_village_has_closed_can_still_be_edited(client, cast):
    cast.village_x.closed_on = datetime.date(2026, 7, 1)
    cast.village_x.save()
    client.force_login(cast.official_x)
    data = team_data(cast, name="Tổ CNSCĐ Thôn Đông (cũ)", village=cast.village_x.pk, status="dissolved")
    assert client.post(reverse("teams:team_edit", args=[cast.team_x.pk]), data).status_code == 302
    cast.team_x.refresh_from_db()
    assert (cast.team_x.name, cast.team_x.village) == ("Tổ CNSCĐ Thôn Đông (cũ)", cast.village_x)


def test_the_team_list_counts_active_members_as_the_team_page_does(client, cast):
    Member.objects.create(team=cast.team_x, full_name="Sắp vào", joined_on=datetime.date(2099, 1, 1))
    Member.objects.create(team=cast.team_x, full_name="Đã rời", left_on=datetime.date(2026, 1, 1))
    client.force_login(cast.official_x)
    response = client.get(reverse("teams:team_list", args=[cast.commune_x.pk]))
    team = next(t for t in response.context["page"] if t.pk == cast.team_x.pk)
    assert team.active_members == cast.team_x.members.active_on().count() == 1


def test_a_team_dissolved_keeps_its_day_today_unless_typed_and_loses_it_when_active_again(client, cast):
    """The day a team was dissolved is what reports of earlier periods count it until."""
    client.force_login(cast.official_x)
    edit = reverse("teams:team_edit", args=[cast.team_x.pk])
    data = team_data(cast, name=cast.team_x.name, village=cast.village_x.pk, status="dissolved", dissolved_on="")
    assert client.post(edit, data).status_code == 302
    cast.team_x.refresh_from_db()
    assert (cast.team_x.status, cast.team_x.dissolved_on) == ("dissolved", timezone.localdate())
    # Edited again without a date: the day kept is not moved to the later day.
    cast.team_x.dissolved_on = datetime.date(2026, 2, 10)
    cast.team_x.save()
    assert client.post(edit, data).status_code == 302
    cast.team_x.refresh_from_db()
    assert cast.team_x.dissolved_on == datetime.date(2026, 2, 10)
    page = client.get(reverse("teams:team_detail", args=[cast.team_x.pk])).content.decode()
    assert "Đã giải thể ngày 10/02/2026" in page

    later = (timezone.localdate() + datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    response = client.post(edit, {**data, "dissolved_on": later, "zalo_url": "https://zalo.me/g/giu-lai"})
    page = response.content.decode()
    assert response.status_code == 200 and "Ngày giải thể không thể sau hôm nay." in page
    assert later in page and "https://zalo.me/g/giu-lai" in page  # what was typed is kept

    assert client.post(edit, {**data, "status": "active", "dissolved_on": "05/01/2026"}).status_code == 302
    cast.team_x.refresh_from_db()
    assert (cast.team_x.status, cast.team_x.dissolved_on) == ("active", None)


def test_a_team_entered_as_dissolved_needs_its_day_and_an_active_one_ignores_the_field(client, cast):
    village = Village.objects.create(commune=cast.commune_x, name="Thôn Cũ")
    client.force_login(cast.official_x)
    add = reverse("teams:team_add", args=[cast.commune_x.pk])
    data = team_data(cast, name="Tổ CNSCĐ Thôn Cũ", village=village.pk, status="dissolved", dissolved_on="")
    response = client.post(add, data)
    assert response.status_code == 200 and "Hãy nhập ngày giải thể của tổ." in response.content.decode()
    assert client.post(add, {**data, "dissolved_on": "15/08/2025"}).status_code == 302
    assert Team.objects.get(village=village).dissolved_on == datetime.date(2025, 8, 15)
    # An active team's form is not held up by whatever sits in the dissolution field.
    edit = reverse("teams:team_edit", args=[cast.team_x.pk])
    active = team_data(cast, name=cast.team_x.name, village=cast.village_x.pk, dissolved_on="xx/yy")
    assert client.post(edit, active).status_code == 302


def test_the_admin_checks_the_dissolution_day_as_the_team_form_does(client, cast):
    client.force_login(cast.admin)
    url = reverse("admin:teams_team_change", args=[cast.team_x.pk])
    data = {
        "commune": cast.commune_x.pk,
        "village": cast.village_x.pk,
        "name": cast.team_x.name,
        "level": "village",
        "status": "dissolved",
        "dissolved_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
        "zalo_url": "",
        "zalo_planned_month": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "Ngày giải thể không thể sau hôm nay." in response.content.decode()
    assert client.post(url, {**data, "dissolved_on": ""}).status_code == 302
    cast.team_x.refresh_from_db()
    assert (cast.team_x.status, cast.team_x.dissolved_on) == ("dissolved", timezone.localdate())
