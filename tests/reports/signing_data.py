"""Plain objects for the signing tests: a submitted version, a certificate, signed PDFs."""

import datetime
import functools
import hashlib

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


def make_version(cast, commune=None, with_pdf=True):
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
    version = ReportVersion.objects.create(report=report, number=report.versions.count() + 1, content={})
    if with_pdf:
        keep_sent_pdf(version)
    return version


def keep_sent_pdf(version, data=None):
    """Stores ``data`` (report_pdf() by default) as the PDF sent for ``version``, as
    reports.rendering.store_version_pdf does: signed_pdf() is then this very version signed."""
    data = data or report_pdf()
    version.pdf.save("bao-cao.pdf", ContentFile(data), save=False)
    version.pdf_sha256 = hashlib.sha256(data).hexdigest()
    version.save(update_fields=["pdf", "pdf_sha256"])
    return version


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


# --- PDFs changed after signing, and look-alikes (issue 10, findings 2 to 4) ---


def _incremental(pdf_bytes, change):
    """``pdf_bytes`` with one incremental update made by ``change(writer)`` appended."""
    import io

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    change(writer)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def flipped_in_range(pdf_bytes, which):
    """One byte changed inside the first (0) or second (1) byte range the signature covers."""
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    start1, length1, start2, length2 = PdfFileReader(io.BytesIO(pdf_bytes)).embedded_signatures[0].byte_range
    if which == 0:
        at = pdf_bytes.index(b"stream\n") + 20  # inside the first page's content stream
    else:
        # A digit of the signing time written in the signature dictionary (/M): the file stays readable.
        at = start2 + pdf_bytes[start2 : start2 + length2].index(b"/M (D") + 10
        assert chr(pdf_bytes[at]).isdigit()
    changed = bytearray(pdf_bytes)
    changed[at] ^= 0x01
    return bytes(changed)


def with_annotation(pdf_bytes):
    """A text note (free-text annotation) added on page 1 after signing, in an update of its own."""
    return _incremental(pdf_bytes, with_a_note)


def with_page_content_replaced(pdf_bytes):
    """Page 1's content stream replaced by another one (different figures)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.generic import pdf_name

    def change(writer):
        page_ref = writer.find_page_for_modification(0)[0]
        page = page_ref.get_object()
        stream = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 12 Tf 100 700 Td (999) Tj ET"))
        page[pdf_name("/Contents")] = stream
        writer.update_container(page)

    return _incremental(pdf_bytes, change)


def with_new_signature_field(pdf_bytes):
    """The attack of finding 2: an empty signature field whose appearance paints over page 1."""
    from pyhanko.sign import fields

    def change(writer):
        fields.append_signature_field(writer, fields.SigFieldSpec("ChuKy2", on_page=0, box=(60, 600, 540, 800)))
        # Give the new field's widget an opaque appearance: a white box with new figures.
        from pyhanko.pdf_utils import generic
        from pyhanko.pdf_utils.generic import pdf_name

        for field_ref in writer.root["/AcroForm"]["/Fields"]:
            field = field_ref.get_object()
            if field.get("/T") == "ChuKy2":
                appearance = generic.StreamObject(
                    {
                        pdf_name("/Type"): pdf_name("/XObject"),
                        pdf_name("/Subtype"): pdf_name("/Form"),
                        pdf_name("/BBox"): generic.ArrayObject(map(generic.FloatObject, (0, 0, 480, 200))),
                    },
                    stream_data=b"1 g 0 0 480 200 re f 0 g BT /Helv 14 Tf 10 100 Td (999) Tj ET",
                )
                field[pdf_name("/AP")] = generic.DictionaryObject({pdf_name("/N"): writer.add_object(appearance)})
                writer.update_container(field)

    return _incremental(pdf_bytes, change)


LOOK_ALIKE_NAME = "UBND xã Hà Tây"


@functools.cache
def look_alike_p12():
    """A self-signed certificate anyone can make, named like the commune's committee."""
    return demo_signing.make_test_p12(LOOK_ALIKE_NAME, LOOK_ALIKE_NAME, P12_PASSWORD)


@functools.cache
def unrelated_signed_pdf():
    """Another document, with the same signer block, signed by the look-alike certificate."""
    from weasyprint import HTML

    other = HTML(string=SIGNER_BLOCK_HTML.replace("Nguyễn Văn Hà", "Trần Văn Giả")).write_pdf()
    return signing.sign_pdf(other, look_alike_p12(), P12_PASSWORD, organisation=LOOK_ALIKE_NAME)


def certificate_pem(p12=None):
    from cryptography.hazmat.primitives.serialization import Encoding, pkcs12

    certificate = pkcs12.load_key_and_certificates(p12 or certificate_p12(), P12_PASSWORD.encode())[1]
    return certificate.public_bytes(Encoding.PEM)


def printed(pdf_bytes):
    """The PDF as a printer or viewer shows it: each signature widget's appearance (the visible
    stamp) drawn into its page at the widget's place, so that pdfplumber reads the stamp's text
    and images with the page's. The signed file itself leaves its pages as they were sent."""
    import io

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    for index in range(int(writer.root["/Pages"]["/Count"])):
        page_ref, _ = writer.find_page_for_modification(index)
        for annotation in page_ref.get_object().get("/Annots", []):
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Widget" or "/AP" not in annotation:
                continue
            x, y = float(annotation["/Rect"][0]), float(annotation["/Rect"][1])
            appearance = annotation["/AP"]["/N"]
            paint = generic.StreamObject(stream_data=b"q 1 0 0 1 %g %g cm %s Q" % (x, y, appearance.data))
            resources = appearance.get("/Resources", generic.DictionaryObject())
            # The page's own content may leave its coordinates changed (WeasyPrint's do): wrapped in
            # q ... Q, as a viewer draws an annotation in the page's default coordinates.
            writer.add_stream_to_page(index, writer.add_object(generic.StreamObject(stream_data=b"q")), prepend=True)
            writer.add_stream_to_page(index, writer.add_object(generic.StreamObject(stream_data=b"Q")))
            writer.add_stream_to_page(index, writer.add_object(paint), resources=resources)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def signed_with(change, pdf_bytes=None, field="ChuKy1"):
    """The sent report signed, as a signing tool would, by an update that also makes
    ``change(writer)``: what the signature's own revision may hold, and what it may not."""
    import io

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes or report_pdf()), strict=False)
    change(writer)
    pades = fields.SigSeedSubFilter.PADES
    metadata = signers.PdfSignatureMetadata(field_name=field, md_algorithm="sha256", subfilter=pades)
    signer = signing.signer_from_pkcs12(certificate_p12(), P12_PASSWORD)
    output = io.BytesIO()
    box = (340, 80, 560, 150) if field == "ChuKy1" else (60, 80, 280, 150)
    spec = fields.SigFieldSpec(field, on_page=-1, box=box)
    # pyHanko runs its own event loop: in a thread of its own when one already runs (the browser tests').
    signing.outside_event_loop(
        signers.PdfSigner(metadata, signer=signer, new_field_spec=spec).sign_pdf, writer, output=output
    )
    return output.getvalue()


def painted_over(writer):
    """A white box and new figures drawn over page 1, as page content."""
    from pyhanko.pdf_utils import generic

    stream = generic.StreamObject(stream_data=b"q 1 1 1 rg 60 500 480 200 re f Q BT /F1 14 Tf 100 600 Td (999) Tj ET")
    writer.add_stream_to_page(0, writer.add_object(stream))


def opens_with_javascript(writer):
    """An action the viewer runs on opening the file."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.generic import pdf_name, pdf_string

    action = generic.DictionaryObject(
        {pdf_name("/S"): pdf_name("/JavaScript"), pdf_name("/JS"): pdf_string("app.alert('x')")}
    )
    writer.root[pdf_name("/OpenAction")] = writer.add_object(action)
    writer.update_root()


def with_a_note(writer):
    """A free-text note with new figures on page 1 (an annotation, not a signature's widget)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.generic import pdf_name, pdf_string

    note = generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/Annot"),
            pdf_name("/Subtype"): pdf_name("/FreeText"),
            pdf_name("/Rect"): generic.ArrayObject(map(generic.FloatObject, (100, 700, 400, 740))),
            pdf_name("/Contents"): pdf_string("Số thành viên: 999"),
            pdf_name("/DA"): pdf_string("/Helv 12 Tf 0 g"),
        }
    )
    page_ref = writer.find_page_for_modification(0)[0]
    page = page_ref.get_object()
    annots = page.get("/Annots", generic.ArrayObject())
    annots.append(writer.add_object(note))
    page[pdf_name("/Annots")] = annots
    writer.update_container(page)


def nothing_more(writer):
    """A signing tool's update with nothing but the signature (and the document information)."""
