from io import StringIO

from django.core.management import call_command

from reports.models import Report, ReportRequest
from teams.models import Village


def test_the_demo_has_the_letter_4675_with_ha_tays_report_sent_and_tran_hung_daos_in_draft(db):
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # twice: nothing is duplicated
    report_request = ReportRequest.objects.get(letter_number="4675/SKHCN-CNTT")
    assert report_request.communes.count() == report_request.province.communes.open_on().count()
    assert [s["title"] for s in report_request.outline][0] == "Báo cáo tình hình chung"
    ha_tay = Report.objects.get(request=report_request, commune__name="Xã Hà Tây")
    assert ha_tay.status == Report.Status.SUBMITTED and not ha_tay.is_late
    assert (ha_tay.signer_authority, ha_tay.signer_title, ha_tay.signer_name) == (
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Quang Ngọc",
    )
    general = ha_tay.versions.get().content["sections"][0]["data"]
    assert general["villages"] == Village.objects.filter(commune=ha_tay.commune).count()
    assert "Hướng dẫn người dân cài đặt" in ha_tay.prose["s2"]["html"]
    tran_hung_dao = Report.objects.get(request=report_request, commune__name="Phường Trần Hưng Đạo")
    assert tran_hung_dao.status == Report.Status.DRAFT


def test_the_demo_summary_of_4675_adds_up_thuong_hongs_accepted_report_and_lists_the_others(client, db):
    from django.urls import reverse

    from reports import summary
    from teams.models import Team

    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    report_request = ReportRequest.objects.get(letter_number="4675/SKHCN-CNTT")
    thuong_hong = Report.objects.get(request=report_request, commune__name="Xã Thượng Hồng")
    assert thuong_hong.status == Report.Status.ACCEPTED and not thuong_hong.is_late
    assert report_request.province_summary.signer_name == "Nguyễn Văn Sở"
    figures = summary.summary_figures(report_request)
    assert figures["accepted"] == 1
    assert figures["totals"]["villages"] == Village.objects.filter(commune=thuong_hong.commune).count() == 4
    assert figures["totals"]["teams"] == Team.objects.filter(commune=thuong_hong.commune).count()
    rows = {row["name"]: row for row in figures["rows"]}
    assert rows["Xã Hà Tây"]["status"] == "Đã gửi" and not rows["Xã Hà Tây"]["accepted"]
    assert client.login(username="so.haiphong", password="CongNgheSo@2026")
    page = client.get(reverse("reports:summary_detail", args=[report_request.pk])).content.decode()
    assert "Xã Thượng Hồng" in page and "Đề nghị UBND thành phố bố trí kinh phí" in page
