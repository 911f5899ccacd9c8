from tests.permission_matrix import Row, expect
from tests.reports.factories import outline_data, report_x, version_x

# Readers of commune X's report: the administrator, province P's staff and X's official.
READ = expect(200, staff_q=404, official_y=404, lead_x=404)
# Commune-only writes on X's report: P's staff may read it but not write (403).
COMMUNE_WRITE = expect(302, staff_p=403, staff_q=404, official_y=404, lead_x=404)
# Department-only steps on X's report: X's official may read it but not review it (403).
PROVINCE_STEP = expect(302, official_x=403, staff_q=404, official_y=404, lead_x=404)


def report_args(cast):
    return [report_x(cast).pk]


def version_args(cast):
    return [version_x(cast).pk]


def request_args(cast):
    return [report_x(cast).request_id]


def request_data(cast):
    return {
        "letter_number": "12/SKHCN-CNTT",
        "letter_date": "2026-03-01",
        "issuer": "Sở Khoa học và Công nghệ",
        "subject": "báo cáo quý I năm 2026",
        "period_start": "2026-01-01",
        "period_end": "2026-03-31",
        "deadline_0": "2026-04-05",
        "deadline_1": "17:00",
        "communes": [cast.commune_x.pk],
        "outline_name": "status_report",
        "report_subject": "Tình hình hoạt động Tổ công nghệ số cộng đồng",
        "recipients": "Lưu: VT",
    }


def edit_data(cast):
    report = report_x(cast)
    return {
        "revision": report.revision,
        "place": "Hà Tây",
        "subject": report.subject,
        "signer_authority": "KT. CHỦ TỊCH",
        "signer_title": "PHÓ CHỦ TỊCH",
        "signer_name": "Nguyễn Quang Ngọc",
        "prose_s2": "Mô hình hay.",
    }


ROWS = [
    Row("reports:request_list", expect=expect(200)),
    Row("reports:request_create", expect=expect(200, official_x=403, official_y=403, lead_x=403)),
    Row(
        "reports:request_create",
        method="post",
        data=request_data,
        # staff_q's form offers only Q's communes, so X is refused (200, the form again);
        # the administrator first chooses a province (200).
        expect=expect(302, admin=200, staff_q=200, official_x=403, official_y=403, lead_x=403),
    ),
    Row("reports:request_detail", args=request_args, expect=expect(200, staff_q=404, lead_x=404)),
    Row(
        "reports:request_outline",
        args=request_args,
        expect=expect(200, staff_q=404, official_x=403, official_y=403, lead_x=404),
    ),
    Row(
        "reports:request_outline",
        args=request_args,
        method="post",
        data=lambda c: outline_data(report_x(c).request.outline),
        expect=expect(302, staff_q=404, official_x=403, official_y=403, lead_x=404),
    ),
    Row(
        "reports:report_start",
        args=request_args,
        method="post",
        # The administrator has no commune of their own to report for.
        expect=expect(302, admin=404, staff_p=403, staff_q=404, lead_x=404),
    ),
    Row("reports:report_start", args=request_args, expect=expect(405, anonymous=302)),
    Row(
        "reports:report_accept_many",
        args=request_args,
        method="post",
        expect=expect(302, staff_q=404, official_x=403, official_y=403, lead_x=404),
    ),
    Row("reports:report_accept_many", args=request_args, expect=expect(405, anonymous=302)),
    Row("reports:report_detail", args=report_args, expect=READ),
    Row("reports:report_print", args=report_args, expect=READ),
    Row("reports:report_pdf", args=report_args, expect=READ),
    Row("reports:version_print", args=version_args, expect=READ),
    Row("reports:version_pdf", args=version_args, expect=READ),
    Row(
        "reports:report_edit",
        args=report_args,
        expect=expect(200, staff_p=403, staff_q=404, official_y=404, lead_x=404),
    ),
    Row("reports:report_edit", args=report_args, method="post", data=edit_data, expect=COMMUNE_WRITE),
    Row("reports:report_submit", args=report_args, method="post", expect=COMMUNE_WRITE),
    Row("reports:report_submit", args=report_args, expect=expect(405, anonymous=302)),
    Row(
        "reports:report_return",
        args=report_args,
        method="post",
        data=lambda c: {"reason": "Thiếu số liệu"},
        expect=PROVINCE_STEP,
    ),
    Row("reports:report_return", args=report_args, expect=expect(405, anonymous=302)),
    Row("reports:report_accept", args=report_args, method="post", expect=PROVINCE_STEP),
    Row("reports:report_accept", args=report_args, expect=expect(405, anonymous=302)),
    Row(
        "reports:report_reopen",
        args=report_args,
        method="post",
        data=lambda c: {"reason": "Sai số liệu"},
        expect=PROVINCE_STEP,
    ),
    Row("reports:report_reopen", args=report_args, expect=expect(405, anonymous=302)),
]
