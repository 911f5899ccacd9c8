"""A report says what the unit is: "xã" and "thôn" in a commune's, "phường" and "tổ dân phố" in a
ward's, whatever the department's request wrote once for all of them; and its founding decisions
are one bullet, however many there are."""

import datetime
import html
import re

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import strip_tags

from reports import figures, workflow
from reports.models import ReportRequest
from teams.models import Decision, Team, Village
from tests.reports.factories import make_request

# The demo letter's recipients, as the department typed them for every commune.
RECIPIENTS = "Sở Khoa học và Công nghệ thành phố (b/c)\nLãnh đạo UBND xã\nCác thôn, Tổ CNS cộng đồng\nLưu: VT, VHXH"
FOUNDED = datetime.date(2025, 9, 5)


def printed_text(client, user, report):
    client.force_login(user)
    page = client.get(reverse("reports:report_print", args=[report.pk])).content.decode()
    return re.sub(r"\s+", " ", html.unescape(strip_tags(page)).replace("\xa0", " "))


def start(cast, commune, official):
    report_request = make_request(cast)
    ReportRequest.objects.filter(pk=report_request.pk).update(recipients=RECIPIENTS)
    report_request.refresh_from_db()
    return workflow.start(report_request, commune, official)


def found(commune, numbers, teams):
    for number in numbers:
        decision = Decision.objects.create(
            commune=commune, number=number, signed_on=FOUNDED, issuer=commune.committee_name
        )
        decision.teams.set(teams)


def test_a_wards_report_names_the_ward_its_to_dan_pho_and_one_bullet_of_decisions(client, cast):
    ward = cast.commune_y
    Village.objects.filter(commune=ward).update(kind=Village.Kind.TO_DAN_PHO)
    ward_team = Team.objects.create(commune=ward, level=Team.Level.COMMUNE, name="Tổ CNSCĐ phường")
    found(ward, ["597/QĐ-UBND"], [ward_team])
    found(ward, ["598/QĐ-UBND"], [cast.team_y])
    report = start(cast, ward, cast.official_y)

    assert report.recipients.splitlines() == [
        "Sở Khoa học và Công nghệ thành phố (b/c)",
        "Lãnh đạo UBND phường",
        "Các tổ dân phố, Tổ CNSCĐ",
        "Lưu: VT, VHXH",
    ]
    text = printed_text(client, cast.official_y, report)
    assert "- Các tổ dân phố, Tổ CNSCĐ;" in text
    assert "- Lãnh đạo UBND phường;" in text
    assert "- Số lượng tổ dân phố trên địa bàn: 1 tổ dân phố" in text
    assert "(trong đó 1 Tổ cấp phường)" in text
    assert (
        "- Quyết định thành lập Tổ Công nghệ số cộng đồng: "
        "Quyết định số 597/QĐ-UBND ngày 05/9/2025 của UBND phường Trần Hưng Đạo; "
        "Quyết định số 598/QĐ-UBND ngày 05/9/2025 của UBND phường Trần Hưng Đạo."
    ) in text
    assert text.count("Quyết định thành lập") == 1
    assert not re.search(r"\bthôn\b", text, re.IGNORECASE)
    assert "UBND xã" not in text and "Tổ cấp xã" not in text
    assert "CNS cộng đồng" not in text


def test_a_communes_report_keeps_xa_and_thon(client, cast):
    commune = cast.commune_x
    commune_team = Team.objects.create(commune=commune, level=Team.Level.COMMUNE, name="Tổ CNSCĐ xã")
    found(commune, ["240/QĐ-UBND", "241/QĐ-UBND"], [commune_team, cast.team_x])
    report = start(cast, commune, cast.official_x)

    text = printed_text(client, cast.official_x, report)
    assert "- Lãnh đạo UBND xã;" in text
    assert "- Các thôn, Tổ CNSCĐ;" in text
    assert "- Số lượng thôn trên địa bàn: 1 thôn" in text
    assert "(trong đó 1 Tổ cấp xã)" in text
    assert (
        "- Quyết định thành lập Tổ Công nghệ số cộng đồng: "
        "Quyết định số 240/QĐ-UBND ngày 05/9/2025 của UBND xã Hà Tây; "
        "Quyết định số 241/QĐ-UBND ngày 05/9/2025 của UBND xã Hà Tây."
    ) in text
    assert text.count("Quyết định thành lập") == 1
    assert "phường" not in text.lower() and "tổ dân phố" not in text.lower()


def test_without_a_decision_the_bullet_says_so_once(client, cast):
    text = printed_text(client, cast.official_x, start(cast, cast.commune_x, cast.official_x))
    assert "- Quyết định thành lập Tổ Công nghệ số cộng đồng: chưa cập nhật." in text


def test_named_villages_and_the_departments_other_lines_are_kept_as_written(cast):
    report_request = make_request(cast)
    ReportRequest.objects.filter(pk=report_request.pk).update(
        recipients="Lãnh đạo UBND xã Hà Tây\nCác thôn Đông, Tây (phối hợp)\nCác thôn, tổ dân phố\nLưu: VT"
    )
    report_request.refresh_from_db()
    ward = workflow.start(report_request, cast.commune_y, cast.official_y)
    assert ward.recipients.splitlines() == [
        "Lãnh đạo UBND xã Hà Tây",
        "Các thôn Đông, Tây (phối hợp)",
        "Các tổ dân phố",
        "Lưu: VT",
    ]
    commune = workflow.start(report_request, cast.commune_x, cast.official_x)
    assert commune.recipients.splitlines()[2] == "Các thôn, tổ dân phố"


def test_a_ward_without_villages_yet_counts_to_dan_pho(cast):
    assert not Village.objects.filter(commune=cast.commune_z).exists()
    assert figures.general(cast.commune_z, datetime.date(2026, 1, 15))["village_word"] == "tổ dân phố"
    assert figures.general(cast.commune_z, datetime.date(2026, 1, 15))["kind_word"] == "phường"


def test_a_version_frozen_before_the_units_word_still_says_xa():
    data = {"villages": 2, "village_word": "thôn", "teams": 3, "commune_teams": 1, "members": 9, "decisions": []}
    assert "Tổ cấp xã" in render_to_string("reports/block_general.html", {"data": data})
