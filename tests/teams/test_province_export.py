"""Province-wide exports for the department: every commune's records, filtered like the lists,
with the commune of each row, formats kept and user text never a formula. Each is made in the
background (exports/): the button posts, its job's page gives the file (tests/exports/helpers.py)."""

import datetime
from urllib.parse import urlencode

from django.urls import reverse

from exports.models import Export
from teams.models import Activity, Member
from tests.cast import make_team
from tests.exports import helpers


def sheet_of(client, name, pk, query=None):
    url = reverse(f"teams:province_{name}_export", args=[pk])
    return helpers.sheet(helpers.download(client, f"{url}?{urlencode(query)}" if query else url))


def test_the_member_export_holds_every_commune_of_the_province_with_its_name(client, cast):
    Member.objects.create(team=cast.team_y, full_name="=HYPERLINK(1)", phone="0912345678", trainings=1250)
    client.force_login(cast.staff_p)
    response = helpers.download(client, reverse("teams:province_member_export", args=[cast.province_p.pk]))
    assert 'filename="thanh-vien-' in response["Content-Disposition"]
    sheet = helpers.sheet(response)
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:9] == (
        "Tổ",
        "Họ và tên",
        "Vai trò",
        "Thành phần",
        "Số điện thoại",
        "Giới tính",
        "Năm sinh",
        "Số lần tập huấn",
        "Ngày tham gia",
    )
    assert rows[0][-1] == "Xã/phường"
    communes = {row[-1] for row in rows[1:]}
    assert communes == {"Xã Hà Tây", "Phường Trần Hưng Đạo"}
    typed = next(row for row in sheet.iter_rows(min_row=2) if row[1].value == "=HYPERLINK(1)")
    assert typed[1].data_type == "s" and typed[1].quotePrefix
    assert typed[7].value == 1250 and typed[7].number_format == "#,##0"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:K{len(rows)}"
    # Rows come commune by commune.
    names = [row[-1] for row in rows[1:]]
    assert names == sorted(names)


def test_the_filters_and_one_commune_narrow_the_export(client, cast):
    Member.objects.create(team=cast.team_y, full_name="Lê Thị Hoa", role="lead")
    client.force_login(cast.staff_p)
    p = cast.province_p.pk
    rows = list(sheet_of(client, "member", p, {"q": "Hoa"}).iter_rows(values_only=True))
    assert [row[1] for row in rows[1:]] == ["Lê Thị Hoa"]
    rows = list(sheet_of(client, "member", p, {"xa": cast.commune_x.pk}).iter_rows(values_only=True))
    assert {row[-1] for row in rows[1:]} == {"Xã Hà Tây"}
    assert list(sheet_of(client, "member", p, {"xa": "abc"}).iter_rows(values_only=True))[1:]
    # Each job keeps the filters it was asked with, and says so in its title.
    assert [e.params["query"] for e in Export.objects.order_by("pk")] == ["q=Hoa", f"xa={cast.commune_x.pk}", "xa=abc"]
    assert Export.objects.first().title == "Thành viên của Thành phố Hải Phòng (Excel, có lọc)"


def test_villages_teams_and_activities_of_the_province_export(client, cast):
    make_team(cast.commune_y, "Tổ dân phố số 2")
    Activity.objects.create(
        team=cast.team_y, date=datetime.date(2026, 3, 2), kind="door_to_door", topics=3, people_helped=12
    )
    client.force_login(cast.staff_p)
    pk = cast.province_p.pk
    villages = list(sheet_of(client, "village", pk).iter_rows(values_only=True))
    assert {row[-1] for row in villages[1:]} == {"Xã Hà Tây", "Phường Trần Hưng Đạo"}
    teams = list(sheet_of(client, "team", pk).iter_rows(values_only=True))
    assert teams[0][4:6] == ("Ngày giải thể", "Số thành viên") and len(teams) >= 4
    activities = sheet_of(client, "activity", pk)
    row = next(r for r in activities.iter_rows(min_row=2) if r[5].value == 12)
    assert row[0].value == datetime.datetime(2026, 3, 2) and row[0].number_format == "dd/mm/yyyy"
    assert row[3].value == "VNeID, Dịch vụ công trực tuyến"
    assert row[-1].value == "Phường Trần Hưng Đạo"


def test_another_province_is_404_and_a_commune_official_403_and_nothing_is_queued(client, cast):
    url = reverse("teams:province_member_export", args=[cast.province_p.pk])
    client.force_login(cast.staff_q)
    assert client.post(url).status_code == 404
    client.force_login(cast.official_x)
    assert client.post(url).status_code == 403
    assert not Export.objects.exists()


def test_the_export_is_asked_by_post_only(client, cast):
    client.force_login(cast.staff_p)
    assert client.get(reverse("teams:province_member_export", args=[cast.province_p.pk])).status_code == 405
    assert not Export.objects.exists()


def test_the_province_dashboard_has_a_button_for_each_of_the_four_exports(client, cast):
    client.force_login(cast.staff_p)
    page = client.get(reverse("dashboards:province_dashboard", args=[cast.province_p.pk])).content.decode()
    for name in ("village", "team", "member", "activity"):
        url = reverse(f"teams:province_{name}_export", args=[cast.province_p.pk])
        assert f'<form method="post" action="{url}">' in page
