"""Screens write every date dd/mm/yyyy and every month with two digits; documents keep Decree 30's
way (05/9/2025, tháng 3), as the seeds' documents do; a birth year is never 1.960 (issue 16)."""

import datetime

from django.urls import reverse

from portal import vietnamese
from teams.models import Activity, Decision, Topic
from tests.teams.test_member_excel import upload, xlsx


def test_the_formatters_for_screens_and_for_documents():
    day = datetime.date(2026, 9, 5)
    assert vietnamese.short_date(day) == "05/09/2026"
    assert vietnamese.citation_date(day) == "05/9/2026"  # Decree 30, as the seeds cite "05/9/2025"
    assert [vietnamese.short_month_year(datetime.date(2026, m, 1)) for m in (1, 3, 12)] == [
        "tháng 01 năm 2026",
        "tháng 03 năm 2026",
        "tháng 12 năm 2026",
    ]
    assert vietnamese.month_year(datetime.date(2023, 3, 1)) == "tháng 3 năm 2023"  # as in seed 004


def test_the_activity_pages_write_dates_with_two_digit_months(client, cast):
    activity = Activity.objects.create(
        team=cast.team_x, date=datetime.date(2026, 9, 27), kind=Activity.Kind.TRAINING, topics=Topic.VNEID
    )
    client.force_login(cast.official_x)
    listing = client.get(reverse("teams:activity_list", args=[cast.commune_x.pk])).content.decode()
    assert "27/09/2026" in listing and "27/9/2026" not in listing
    detail = client.get(reverse("teams:activity_detail", args=[activity.pk])).content.decode()
    assert "27/09/2026" in detail and "27/9/2026" not in detail
    team = client.get(reverse("teams:team_detail", args=[cast.team_x.pk])).content.decode()
    assert "27/09/2026" in team and "27/9/2026" not in team


def test_the_team_page_writes_decision_dates_and_the_zalo_month_with_two_digits(client, cast):
    decision = Decision.objects.create(
        commune=cast.commune_x,
        kind=Decision.Kind.FOUNDING,
        number="241/QĐ-UBND",
        signed_on=datetime.date(2025, 9, 5),
        issuer="UBND xã Hà Tây",
    )
    decision.teams.set([cast.team_x])
    cast.team_x.zalo_url = ""
    cast.team_x.zalo_planned_month = datetime.date(2026, 3, 1)
    cast.team_x.save()
    client.force_login(cast.official_x)
    page = client.get(reverse("teams:team_detail", args=[cast.team_x.pk])).content.decode()
    assert "ngày 05/09/2025" in page and "05/9/2025" not in page
    assert "tháng 03 năm 2026" in page and "tháng 3 năm" not in page


def test_the_member_pages_write_joining_dates_with_two_digit_months(client, cast):
    cast.member_x.joined_on = datetime.date(2025, 9, 26)
    cast.member_x.save()
    client.force_login(cast.official_x)
    page = client.get(reverse("teams:member_detail", args=[cast.member_x.pk])).content.decode()
    assert "26/09/2025" in page and "26/9/2025" not in page


def test_the_import_preview_writes_a_birth_year_without_a_separator_and_dates_with_two_digits(client, cast):
    row = ["Tổ CNSCĐ Thôn Đông", "Phạm Thị Lan", "Tổ phó", "Hội Phụ nữ", "0912000111", "Nữ", "1960", "2", "26/9/2025"]
    client.force_login(cast.official_x)
    page = upload(client, cast, xlsx(row)).content.decode()
    assert "Sẽ nhập 1 thành viên" in page
    assert "1960" in page and "1.960" not in page
    assert "26/09/2025" in page and "26/9/2025" not in page


def test_the_request_pages_write_deadlines_with_two_digit_months(client, cast):
    from tests.reports.factories import make_request

    deadline = datetime.datetime(2026, 9, 27, 3, 0, tzinfo=datetime.UTC)  # 10:00 in Vietnam
    report_request = make_request(cast, deadline=deadline)
    client.force_login(cast.staff_p)
    listing = client.get(reverse("reports:request_list")).content.decode()
    assert "27/09/2026" in listing and "/9/2026" not in listing
    detail = client.get(reverse("reports:request_detail", args=[report_request.pk])).content.decode()
    assert "01/07/2025" in detail and "31/03/2026" in detail and "/9/2026" not in detail
