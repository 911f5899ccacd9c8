"""Words and numbers as a Vietnamese reader expects them (issue 16)."""

from django.contrib.staticfiles import finders
from django.urls import reverse

from teams.models import Member


def test_the_origins_include_the_roles_teams_really_have():
    labels = set(Member.Origin.labels)
    for expected in (
        "Bí thư chi bộ",
        "Trưởng thôn / Tổ trưởng tổ dân phố",
        "Mặt trận Tổ quốc",
        "Công an",
        "Quân sự",
        "Người có uy tín",
    ):
        assert expected in labels


def test_the_team_page_lists_the_lead_before_the_deputy(client, cast):
    Member.objects.create(team=cast.team_x, full_name="Bùi Thị Phó", role=Member.Role.DEPUTY)
    Member.objects.create(team=cast.team_x, full_name="An Văn Viên", role=Member.Role.MEMBER)
    client.force_login(cast.lead_x)
    page = client.get(reverse("teams:team_detail", args=[cast.team_x.pk])).content.decode()
    assert page.index("Nguyễn Văn An") < page.index("Bùi Thị Phó") < page.index("An Văn Viên")


def test_a_birth_year_has_no_thousands_separator(client, cast):
    cast.member_x.birth_year = 1960
    cast.member_x.save()
    client.force_login(cast.official_x)
    page = client.get(reverse("teams:member_detail", args=[cast.member_x.pk])).content.decode()
    assert "1960" in page and "1.960" not in page
    page = client.get(reverse("teams:member_edit", args=[cast.member_x.pk])).content.decode()
    assert 'value="1960"' in page


def test_the_templates_have_vietnamese_file_names(client, cast):
    client.force_login(cast.official_x)
    response = client.get(reverse("teams:member_template", args=[cast.commune_x.pk]))
    assert 'filename="mau-thanh-vien-xa_ha_tay.xlsx"' in response["Content-Disposition"]
    response = client.get(reverse("teams:village_template", args=[cast.commune_x.pk]))
    assert 'filename="mau-thon-to-dan-pho-xa_ha_tay.xlsx"' in response["Content-Disposition"]


def test_a_duplicate_name_is_quoted_with_vietnamese_quotes(client, cast):
    client.force_login(cast.official_x)
    response = client.post(
        reverse("teams:village_add", args=[cast.commune_x.pk]), {"name": "Thôn Đông", "kind": "thon"}
    )
    page = response.content.decode()
    assert "“Thôn Đông”" in page and "\u00ab" not in page


def test_the_favicon_is_served_from_the_portal(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.ico")
    assert finders.find("favicon.ico")
