from tests.dashboards.helpers import make_request
from tests.permission_matrix import Row, expect

ROWS = [
    # Each role is sent on to its own unit's page, or shown the start page.
    Row("dashboards:home", expect=expect(200, official_x=302, official_y=302, lead_x=302)),
    Row("login", expect=expect(302, anonymous=200)),
    Row("logout", method="post", expect=expect(302)),
    Row("password_change", expect=expect(200)),
    Row("password_change_done", expect=expect(200)),
    # Dashboards: department staff of the province and administrators; communes see no province (404).
    Row(
        "dashboards:province_dashboard",
        args=lambda cast: [cast.province_p.pk],
        expect=expect(200, staff_q=404, official_x=403, official_y=403, lead_x=404),
    ),
    Row("dashboards:national_dashboard", expect=expect(403, admin=200)),
    Row(
        "dashboards:completeness",
        args=lambda cast: [make_request(cast).pk],
        expect=expect(200, staff_q=404, official_x=403, official_y=403, lead_x=404),
    ),
    Row(
        "dashboards:send_reminder",
        args=lambda cast: [make_request(cast).pk],
        method="post",
        expect=expect(302, staff_q=404, official_x=403, official_y=403, lead_x=404),
    ),
]
