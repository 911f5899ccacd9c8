"""Where the visible stamp lands on the real Decree 30 PDF: Hà Tây's demo report signed in the portal."""

import io
from io import StringIO

import pdfplumber
import pytest
from django.core.management import call_command
from django.urls import reverse

from demo.signing import DEMO_CERTIFICATE_PASSWORD
from portal.models import User
from reports.models import Report, SignedDocument
from reports.signing import pdf as signing
from tests.reports.signing_data import printed

MM = 72 / 25.4
STAMP_SIZE = 10  # the stamp's text is 10 pt; the document's own text is 11 to 14 pt


@pytest.fixture
def signed_demo(db, client):
    """Hà Tây's submitted demo report, signed by its official through the signing form."""
    call_command("seed_demo", stdout=StringIO())
    report = Report.objects.get(request__letter_number="4675/SKHCN-CNTT", commune__name="Xã Hà Tây")
    version = report.versions.get()
    client.force_login(User.objects.get(username="xa.hatay"))
    response = client.post(reverse("reports:version_sign", args=[version.pk]), {"password": DEMO_CERTIFICATE_PASSWORD})
    assert response.status_code == 302
    document = SignedDocument.objects.get(version=version, kind=SignedDocument.Kind.PORTAL)
    with document.file.open("rb") as stored:
        return stored.read()


def line(words, text):
    """The bounding box of the consecutive words that read ``text``."""
    parts = text.split()
    for start in range(len(words) - len(parts) + 1):
        run = words[start : start + len(parts)]
        if [w["text"] for w in run] == parts:
            return {
                "x0": min(w["x0"] for w in run),
                "x1": max(w["x1"] for w in run),
                "top": min(w["top"] for w in run),
                "bottom": max(w["bottom"] for w in run),
            }
    raise AssertionError(f"{text!r} is not on the page")


def overlaps(a, b):
    return a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def test_the_stamp_sits_in_the_signers_space_on_the_last_page_overlapping_no_text(signed_demo):
    assert signing.validate_pdf(signed_demo).unchanged
    with pdfplumber.open(io.BytesIO(printed(signed_demo))) as pdf:
        widgets = [
            (page.page_number, annot)
            for page in pdf.pages
            for annot in page.annots
            if annot["data"].get("FT") is not None and annot["data"]["FT"].name == "Sig"
        ]
        assert [number for number, _ in widgets] == [len(pdf.pages)]  # one signature, on the last page
        stamp = widgets[0][1]
        assert stamp["data"]["F"] & 4  # the widget's Print flag: the stamp is printed with the page
        page = pdf.pages[-1]
        width = float(page.width)
        words = page.extract_words(extra_attrs=["size"])
        document_words = [w for w in words if round(w["size"]) != STAMP_SIZE]
        stamp_text = " ".join(w["text"] for w in words if round(w["size"]) == STAMP_SIZE)
        images = page.images

    title = line(document_words, "PHÓ CHỦ TỊCH")
    name = line(document_words, "Nguyễn Quang Ngọc")
    # In the right half, inside the text area (the decree's widest right margin is 20 mm).
    assert stamp["x0"] >= width / 2 and stamp["x1"] <= width - 20 * MM
    # Between the signer's title and name, and over the name's column.
    assert title["bottom"] <= stamp["top"] and stamp["bottom"] <= name["top"]
    assert stamp["x0"] < (name["x0"] + name["x1"]) / 2 < stamp["x1"]
    assert name["top"] - stamp["bottom"] < 15 * MM and stamp["top"] - title["bottom"] < 15 * MM
    # It covers none of the document's own text; the images and the stamp's text are inside it.
    assert [w["text"] for w in document_words if overlaps(w, stamp)] == []
    assert len(images) == 2 and all(
        stamp["x0"] - 1 <= image["x0"] and image["x1"] <= stamp["x1"] + 1 for image in images
    )
    assert stamp_text.startswith("UBND xã Hà Tây (TEST) 20") and stamp_text.endswith("+07:00")
