"""Finding 8 of issue 10 (the web half): every view that serves an uploaded file (decision PDFs,
activity photos, scans and signed PDFs) sends it with nosniff and a sandboxing CSP, as a download
except photos shown in <img>: a file that is really HTML never runs in the portal's origin."""

import datetime

from django.core.files.base import ContentFile
from django.urls import reverse

from teams.models import ActivityPhoto, Decision
from tests.reports.signing_data import make_document

HTML = b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>"


def assert_contained(response, attachment=True):
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = response["Content-Security-Policy"]
    assert policy.startswith("sandbox") and "default-src 'none'" in policy and "script" not in policy
    disposition = response.get("Content-Disposition", "")
    assert disposition.startswith("attachment") if attachment else not disposition.startswith("attachment")


def test_a_decision_pdf_is_a_sandboxed_download(client, cast):
    decision = Decision.objects.create(
        commune=cast.commune_x, number="241/QĐ-UBND", signed_on=datetime.date(2025, 9, 26), issuer="UBND xã Hà Tây"
    )
    decision.file.save("qd.pdf", ContentFile(HTML))
    client.force_login(cast.official_x)
    response = client.get(reverse("teams:decision_file", args=[decision.pk]))
    assert_contained(response)
    assert response["Content-Type"] == "application/pdf"


def test_a_photo_is_shown_inline_but_sandboxed(client, cast):
    photo = ActivityPhoto(activity=cast.activity_x)
    photo.image.save("anh.png", ContentFile(b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script>"), save=False)
    photo.save()
    client.force_login(cast.official_x)
    response = client.get(reverse("teams:activity_photo", args=[photo.pk]))
    assert_contained(response, attachment=False)
    assert response["Content-Type"] == "image/png"


def test_a_scan_or_signed_pdf_is_a_sandboxed_download(client, cast):
    document = make_document(cast)
    client.force_login(cast.official_x)
    response = client.get(reverse("reports:signed_document_download", args=[document.pk]))
    assert_contained(response)
