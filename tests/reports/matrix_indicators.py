"""The indicator catalogue and trends: department staff and administrators only. Administrators keep
the national catalogue, a department its province's own indicators (portal.permissions
"indicator.manage"); communes and team leads see the catalogue's indicators in their reports, not
these pages (403)."""

from reports.models import Indicator
from tests.permission_matrix import Row, expect
from tests.reports.factories import report_x

STAFF_ONLY = expect(200, official_x=403, official_y=403, lead_x=403)


def province_indicator(cast):
    """An indicator of province P (Hải Phòng): Q's staff do not see it (404)."""
    indicator, _ = Indicator.objects.get_or_create(
        code="ho_kinh_doanh_tmdt",
        defaults={
            "name": "Tỷ lệ hộ kinh doanh bán hàng trên sàn thương mại điện tử",
            "unit": "businesses",
            "numerator_label": "Số hộ kinh doanh bán hàng trên sàn thương mại điện tử",
            "denominator_label": "Tổng số hộ kinh doanh",
            "province": cast.province_p,
        },
    )
    return [indicator.pk]


def national_indicator(cast):
    Indicator.objects.ensure_seed()
    return [Indicator.objects.get(code="households_digital_skills").pk]


def indicator_data(cast):
    return {
        "code": "thanh_toan_qr",
        "name": "Tỷ lệ hộ kinh doanh nhận thanh toán bằng mã QR",
        "unit": "businesses",
        "numerator_label": "Số hộ kinh doanh nhận thanh toán bằng mã QR",
        "numerator_source": "typed",
        "denominator_label": "Tổng số hộ kinh doanh",
        "denominator_source": "typed",
        "position": "100",
        "active": "on",
    }


def edit_data(cast):
    return {**indicator_data(cast), "code": "ho_kinh_doanh_tmdt"}


def request_args(cast):
    return [report_x(cast).request_id]


# A request's targets are the department's: X's and Y's officials see the request (403), the team lead not (404).
TARGETS = expect(200, staff_q=404, official_x=403, official_y=403, lead_x=404)
TARGETS_POST = expect(302, staff_q=404, official_x=403, official_y=403, lead_x=404)

ROWS = [
    Row("reports:request_targets", args=request_args, expect=TARGETS),
    Row(
        "reports:request_targets",
        args=request_args,
        method="post",
        data=lambda c: {f"comparison_{code}": "gte" for code in report_x(c).request.indicator_codes()},
        expect=TARGETS_POST,
    ),
    Row("reports:request_commune_target", args=request_args, method="post", expect=TARGETS_POST),
    Row("reports:request_commune_target", args=request_args, expect=expect(405, anonymous=302)),
    Row("reports:indicator_list", expect=STAFF_ONLY),
    Row("reports:indicator_create", expect=STAFF_ONLY),
    Row(
        "reports:indicator_create",
        method="post",
        data=indicator_data,
        expect=expect(302, official_x=403, official_y=403, lead_x=403),
    ),
    Row(
        "reports:indicator_edit",
        args=province_indicator,
        expect=expect(200, staff_q=404, official_x=403, official_y=403, lead_x=403),
    ),
    Row(
        "reports:indicator_edit",
        args=province_indicator,
        method="post",
        data=edit_data,
        expect=expect(302, staff_q=404, official_x=403, official_y=403, lead_x=403),
    ),
    # The national catalogue is the administrators' to change: a department may only read it.
    Row("reports:indicator_edit", args=national_indicator, expect=expect(403, admin=200)),
    Row("dashboards:indicator_trend", args=national_indicator, expect=STAFF_ONLY),
    Row(
        "dashboards:indicator_trend",
        args=province_indicator,
        expect=expect(200, staff_q=404, official_x=403, official_y=403, lead_x=403),
    ),
]
