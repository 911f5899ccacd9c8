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

# Onboarding from Excel: department staff of the province (and administrators); a commune
# official sees the province but may not onboard (403); a team lead does not see it (404).
ONBOARDING = expect(200, staff_q=404, official_x=403, official_y=403, lead_x=404)
ROWS += [
    Row("accounts:onboarding", args=lambda cast: [cast.province_p.pk], expect=ONBOARDING),
    Row("accounts:onboarding_template", args=lambda cast: [cast.province_p.pk], expect=ONBOARDING),
    Row("accounts:onboarding_done", args=lambda cast: [cast.province_p.pk], expect=ONBOARDING),
    # Without a previewed file in the session, confirm sends back to the upload page.
    Row(
        "accounts:onboarding_confirm",
        method="post",
        args=lambda cast: [cast.province_p.pk],
        expect={**ONBOARDING, "admin": 302, "staff_p": 302},
    ),
    # The handover sheet of commune X: its managers (officials of X for their team leads).
    Row(
        "accounts:handover_sheet",
        method="post",
        args=lambda cast: [cast.commune_x.pk],
        expect=expect(200, staff_q=404, official_y=404, lead_x=404),
    ),
]
ROWS += [
    # Administrators and department staff (their province's users); communes and leads may not.
    Row("accounts:login_audit", expect=expect(200, official_x=403, official_y=403, lead_x=403)),
]
# Password reset by e-mail (Django's views, at the root): open to everyone; an unknown link
# says it no longer works.
ROWS += [
    Row("password_reset", expect=expect(200, anonymous=200)),
    Row("password_reset_done", expect=expect(200, anonymous=200)),
    Row("password_reset_confirm", args=lambda cast: ["MQ", "sai-ma"], expect=expect(200, anonymous=200)),
    Row("password_reset_complete", expect=expect(200, anonymous=200)),
]
# Two-factor sign-in (REQUIRE_2FA_ROLES is off for the matrix): anyone logged in may enrol or
# verify (a form either way). Only administrators reset a user's second factor.
ROWS += [
    Row("accounts:otp_enrol", expect=expect(200)),
    Row("accounts:otp_verify", expect=expect(200)),
    Row(
        "accounts:otp_reset",
        method="post",
        args=lambda cast: [cast.staff_p.pk],
        expect=expect(403, admin=302),
    ),
]
