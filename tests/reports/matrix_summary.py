from tests.permission_matrix import Row, expect
from tests.reports.factories import report_x


def request_args(cast):
    return [report_x(cast).request_id]


# The department's own document: its province's staff and administrators; X's and Y's officials
# see the request but may not open the department's summary (403); the team lead sees no request (404).
DEPARTMENT = expect(200, staff_q=404, official_x=403, official_y=403, lead_x=404)
MADE = expect(302, staff_q=404, official_x=403, official_y=403, lead_x=404)

ROWS = [
    Row("reports:summary_detail", args=request_args, expect=DEPARTMENT),
    Row("reports:summary_edit", args=request_args, expect=DEPARTMENT),
    Row(
        "reports:summary_edit",
        args=request_args,
        method="post",
        data=lambda cast: {
            "parent_body": "UBND THÀNH PHỐ HẢI PHÒNG",
            "issuing_body": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
            "symbol": "BC-SKHCN",
            "place": "Hải Phòng",
            "subject": "Kết quả tổng hợp",
            "signer_authority": "KT. GIÁM ĐỐC",
            "signer_title": "PHÓ GIÁM ĐỐC",
        },
        expect=expect(302, staff_q=404, official_x=403, official_y=403, lead_x=404),
    ),
    # The PDF and the appendix are made in the background: the button posts and the answer leads
    # to the file's page (tests/exports/matrix.py); a GET is refused.
    Row("reports:summary_pdf", args=request_args, method="post", expect=MADE),
    Row("reports:summary_pdf", args=request_args, expect=expect(405, anonymous=302)),
    Row("reports:summary_xlsx", args=request_args, method="post", expect=MADE),
    Row("reports:summary_xlsx", args=request_args, expect=expect(405, anonymous=302)),
]
