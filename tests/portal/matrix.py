from tests.permission_matrix import Row, expect

ROWS = [
    # Each role is sent on to its own unit's page, or shown the start page.
    Row("portal:home", expect=expect(200, official_x=302, official_y=302, lead_x=302)),
    Row("login", expect=expect(302, anonymous=200)),
    Row("logout", method="post", expect=expect(302)),
    Row("password_change", expect=expect(200)),
    Row("password_change_done", expect=expect(200)),
]
