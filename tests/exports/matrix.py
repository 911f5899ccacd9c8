from django.core.files.base import ContentFile

from exports.models import Export
from tests.dashboards.helpers import make_request
from tests.permission_matrix import Row, expect


def export_of_staff_p(cast):
    """A file staff_p asked for, made (the cast has none): the summary of a request of P."""
    export = Export.objects.filter(user=cast.staff_p).first()
    if export is None:
        export = Export.objects.create(
            user=cast.staff_p,
            kind="reports.summary_pdf",
            params={"request": make_request(cast).pk},
            title="Báo cáo tổng hợp (PDF)",
            status=Export.Status.DONE,
            file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="exports/bao-cao-tong-hop-1.pdf"),
        )
    return [export.pk]


# A file is its asker's (and administrators', who help): anyone else gets 404, even in the same
# province. The list of one's own files is for those who ask for them: the department's staff.
OWN_FILE = expect(200, staff_q=404, official_x=404, official_y=404, lead_x=404)

ROWS = [
    Row("exports:export_list", expect=expect(200, official_x=403, official_y=403, lead_x=403)),
    Row("exports:export_detail", args=export_of_staff_p, expect=OWN_FILE),
    Row("exports:export_download", args=export_of_staff_p, expect=OWN_FILE),
]
