from tests.permission_matrix import Row, expect

# Administrators manage everyone; department staff the officials and team leads of their
# province; officials the team leads of their commune; team leads nobody (403). An account
# outside the manager's reach is a 404.
ROWS = [
    Row("accounts:user_list", expect=expect(200, lead_x=403)),
    Row("accounts:user_add", expect=expect(200, lead_x=403)),
    Row(
        "accounts:user_edit",
        args=lambda cast: [cast.official_x.pk],
        expect=expect(200, staff_q=404, official_x=404, official_y=404, lead_x=403),
    ),
    Row(
        "accounts:user_edit",
        args=lambda cast: [cast.lead_x.pk],
        expect=expect(200, staff_q=404, official_y=404, lead_x=403),
    ),
    Row(
        "accounts:user_deactivate",
        method="post",
        args=lambda cast: [cast.official_x.pk],
        expect=expect(302, staff_q=404, official_x=404, official_y=404, lead_x=403),
    ),
    Row(
        "accounts:user_reactivate",
        method="post",
        args=lambda cast: [cast.lead_x.pk],
        expect=expect(302, staff_q=404, official_y=404, lead_x=403),
    ),
    Row(
        "accounts:user_reset_password",
        method="post",
        args=lambda cast: [cast.lead_x.pk],
        expect=expect(302, staff_q=404, official_y=404, lead_x=403),
    ),
    # A link that is unknown, used or expired says so to everyone.
    Row("accounts:set_password", args=lambda cast: ["khong-hop-le"], expect=expect(410, anonymous=410)),
]
