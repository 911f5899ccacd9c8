from tests.permission_matrix import Row, expect

ROWS = [
    Row(
        "teams:commune_detail",
        args=lambda c: [c.commune_x.pk],
        expect=expect(200, staff_q=404, official_y=404, lead_x=404),
    ),
    Row(
        "teams:team_detail",
        args=lambda c: [c.team_x.pk],
        expect=expect(200, staff_q=404, official_y=404),
    ),
]
