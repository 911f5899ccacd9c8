from tests.permission_matrix import Row, expect
from tests.reports.signing_data import (
    P12_PASSWORD,
    make_document,
    make_signable_version,
    make_version,
    p12_upload,
    pdf_upload,
    png_upload,
    signed_pdf,
)

# Commune X's officials sign; province P's staff read and download; everyone else sees nothing.
READ = expect(404, admin=200, staff_p=200, official_x=200)
WRITE = expect(404, admin=302, staff_p=403, official_x=302)
# Certificates are administrators' business; a commune outside one's scope is still a 404.
ADMIN_PAGE = expect(403, admin=200)
ADMIN_COMMUNE_X = expect(404, admin=200, staff_p=403, official_x=403)

ROWS = [
    Row("reports:version_signatures", args=lambda c: [make_version(c).pk], expect=READ),
    Row(
        "reports:version_upload_scan",
        args=lambda c: [make_version(c).pk],
        method="post",
        data=lambda c: {"file": png_upload()},
        expect=WRITE,
    ),
    Row(
        "reports:version_upload_signed",
        args=lambda c: [make_version(c).pk],
        method="post",
        data=lambda c: {"file": pdf_upload(signed_pdf())},
        expect=WRITE,
    ),
    Row(
        "reports:version_sign",
        args=lambda c: [make_signable_version(c).pk],
        method="post",
        data=lambda c: {"password": P12_PASSWORD},
        expect=WRITE,
    ),
    Row("reports:signed_document_download", args=lambda c: [make_document(c).pk], expect=READ),
    Row("reports:certificate_list", expect=ADMIN_PAGE),
    Row("reports:certificate_detail", args=lambda c: [c.commune_x.pk], expect=ADMIN_COMMUNE_X),
    Row(
        "reports:certificate_upload",
        args=lambda c: [c.commune_x.pk],
        method="post",
        data=lambda c: {"p12_file": p12_upload(), "password": P12_PASSWORD, "seal_diameter_mm": 35},
        expect=expect(404, admin=302, staff_p=403, official_x=403),
    ),
]
