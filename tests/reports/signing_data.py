"""Plain objects for the signing tests: a submitted version, a certificate, signed PDFs."""

import datetime
import functools

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from demo import signing as demo_signing
from reports.models import CommuneCertificate, Report, ReportRequest, ReportVersion, SignedDocument
from reports.signing import pdf as signing

P12_PASSWORD = "mat-khau-chung-thu-2026"
SIGNER_NAME = "UBND xã Hà Tây (TEST)"

# A last page with the Decree 30 signature block, independent of the portal's own layout.
SIGNER_BLOCK_HTML = """<html><head><style>
@page { size: A4; margin: 20mm 15mm 20mm 30mm }
html { font-family: "Liberation Serif"; font-size: 13pt }
.block { display: flex } .block > div { width: 50% } .signer { text-align: center; font-weight: bold }
</style></head><body>
<p>Trên đây là báo cáo tình hình hoạt động Tổ công nghệ số cộng đồng ./.</p>
<div class="block"><div><i><b>Nơi nhận:</b></i><br>- Sở Khoa học và Công nghệ;<br>- Lưu: VT, VHXH.</div>
<div class="signer">TM. ỦY BAN NHÂN DÂN<br>CHỦ TỊCH<br><br><br><br><br>Nguyễn Văn Hà</div></div>
</body></html>"""


@functools.cache
def certificate_p12():
    """One RSA key for the whole test run: generating one takes a noticeable fraction of a second."""
    return demo_signing.make_test_p12(SIGNER_NAME, SIGNER_NAME, P12_PASSWORD)


@functools.cache
def report_pdf():
    from weasyprint import HTML

    return HTML(string=SIGNER_BLOCK_HTML).write_pdf()


@functools.cache
def signed_pdf():
    """A PDF signed as a USB-token tool would, here with the test certificate."""
    return signing.sign_pdf(report_pdf(), certificate_p12(), P12_PASSWORD, organisation=SIGNER_NAME)


def tampered(pdf_bytes):
    """The same file with one byte of a content stream changed, its structure left readable."""
    changed = bytearray(pdf_bytes)
    changed[pdf_bytes.index(b"stream\n") + 20] ^= 0x01
    return bytes(changed)


def make_version(cast, commune=None):
    commune = commune or cast.commune_x
    request, _ = ReportRequest.objects.get_or_create(
        province=commune.province,
        letter_number="4675/SKHCN-CNTT",
        defaults={
            "letter_date": datetime.date(2025, 12, 19),
            "subject": "Báo cáo tình hình hoạt động Tổ công nghệ số cộng đồng",
            "period_start": datetime.date(2025, 1, 1),
            "period_end": datetime.date(2025, 12, 31),
            "deadline": timezone.now() + datetime.timedelta(days=10),
        },
    )
    report, _ = Report.objects.get_or_create(request=request, commune=commune, defaults={"status": "submitted"})
    return ReportVersion.objects.create(report=report, number=report.versions.count() + 1, content={})


def make_certificate(commune, with_images=True):
    certificate = CommuneCertificate(commune=commune)
    certificate.set_p12(certificate_p12(), P12_PASSWORD)
    if with_images:
        certificate.signature_image.save("chu-ky.png", ContentFile(demo_signing.signature_png()), save=False)
        certificate.seal_image.save("con-dau.png", ContentFile(demo_signing.seal_png()), save=False)
    certificate.save()
    return certificate


def make_signable_version(cast):
    """A version of commune X, whose commune has a certificate to sign it with."""
    if not CommuneCertificate.objects.filter(commune=cast.commune_x).exists():
        make_certificate(cast.commune_x, with_images=False)
    return make_version(cast)


def make_document(cast):
    version = make_version(cast)
    document = SignedDocument(
        version=version,
        kind=SignedDocument.Kind.SCAN,
        original_name="ban-quet.png",
        content_type="image/png",
        size=10,
        sha256="0" * 64,
    )
    document.file.save("ban-quet.png", ContentFile(demo_signing.seal_png()), save=False)
    document.save()
    return document


def png_upload(name="ban-quet.png"):
    return SimpleUploadedFile(name, demo_signing.signature_png(), content_type="image/png")


def pdf_upload(data, name="bao-cao-da-ky.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def p12_upload():
    return SimpleUploadedFile("chung-thu.p12", certificate_p12(), content_type="application/x-pkcs12")
