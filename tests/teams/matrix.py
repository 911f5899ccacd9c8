import datetime
import io

from django.core.files.base import ContentFile
from PIL import Image

from teams.models import ActivityPhoto, Decision
from tests.permission_matrix import Row, expect

# Who may write: commune officials (and administrators) on their commune's registry; team
# leads on their own team's members and activities. Department staff read only (403 on writes).
COMMUNE_READ = expect(200, staff_q=404, official_y=404, lead_x=404)
COMMUNE_WRITE = expect(200, staff_p=403, staff_q=404, official_y=404, lead_x=404)
TEAM_READ = expect(200, staff_q=404, official_y=404)
TEAM_WRITE = expect(200, staff_p=403, staff_q=404, official_y=404)
TEAM_DELETE = expect(302, staff_p=403, staff_q=404, official_y=404)
# A village of the lead's own team: visible to the lead, but only officials change villages.
VILLAGE_WRITE = expect(200, staff_p=403, staff_q=404, official_y=404, lead_x=403)
# A whole province's lists: its department (and administrators) only; a commune's people see
# the province (403), another province's department does not (404). The button posts: the file
# is made in the background and the answer leads to its page (tests/exports/matrix.py).
PROVINCE_EXPORT = expect(302, staff_q=404, official_x=403, official_y=403, lead_x=404)
POST_ONLY = expect(405, anonymous=302)
# Nothing was uploaded first, so an allowed user is sent back to the upload page.
IMPORT_CONFIRM = expect(302, staff_p=403, staff_q=404, official_y=404, lead_x=404)


def decision_x(cast):
    """A founding decision of team_x with its signed PDF (the cast has no decision)."""
    decision = Decision.objects.filter(commune=cast.commune_x).first()
    if decision is None:
        decision = Decision.objects.create(
            commune=cast.commune_x,
            number="241/QĐ-UBND",
            signed_on=datetime.date(2025, 9, 26),
            issuer="UBND xã Hà Tây",
            file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="qd.pdf"),
        )
        decision.teams.add(cast.team_x)
    return decision


def photo_x(cast):
    """A photo of activity_x (the cast has none)."""
    photo = ActivityPhoto.objects.filter(activity=cast.activity_x).first()
    if photo is None:
        out = io.BytesIO()
        Image.new("RGB", (4, 4), "red").save(out, "JPEG")
        photo = ActivityPhoto.objects.create(activity=cast.activity_x, image=ContentFile(out.getvalue(), name="a.jpg"))
    return photo


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
    Row("teams:village_export", args=lambda c: [c.commune_x.pk], expect=COMMUNE_READ),
    Row("teams:province_village_export", args=lambda c: [c.province_p.pk], method="post", expect=PROVINCE_EXPORT),
    Row("teams:province_village_export", args=lambda c: [c.province_p.pk], expect=POST_ONLY),
    Row("teams:province_team_export", args=lambda c: [c.province_p.pk], method="post", expect=PROVINCE_EXPORT),
    Row("teams:province_team_export", args=lambda c: [c.province_p.pk], expect=POST_ONLY),
    Row("teams:province_member_export", args=lambda c: [c.province_p.pk], method="post", expect=PROVINCE_EXPORT),
    Row("teams:province_member_export", args=lambda c: [c.province_p.pk], expect=POST_ONLY),
    Row("teams:province_activity_export", args=lambda c: [c.province_p.pk], method="post", expect=PROVINCE_EXPORT),
    Row("teams:province_activity_export", args=lambda c: [c.province_p.pk], expect=POST_ONLY),
    Row("teams:village_template", args=lambda c: [c.commune_x.pk], expect=COMMUNE_READ),
    Row("teams:village_import", args=lambda c: [c.commune_x.pk], expect=COMMUNE_WRITE),
    Row("teams:village_import_confirm", args=lambda c: [c.commune_x.pk], method="post", expect=IMPORT_CONFIRM),
    Row("teams:team_list", args=lambda c: [c.commune_x.pk], expect=COMMUNE_READ),
    Row("teams:team_export", args=lambda c: [c.commune_x.pk], expect=COMMUNE_READ),
    Row("teams:decision_edit", args=lambda c: [decision_x(c).pk], expect=VILLAGE_WRITE),
    Row("teams:decision_file", args=lambda c: [decision_x(c).pk], expect=TEAM_READ),
    Row("teams:activity_list", args=lambda c: [c.commune_x.pk], expect=COMMUNE_READ),
    Row("teams:activity_export", args=lambda c: [c.commune_x.pk], expect=COMMUNE_READ),
    Row("teams:team_activity_list", args=lambda c: [c.team_x.pk], expect=TEAM_READ),
    Row("teams:team_activity_export", args=lambda c: [c.team_x.pk], expect=TEAM_READ),
    Row("teams:activity_detail", args=lambda c: [c.activity_x.pk], expect=TEAM_READ),
    Row("teams:activity_edit", args=lambda c: [c.activity_x.pk], expect=TEAM_WRITE),
    Row("teams:activity_photo", args=lambda c: [photo_x(c).pk], expect=TEAM_READ),
    Row("teams:activity_delete", args=lambda c: [c.activity_x.pk], method="post", expect=TEAM_DELETE),
    Row("teams:activity_photo_delete", args=lambda c: [photo_x(c).pk], method="post", expect=TEAM_DELETE),
    Row("teams:team_add", args=lambda c: [c.commune_x.pk], expect=COMMUNE_WRITE),
    Row("teams:decision_add", args=lambda c: [c.commune_x.pk], expect=COMMUNE_WRITE),
    Row("teams:team_edit", args=lambda c: [c.team_x.pk], expect=VILLAGE_WRITE),
    Row("teams:team_detail", args=lambda c: [c.team_x.pk], expect=TEAM_READ),
    Row("teams:member_add", args=lambda c: [c.team_x.pk], expect=TEAM_WRITE),
    Row("teams:activity_add", args=lambda c: [c.team_x.pk], expect=TEAM_WRITE),
    # An empty queued entry: refused with its messages (400), after the scope and role checks.
    Row(
        "teams:activity_sync",
        args=lambda c: [c.team_x.pk],
        method="post",
        expect=expect(400, staff_p=403, staff_q=404, official_y=404),
    ),
    Row("teams:member_detail", args=lambda c: [c.member_x.pk], expect=TEAM_READ),
    Row("teams:member_edit", args=lambda c: [c.member_x.pk], expect=TEAM_WRITE),
    Row("teams:member_list", args=lambda c: [c.commune_x.pk], expect=COMMUNE_READ),
    Row("teams:member_export", args=lambda c: [c.commune_x.pk], expect=COMMUNE_READ),
    Row("teams:member_template", args=lambda c: [c.commune_x.pk], expect=COMMUNE_READ),
    Row("teams:member_import", args=lambda c: [c.commune_x.pk], expect=COMMUNE_WRITE),
    Row("teams:member_import_confirm", args=lambda c: [c.commune_x.pk], method="post", expect=IMPORT_CONFIRM),
]
