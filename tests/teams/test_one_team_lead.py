"""A team has one Tổ trưởng at a time; one who has left (a leave date set) no longer counts.
The member form (adding and editing) and the member import refuse a second one."""

from django.urls import reverse

from teams.models import Member
from tests.cast import make_team
from tests.teams.test_member_excel import confirm, good_row, upload, xlsx
from tests.teams.test_member_views import NEW_MEMBER

REFUSAL = "Tổ này đã có Tổ trưởng: Nguyễn Văn An. Hãy đổi vai trò của người đó trước."


def leads_of(team):
    return sorted(Member.objects.filter(team=team, role=Member.Role.LEAD).values_list("full_name", flat=True))


def test_a_second_lead_is_refused_naming_the_current_one(client, cast):
    client.force_login(cast.official_x)
    response = client.post(reverse("teams:member_add", args=[cast.team_x.pk]), {**NEW_MEMBER, "role": "lead"})
    page = response.content.decode()
    assert response.status_code == 200
    assert REFUSAL in page and "Lê Thị Hoa" in page  # what was typed is kept
    assert leads_of(cast.team_x) == ["Nguyễn Văn An"]
    assert not Member.objects.filter(full_name="Lê Thị Hoa").exists()
    team_page = client.get(reverse("teams:team_detail", args=[cast.team_x.pk])).content.decode()
    assert team_page.count('small">Tổ trưởng') == 1


def test_a_member_cannot_be_made_lead_while_the_team_has_one(client, cast):
    hoa = Member.objects.create(team=cast.team_x, full_name="Lê Thị Hoa", role=Member.Role.DEPUTY)
    client.force_login(cast.official_x)
    response = client.post(reverse("teams:member_edit", args=[hoa.pk]), {**NEW_MEMBER, "role": "lead"})
    assert response.status_code == 200 and REFUSAL in response.content.decode()
    hoa.refresh_from_db()
    assert hoa.role == Member.Role.DEPUTY
    assert leads_of(cast.team_x) == ["Nguyễn Văn An"]


def test_a_lead_who_has_left_does_not_count(client, cast):
    client.force_login(cast.official_x)
    data = {**NEW_MEMBER, "full_name": "Nguyễn Văn An", "role": "lead", "phone": "0912345678", "left_on": "2026-01-31"}
    assert client.post(reverse("teams:member_edit", args=[cast.member_x.pk]), data).status_code == 302
    response = client.post(reverse("teams:member_add", args=[cast.team_x.pk]), {**NEW_MEMBER, "role": "lead"})
    assert response.status_code == 302
    assert leads_of(cast.team_x) == ["Lê Thị Hoa", "Nguyễn Văn An"]
    assert list(Member.objects.filter(team=cast.team_x, role="lead", left_on__isnull=True)) == [
        Member.objects.get(full_name="Lê Thị Hoa")
    ]


def test_the_lead_of_another_team_does_not_count(client, cast):
    _, west = make_team(cast.commune_x, "Thôn Tây")
    client.force_login(cast.official_x)
    response = client.post(reverse("teams:member_add", args=[west.pk]), {**NEW_MEMBER, "role": "lead"})
    assert response.status_code == 302
    assert leads_of(west) == ["Lê Thị Hoa"]


def lead_row(team_name, name, phone):
    return [team_name, name, "Tổ trưởng", *good_row(name, phone)[3:]]


def test_the_import_refuses_a_lead_for_a_team_that_has_one(client, cast):
    client.force_login(cast.official_x)
    page = upload(client, cast, xlsx(good_row(), lead_row(cast.team_x.name, "Đỗ Văn Hùng", "0987000222")))
    page = page.content.decode()
    assert (
        "Dòng 3, cột Vai trò: Tổ CNSCĐ Thôn Đông đã có Tổ trưởng: Nguyễn Văn An. "
        "Hãy đổi vai trò của người đó trước." in page
    )
    confirm(client, cast)
    assert Member.objects.count() == 2
    assert leads_of(cast.team_x) == ["Nguyễn Văn An"]


def test_the_import_refuses_two_leads_for_one_team_in_the_file(client, cast):
    _, west = make_team(cast.commune_x, "Thôn Tây")
    client.force_login(cast.official_x)
    rows = [lead_row(west.name, "Phạm Thị Lan", "0912000111"), lead_row(west.name, "Đỗ Văn Hùng", "0987000222")]
    page = upload(client, cast, xlsx(*rows)).content.decode()
    assert (
        "Dòng 3, cột Vai trò: tệp đã ghi Phạm Thị Lan là Tổ trưởng của Tổ CNSCĐ Thôn Tây; "
        "mỗi tổ chỉ có một Tổ trưởng." in page
    )
    confirm(client, cast)
    assert leads_of(west) == []


def test_the_current_lead_in_a_file_is_a_duplicate_not_a_second_lead(client, cast):
    """An export filled and imported again lists the lead the team already has."""
    client.force_login(cast.official_x)
    rows = [lead_row(cast.team_x.name, "Nguyễn Văn An", "0912345678"), good_row()]
    page = upload(client, cast, xlsx(*rows)).content.decode()
    assert "Dòng 2: Nguyễn Văn An (0912345678) đã có, bỏ qua." in page and "Sẽ nhập 1 thành viên" in page
    confirm(client, cast)
    assert leads_of(cast.team_x) == ["Nguyễn Văn An"]
    assert Member.objects.filter(full_name="Phạm Thị Lan").exists()


def test_a_lead_added_between_preview_and_confirmation_stops_the_import(client, cast):
    _, west = make_team(cast.commune_x, "Thôn Tây")
    client.force_login(cast.official_x)
    page = upload(client, cast, xlsx(good_row(), lead_row(west.name, "Đỗ Văn Hùng", "0987000222"))).content.decode()
    assert "Sẽ nhập 2 thành viên" in page
    client.post(reverse("teams:member_add", args=[west.pk]), {**NEW_MEMBER, "role": "lead"})
    response = confirm(client, cast)
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("teams:member_import", args=[cast.commune_x.pk]),
    )
    page = client.get(response["Location"]).content.decode()
    assert (
        "Chưa nhập thành viên nào. Đỗ Văn Hùng (0987000222), cột Vai trò: Tổ CNSCĐ Thôn Tây đã có Tổ trưởng: "
        "Lê Thị Hoa. Hãy đổi vai trò của người đó trước." in page
    )
    assert leads_of(west) == ["Lê Thị Hoa"]
    assert not Member.objects.filter(full_name__in=["Phạm Thị Lan", "Đỗ Văn Hùng"]).exists()
