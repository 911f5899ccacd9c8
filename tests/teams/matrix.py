from tests.permission_matrix import Row, expect

# Who may write: commune officials (and administrators) on their commune's registry; team
# leads on their own team's members and activities. Department staff read only (403 on writes).
COMMUNE_READ = expect(200, staff_q=404, official_y=404, lead_x=404)
COMMUNE_WRITE = expect(200, staff_p=403, staff_q=404, official_y=404, lead_x=404)
TEAM_READ = expect(200, staff_q=404, official_y=404)
TEAM_WRITE = expect(200, staff_p=403, staff_q=404, official_y=404)
# A village of the lead's own team: visible to the lead, but only officials change villages.
VILLAGE_WRITE = expect(200, staff_p=403, staff_q=404, official_y=404, lead_x=403)

ROWS = [
    Row("teams:commune_detail", args=lambda c: [c.commune_x.pk], expect=COMMUNE_READ),
    Row("teams:village_list", args=lambda c: [c.commune_x.pk], expect=COMMUNE_READ),
    Row("teams:village_add", args=lambda c: [c.commune_x.pk], expect=COMMUNE_WRITE),
    Row("teams:village_edit", args=lambda c: [c.village_x.pk], expect=VILLAGE_WRITE),
    Row(
        "teams:village_close",
        args=lambda c: [c.village_x.pk],
        method="post",
        data=lambda c: {"closed_on": "2026-07-01"},
        expect=expect(302, staff_p=403, staff_q=404, official_y=404, lead_x=403),
    ),
    Row("teams:team_list", args=lambda c: [c.commune_x.pk], expect=COMMUNE_READ),
    Row("teams:team_add", args=lambda c: [c.commune_x.pk], expect=COMMUNE_WRITE),
    Row("teams:decision_add", args=lambda c: [c.commune_x.pk], expect=COMMUNE_WRITE),
    Row("teams:team_edit", args=lambda c: [c.team_x.pk], expect=VILLAGE_WRITE),
    Row("teams:team_detail", args=lambda c: [c.team_x.pk], expect=TEAM_READ),
    Row("teams:member_add", args=lambda c: [c.team_x.pk], expect=TEAM_WRITE),
    Row("teams:activity_add", args=lambda c: [c.team_x.pk], expect=TEAM_WRITE),
    Row("teams:member_detail", args=lambda c: [c.member_x.pk], expect=TEAM_READ),
    Row("teams:member_edit", args=lambda c: [c.member_x.pk], expect=TEAM_WRITE),
    Row("teams:member_list", args=lambda c: [c.commune_x.pk], expect=COMMUNE_READ),
    Row("teams:member_export", args=lambda c: [c.commune_x.pk], expect=COMMUNE_READ),
    Row("teams:member_template", args=lambda c: [c.commune_x.pk], expect=COMMUNE_READ),
    Row("teams:member_import", args=lambda c: [c.commune_x.pk], expect=COMMUNE_WRITE),
    # Nothing was uploaded first, so an allowed user is sent back to the upload page.
    Row(
        "teams:member_import_confirm",
        args=lambda c: [c.commune_x.pk],
        method="post",
        expect=expect(302, staff_p=403, staff_q=404, official_y=404, lead_x=404),
    ),
]
