"""Demo report requests and reports: the letter that seeds 000 and 002 answer, Hà Tây's report
sent (its prose close to seed 000), Thượng Hồng's sent and accepted by the department, Trần Hưng
Đạo's in draft, and the department's summary of what it has accepted so far.

Idempotent: the request is looked up by its letter number, each report by its commune. The figures
come from the registry as the demo of teams/demo.py left it, never from constants here.
"""

import datetime

from django.utils import timezone

from demo import registry as teams_demo
from portal.models import Role, User
from reports import prose, summary, workflow
from reports.models import ProvinceSummary, Report, ReportEvent, ReportRequest, ReportVersion
from reports.outlines import STATUS_REPORT
from teams.models import Commune, Province

LETTER_NUMBER = "4675/SKHCN-CNTT"

HA_TAY_PROSE = {
    "s1": "",
    "s2": (
        "Trong thời gian qua, các Tổ Công nghệ số cộng đồng trên địa bàn đã tích cực triển khai nhiều mô hình, "
        "cách làm hiệu quả nhằm hỗ trợ người dân tiếp cận, sử dụng các nền tảng số, dịch vụ số. "
        "Một số mô hình tiêu biểu như:\n"
        "- Hướng dẫn người dân cài đặt, sử dụng các ứng dụng số thiết yếu (VNeID, dịch vụ công trực tuyến, "
        "thanh toán không dùng tiền mặt).\n"
        "- Tổ chức tuyên truyền, hỗ trợ trực tiếp tại hộ gia đình, các điểm sinh hoạt cộng đồng.\n"
        "- Phối hợp với các đoàn thể chính trị - xã hội trong việc phổ cập kỹ năng số cơ bản cho người dân. "
        "Qua đó, từng bước nâng cao nhận thức, kỹ năng số của người dân, góp phần thúc đẩy chuyển đổi số tại cơ sở."
    ),
    "s3": (
        "Để tiếp tục nâng cao hiệu quả hoạt động của các Tổ Công nghệ số cộng đồng trong thời gian tới, "
        "địa phương đề xuất một số giải pháp, kiến nghị như sau:\n"
        "- Tiếp tục tổ chức các lớp tập huấn, bồi dưỡng kỹ năng số cho thành viên Tổ công nghệ số cộng đồng.\n"
        "- Có cơ chế hỗ trợ kinh phí, trang thiết bị phục vụ hoạt động của Tổ Công nghệ số cộng đồng.\n"
        "- Tăng cường công tác tuyên truyền, nhân rộng các mô hình, cách làm hay."
    ),
}


def ensure_request(letter_number, outline, **fields):
    """The Hải Phòng department's request ``letter_number``, created once from a built-in ``outline``
    and asked of every open commune of the city."""
    hai_phong = Province.objects.get(code=teams_demo.HAI_PHONG)
    report_request, created = ReportRequest.objects.get_or_create(
        province=hai_phong,
        letter_number=letter_number,
        defaults={
            "issuer": "Sở Khoa học và Công nghệ",
            "report_subject": outline["subject"],
            "document_type": outline["document_type"],
            "numbering": outline["numbering"],
            "created_by": User.objects.filter(role=Role.PROVINCE, province=hai_phong).first(),
            **fields,
        },
    )
    if created:
        report_request.communes.set(Commune.objects.filter(province=hai_phong).open_on())
        report_request.set_outline(outline["sections"])
    return report_request


def demo_request():
    return ensure_request(
        LETTER_NUMBER,
        STATUS_REPORT,
        letter_date=datetime.date(2025, 12, 19),
        subject="thúc đẩy, phát huy hiệu quả của các Tổ công nghệ số cộng đồng trong hỗ trợ người dân",
        period_start=datetime.date(2025, 7, 1),
        period_end=datetime.date(2025, 12, 31),
        deadline=at(2026, 1, 10, 17, 0),
        recipients="Sở Khoa học và Công nghệ thành phố (b/c)\nLãnh đạo UBND xã\nCác thôn, Tổ CNSCĐ\nLưu: VT, VHXH",
    )


def at(*parts):
    """An aware datetime in the portal's time zone: at(2026, 1, 5, 9, 30)."""
    return timezone.make_aware(datetime.datetime(*parts))


def backdate(report, sent, accepted=None):
    """Move the report's sending (and acceptance) to the day the demo's story says it happened.

    The workflow stamps steps with the time seed_demo runs; the demo is dated like its letters.
    """
    Report.objects.filter(pk=report.pk).update(first_submitted_at=sent, submitted_at=sent)
    ReportVersion.objects.filter(report=report).update(submitted_at=sent)
    ReportEvent.objects.filter(report=report, kind=ReportEvent.Kind.SUBMITTED).update(at=sent)
    # Writing began before sending: "Bắt đầu soạn" comes first in the report's history.
    started = sent - datetime.timedelta(days=3)
    ReportEvent.objects.filter(report=report, kind=ReportEvent.Kind.CREATED, at__gt=started).update(at=started)
    if accepted:
        Report.objects.filter(pk=report.pk).update(accepted_at=accepted)
        ReportEvent.objects.filter(report=report, kind=ReportEvent.Kind.ACCEPTED).update(at=accepted)


def seed_reports():
    report_request = demo_request()
    ha_tay = Commune.objects.get(code=teams_demo.HA_TAY)
    official = User.objects.filter(role=Role.COMMUNE, commune=ha_tay).first()
    if not Report.objects.filter(request=report_request, commune=ha_tay).exists():
        report = workflow.start(report_request, ha_tay, official)
        report.signer_name = "Nguyễn Quang Ngọc"
        report.signer_authority, report.signer_title = "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"
        report.issued_on = datetime.date(2026, 1, 5)
        report.prose = {key: prose.stored(text) for key, text in HA_TAY_PROSE.items()}
        workflow.save_draft(report, report.revision)
        workflow.submit(report, official)
        # The demo tells the story of January 2026: Hà Tây sent its report on time.
        backdate(report, at(2026, 1, 5, 9, 30))
    seed_thuong_hong(report_request)
    seed_summary(report_request)
    tran_hung_dao = Commune.objects.get(code=teams_demo.TRAN_HUNG_DAO)
    drafter = User.objects.filter(role=Role.COMMUNE, commune=tran_hung_dao).first()
    draft = workflow.start(report_request, tran_hung_dao, drafter)
    if not draft.signer_name:
        draft.signer_name = "Phạm Thị Ly"
        workflow.save_draft(draft, draft.revision)
    return report_request


THUONG_HONG_PROSE = {
    "s2": "- Tổ trực tại nhà văn hóa các thôn vào tối thứ Bảy, hướng dẫn người dân kích hoạt VNeID mức độ 2.\n"
    "- Phối hợp với Đoàn thanh niên mở lớp hướng dẫn thanh toán không dùng tiền mặt cho người cao tuổi.",
    "s3": "- Đề nghị hỗ trợ thiết bị (máy tính bảng, bộ phát wifi) cho các Tổ cấp thôn.",
}


def seed_thuong_hong(report_request):
    """Thượng Hồng sent its report on 08/01/2026 (it has no demo login) and the department accepted it."""
    commune = Commune.objects.get(code=teams_demo.THUONG_HONG)
    if Report.objects.filter(request=report_request, commune=commune).exists():
        return
    staff = User.objects.filter(role=Role.PROVINCE, province=report_request.province).first()
    report = workflow.start(report_request, commune, None)
    report.signer_name = "Vũ Văn Thành"
    report.number, report.issued_on = "03", datetime.date(2026, 1, 8)
    report.prose = {key: prose.stored(text) for key, text in THUONG_HONG_PROSE.items()}
    workflow.save_draft(report, report.revision)
    workflow.submit(report, None)
    workflow.accept(report, staff)
    backdate(report, at(2026, 1, 8, 14, 0), accepted=at(2026, 1, 12, 8, 30))


SUMMARY_PROSE = {
    "assessment": "Các xã, phường đã cơ bản kiện toàn Tổ công nghệ số cộng đồng tại tất cả các thôn, tổ dân phố; "
    "các Tổ tích cực hướng dẫn người dân sử dụng VNeID, dịch vụ công trực tuyến và thanh toán không dùng tiền mặt.\n"
    "- Hạn chế: một số xã, phường chưa gửi báo cáo đúng hạn; thiết bị phục vụ hoạt động của các Tổ còn thiếu.",
    "proposals": "- Đề nghị UBND thành phố bố trí kinh phí tập huấn kỹ năng số cho thành viên các Tổ.\n"
    "- Chỉ đạo UBND các xã, phường hoàn thành báo cáo theo Công văn số 4675/SKHCN-CNTT.",
}


def seed_summary(report_request):
    """The department's summary, started with the usual wording, a signer and its two sections."""
    if ProvinceSummary.objects.filter(request=report_request).exists():
        return
    draft = summary.new_summary(report_request)
    draft.signer_name = "Nguyễn Văn Sở"
    draft.prose = {key: prose.stored(text) for key, text in SUMMARY_PROSE.items()}
    draft.save()
