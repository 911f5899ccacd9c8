"""Village, team and member lists: search, filters, sort, pagination, and exports that
follow the same query string."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from teams.models import Member, Team, Village
from tests.cast import make_team


def rows_of(response):
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))


def names_in(response, marker):
    """The link texts of the rows, in order (each list links its rows' names)."""
    page = response.content.decode()
    return [chunk.split("<")[0] for chunk in page.split(marker)[1:]]


def test_the_village_list_searches_filters_and_sorts(client, cast):
    make_team(cast.commune_x, "Thôn Bắc")
    Village.objects.create(commune=cast.commune_x, name="Thôn Nam", households=400)
    Village.objects.create(commune=cast.commune_x, name="Tổ dân phố 5", kind="to_dan_pho", households=90)
    Village.objects.create(commune=cast.commune_x, name="Thôn Cũ", closed_on="2025-03-01")
    client.force_login(cast.official_x)
    url = reverse("teams:village_list", args=[cast.commune_x.pk])
    page = client.get(url).content.decode()
    assert "Thôn, tổ dân phố (4)" in page and "Thôn Cũ" not in page
    assert "Thôn Cũ" in client.get(url, {"trang_thai": "da-giai-the"}).content.decode()
    page = client.get(url, {"co_to": "chua"}).content.decode()
    assert "Thôn Nam" in page and "Tổ dân phố 5" in page and "Thôn Bắc" not in page
    assert "Thôn, tổ dân phố (1)" in client.get(url, {"kind": "to_dan_pho"}).content.decode()
    page = client.get(url, {"q": "Nam"}).content.decode()
    assert "Thôn Nam" in page and "Thôn Đông" not in page
    page = client.get(url, {"sap_xep": "so-ho"}).content.decode()
    assert page.index("Thôn Nam") < page.index("Tổ dân phố 5") < page.index("Thôn Đông")


def test_a_filter_value_that_does_not_exist_is_ignored_not_an_error(client, cast):
    client.force_login(cast.official_x)
    url = reverse("teams:village_list", args=[cast.commune_x.pk])
    response = client.get(url, {"kind": "xom", "sap_xep": "drop table", "trang": "99"})
    assert response.status_code == 200
    assert "Thôn Đông" in response.content.decode()


def test_the_village_list_pages_by_fifty_and_keeps_the_filters_in_its_links(client, cast):
    Village.objects.bulk_create(Village(commune=cast.commune_x, name=f"Thôn {n:03}") for n in range(60))
    client.force_login(cast.official_x)
    url = reverse("teams:village_list", args=[cast.commune_x.pk])
    page = client.get(url, {"q": "Thôn 0"}).content.decode()
    assert "Trang 1 / 2" in page
    assert "?q=Th%C3%B4n+0&amp;trang=2" in page
    second = client.get(url, {"q": "Thôn 0", "trang": 2}).content.decode()
    assert "Thôn 059" in second and "Thôn 000" not in second


def test_the_village_list_needs_a_fixed_number_of_queries(client, cast, django_assert_max_num_queries):
    """Whether a village has a team is an EXISTS in the same query: 60 villages cost what 1
    does: session, user, the user's unit in the menu (2), commune, count, page."""
    for n in range(30):
        make_team(cast.commune_x, f"Thôn có tổ {n}")
    Village.objects.bulk_create(Village(commune=cast.commune_x, name=f"Thôn chưa có tổ {n}") for n in range(30))
    client.force_login(cast.official_x)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("teams:village_list", args=[cast.commune_x.pk]))
    assert "Trang 1 / 2" in response.content.decode()


def test_the_team_list_filters_by_level_and_status_and_sorts_by_members(client, cast):
    Team.objects.create(commune=cast.commune_x, name="Tổ CNSCĐ xã Hà Tây", level="commune")
    _, dissolved = make_team(cast.commune_x, "Thôn Cũ")
    Team.objects.filter(pk=dissolved.pk).update(status="dissolved", dissolved_on=datetime.date(2025, 10, 31))
    _, big = make_team(cast.commune_x, "Thôn Lớn")
    Member.objects.bulk_create(Member(team=big, full_name=f"Người {n}") for n in range(3))
    client.force_login(cast.staff_p)
    url = reverse("teams:team_list", args=[cast.commune_x.pk])
    assert "Tổ CNSCĐ (4)" in client.get(url).content.decode()
    page = client.get(url, {"level": "commune"}).content.decode()
    assert "Tổ CNSCĐ (1)" in page and "Tổ CNSCĐ xã Hà Tây" in page
    page = client.get(url, {"status": "active", "sap_xep": "thanh-vien"}).content.decode()
    assert "Thôn Cũ" not in page
    assert "Đã giải thể ngày 31/10/2025" in client.get(url, {"status": "dissolved"}).content.decode()
    assert page.index("Tổ CNSCĐ Thôn Lớn") < page.index("Tổ CNSCĐ Thôn Đông") < page.index("Tổ CNSCĐ xã Hà Tây")
    assert "Tổ CNSCĐ Thôn Lớn" in client.get(url, {"q": "lớn"}).content.decode()


def test_the_team_export_honours_the_filters_and_counts_members(client, cast):
    Team.objects.create(commune=cast.commune_x, name="Tổ CNSCĐ xã Hà Tây", level="commune")
    client.force_login(cast.official_x)
    _, old = make_team(cast.commune_x, "Thôn Cũ")
    old.status, old.dissolved_on = Team.Status.DISSOLVED, datetime.date(2025, 10, 31)
    old.save()
    response = client.get(reverse("teams:team_export", args=[cast.commune_x.pk]), {"level": "village"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert list(sheet.iter_rows(values_only=True)) == [
        ("Tên tổ", "Cấp", "Thôn, tổ dân phố", "Trạng thái", "Ngày giải thể", "Số thành viên", "Nhóm Zalo"),
        ("Tổ CNSCĐ Thôn Cũ", "Cấp thôn", "Thôn Cũ", "Đã giải thể", datetime.datetime(2025, 10, 31), 0, None),
        ("Tổ CNSCĐ Thôn Đông", "Cấp thôn", "Thôn Đông", "Đang hoạt động", None, 1, None),
    ]
    assert sheet["E2"].number_format == "dd/mm/yyyy"


def test_the_member_list_filters_by_team_role_origin_and_gender(client, cast):
    _, other = make_team(cast.commune_x, "Thôn Tây")
    Member.objects.create(team=other, full_name="Lò Thị Mai", gender="female", origin="women_union")
    Member.objects.create(team=other, full_name="Hà Văn Nam", gender="male", role="deputy")
    client.force_login(cast.official_x)
    url = reverse("teams:member_list", args=[cast.commune_x.pk])
    assert "Thành viên (2)" in client.get(url, {"team": other.pk}).content.decode()
    assert "Thành viên (1)" in client.get(url, {"team": other.pk, "gender": "female"}).content.decode()
    page = client.get(url, {"origin": "women_union"}).content.decode()
    assert "Lò Thị Mai" in page and "Hà Văn Nam" not in page
    page = client.get(url, {"role": "deputy"}).content.decode()
    assert "Hà Văn Nam" in page and "Lò Thị Mai" not in page
    # Another commune's team is not a choice: the filter is dropped, the list stays the commune's.
    page = client.get(url, {"team": cast.team_y.pk}).content.decode()
    assert "Thành viên (3)" in page and "Trần Thị Bình" not in page


def test_the_member_export_honours_the_filters(client, cast):
    Member.objects.create(team=cast.team_x, full_name="Vũ Thị Mai", phone="0933000111", left_on="2025-12-01")
    client.force_login(cast.official_x)
    url = reverse("teams:member_export", args=[cast.commune_x.pk])
    assert [row[1] for row in rows_of(client.get(url))[1:]] == ["Nguyễn Văn An"]
    left = rows_of(client.get(url, {"trang_thai": "da-roi"}))
    assert [row[1] for row in left[1:]] == ["Vũ Thị Mai"]
    assert left[1][9].date().isoformat() == "2025-12-01"
    assert len(rows_of(client.get(url, {"trang_thai": "tat-ca", "q": "0933"}))) == 2


@pytest.mark.parametrize("name", ["village_export", "team_export", "member_export", "activity_export"])
@pytest.mark.parametrize("user", ["official_y", "staff_q", "lead_x"])
def test_exports_of_another_commune_are_404(client, cast, name, user):
    client.force_login(cast.user(user))
    assert client.get(reverse(f"teams:{name}", args=[cast.commune_x.pk])).status_code == 404


@pytest.mark.parametrize("name", ["village_list", "team_list", "member_list", "activity_list"])
def test_the_commune_home_page_links_every_list_and_export(client, cast, name):
    client.force_login(cast.official_x)
    page = client.get(reverse("teams:commune_detail", args=[cast.commune_x.pk])).content.decode()
    assert reverse(f"teams:{name}", args=[cast.commune_x.pk]) in page
    assert reverse(f"teams:{name.replace('_list', '_export')}", args=[cast.commune_x.pk]) in page
