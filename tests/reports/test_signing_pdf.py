"""reports.signing.pdf on its own: PAdES signing with a stamp, and validation with pyHanko."""

import asyncio
import datetime
import io
import zoneinfo
from concurrent.futures import ThreadPoolExecutor

import pdfplumber
import pytest
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from django.utils import timezone
from fontTools.ttLib import TTFont
from PIL import Image
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from demo import signing as demo_signing
from reports.signing import pdf as signing
from tests.reports.signing_data import (
    P12_PASSWORD,
    SIGNER_NAME,
    certificate_p12,
    printed,
    report_pdf,
    signed_pdf,
    tampered,
)

SIGNED_AT = datetime.datetime(2024, 12, 3, 2, 59, 51, tzinfo=datetime.UTC)  # 09:59:51 in Vietnam


@pytest.fixture(scope="module")
def stamped():
    return signing.sign_pdf(
        report_pdf(),
        certificate_p12(),
        P12_PASSWORD,
        signature_image=demo_signing.signature_png(),
        seal_image=demo_signing.seal_png(),
        organisation="Ủy ban nhân dân xã Hà Tây",
        signed_at=SIGNED_AT,
    )


def words_of_last_page(pdf_bytes):
    """The last page's text and words as printed, the visible signature's included."""
    with pdfplumber.open(io.BytesIO(printed(pdf_bytes))) as pdf:
        page = pdf.pages[-1]
        return page.extract_text(), page.extract_words(), float(page.height)


def test_a_pdf_signed_in_the_portal_validates_with_pyhanko_as_intact_and_covering_the_whole_file(stamped, tmp_path):
    certificate = pkcs12.load_key_and_certificates(certificate_p12(), P12_PASSWORD.encode())[1]
    root = tmp_path / "root.pem"
    root.write_bytes(certificate.public_bytes(Encoding.PEM))
    context = ValidationContext(trust_roots=[load_cert_from_pemder(str(root))], allow_fetching=False)
    embedded = PdfFileReader(io.BytesIO(stamped)).embedded_signatures
    assert len(embedded) == 1
    status = signing.outside_event_loop(validate_pdf_signature, embedded[0], context)
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert embedded[0].sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES


def test_the_stamp_shows_the_organisation_and_the_iso_time_in_vietnam_between_title_and_name(stamped):
    text, words, height = words_of_last_page(stamped)
    assert "Ủy ban nhân dân xã Hà Tây" in text
    assert "2024-12-03T09:59:51+07:00" in text
    time_word = next(w for w in words if w["text"] == "2024-12-03T09:59:51+07:00")
    title = next(w for w in words if w["text"] == "TỊCH")
    name = next(w for w in words if w["text"] == "Nguyễn")
    assert title["bottom"] < time_word["top"] < name["top"]
    assert time_word["x1"] < 595 - 28  # inside the page, 10 mm from its edge at least


def test_the_stamp_text_is_set_in_the_rescaled_liberation_serif_at_10_pt(stamped):
    with pdfplumber.open(io.BytesIO(printed(stamped))) as pdf:
        chars = [c for c in pdf.pages[-1].chars if c["text"] == "Ủ" and round(c["size"]) == 10]
    assert chars and "LiberationSerif" in chars[0]["fontname"]
    # Letters of a word sit next to each other (widths in 1000 units per em), not 2x apart.
    word = "2024-12-03T09:59:51+07:00"
    _, words, _ = words_of_last_page(stamped)
    found = next(w for w in words if w["text"] == word)
    assert 100 < found["x1"] - found["x0"] < 140


def test_the_same_file_with_one_byte_changed_after_signing_does_not_validate(stamped):
    result = signing.validate_pdf(tampered(stamped))
    assert not result.unchanged
    assert result.signatures[0].intact is False


def test_validation_reports_signer_time_and_an_honest_unknown_trust_without_trust_roots(stamped):
    result = signing.validate_pdf(stamped)
    check = result.signatures[0]
    assert result.unchanged
    assert check.signer == SIGNER_NAME
    # The time the signing software put in the signature (now), shown in Vietnam's offset.
    assert check.signed_at.endswith("+07:00")
    assert abs(timezone.now() - check.signed_at_datetime) < datetime.timedelta(minutes=5)
    assert check.trusted is None


def test_validation_says_trusted_when_the_signers_root_is_configured(settings, tmp_path):
    certificate = pkcs12.load_key_and_certificates(certificate_p12(), P12_PASSWORD.encode())[1]
    root = tmp_path / "root.pem"
    root.write_bytes(certificate.public_bytes(Encoding.PEM))
    settings.SIGNING_TRUST_ROOTS = [root]
    assert signing.validate_pdf(signed_pdf()).signatures[0].trusted is True
    other = pkcs12.load_key_and_certificates(demo_signing.make_test_p12("Khác (TEST)", "Khác (TEST)", "x"), b"x")[1]
    root.write_bytes(other.public_bytes(Encoding.PEM))
    assert signing.validate_pdf(signed_pdf()).signatures[0].trusted is False


def test_a_wrong_password_is_refused_before_anything_is_signed():
    with pytest.raises(signing.WrongPassword):
        signing.sign_pdf(report_pdf(), certificate_p12(), "sai-mat-khau")


def test_the_signer_block_is_read_from_the_last_page():
    block = signing.find_signer_block(report_pdf())
    _, words, height = words_of_last_page(report_pdf())
    title = next(w for w in words if w["text"] == "TỊCH")
    name = next(w for w in words if w["text"] == "Nguyễn")
    assert block.title_bottom == pytest.approx(height - title["bottom"])
    assert block.name_top == pytest.approx(height - name["top"])
    assert block.centre_x > block.page_width / 2


def test_a_pdf_without_a_signer_block_can_still_be_signed():
    from weasyprint import HTML

    plain = HTML(string="<p>Báo cáo không có khối chữ ký</p>").write_pdf()
    signed = signing.sign_pdf(plain, certificate_p12(), P12_PASSWORD, organisation="UBND xã Hà Tây")
    assert signing.validate_pdf(signed).unchanged
    assert "UBND xã Hà Tây" in words_of_last_page(signed)[0]


def portal_document_pdf():
    """A Decree 30 document as the portal renders it, with its signature block."""
    from reports import rendering

    content = {
        "sections": [],
        "subject": "Báo cáo thử",
        "recipients": ["- Sở Khoa học và Công nghệ;", "- Lưu: VT, VHXH."],
        "signer": {"authority": "TM. ỦY BAN NHÂN DÂN", "title": "CHỦ TỊCH", "name": "Nguyễn Văn Hà"},
    }
    return rendering._pdf(rendering._html(content, "Báo cáo thử", for_pdf=True))


def test_the_portals_document_says_where_its_signer_block_is_and_it_agrees_with_its_text():
    """The layout's named destinations (document_signature.html) give the block without reading the
    page's text: the space lies between the title's last line and the name, centred on the name."""
    pdf = portal_document_pdf()
    block = signing.signer_block_from_destinations(PdfFileReader(io.BytesIO(pdf), strict=False))
    _, words, height = words_of_last_page(pdf)
    title = next(w for w in words if w["text"] == "TỊCH")
    first, last = next(w for w in words if w["text"] == "Nguyễn"), next(w for w in words if w["text"] == "Hà")
    assert block.page_index == 0 and block.page_width == pytest.approx(595.28, abs=0.01)
    assert height - title["bottom"] >= block.title_bottom > block.name_top >= height - first["top"]
    assert block.title_bottom - block.name_top == pytest.approx(38 * 72 / 25.4, abs=0.5)  # .vb-sign-space
    assert block.centre_x == pytest.approx((first["x0"] + last["x1"]) / 2, abs=1)
    from_text = signing.find_signer_block(pdf)
    assert abs(from_text.title_bottom - block.title_bottom) < 8 and abs(from_text.name_top - block.name_top) < 8


def test_a_pdf_without_the_destinations_has_its_signer_block_read_from_its_text():
    assert signing.signer_block_from_destinations(PdfFileReader(io.BytesIO(report_pdf()), strict=False)) is None


def test_the_key_read_from_the_pkcs12_file_is_not_parsed_again_to_sign(monkeypatch):
    """Parsing an RSA key checks it, some 45 ms: once, when the PKCS#12 file is opened, is enough."""
    from pyhanko.sign.signers import pdf_cms

    def parsed_again(*args, **kwargs):
        raise AssertionError("the private key was parsed again")

    monkeypatch.setattr(pdf_cms.serialization, "load_der_private_key", parsed_again)
    signed = signing.sign_pdf(report_pdf(), certificate_p12(), P12_PASSWORD, organisation=SIGNER_NAME)
    assert signing.validate_pdf(signed).unchanged


def test_a_certificate_with_an_elliptic_curve_key_signs_too():
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    p12 = demo_signing.make_test_p12("UBND xã EC (TEST)", "UBND xã EC", "ec-pass", key=key)
    result = signing.validate_pdf(signing.sign_pdf(report_pdf(), p12, "ec-pass", organisation="UBND xã EC"))
    assert result.unchanged and result.signatures[0].valid


def test_a_pdf_without_signatures_has_nothing_valid():
    result = signing.validate_pdf(report_pdf())
    assert result.signatures == [] and not result.unchanged


def test_the_stamp_time_is_iso_8601_with_the_vietnamese_offset():
    moment = datetime.datetime(2026, 1, 5, 17, 30, 5, 123456, tzinfo=zoneinfo.ZoneInfo("UTC"))
    assert signing.stamp_time(moment) == "2026-01-06T00:30:05+07:00"


def test_the_committed_stamp_font_has_1000_units_per_em_and_can_be_regenerated(tmp_path):
    assert TTFont(signing.STAMP_FONT)["head"].unitsPerEm == 1000
    regenerated = signing.rescale_font(signing.FONT_SOURCE, tmp_path / "font.ttf")
    font = TTFont(regenerated)
    assert font["head"].unitsPerEm == 1000
    assert ord("Ủ") in font.getBestCmap()


def test_signing_and_validation_work_inside_a_running_event_loop():
    """pyHanko calls asyncio.run(); an async server or Playwright's loop must not break it."""

    async def sign_and_check():
        return signing.validate_pdf(signing.sign_pdf(report_pdf(), certificate_p12(), P12_PASSWORD))

    # In a fresh thread: the browser tests may have left Playwright's loop running in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, sign_and_check()).result().unchanged


def test_a_second_signature_added_later_leaves_the_first_one_unchanged():
    """As a USB-token tool countersigns: a new signature field, nothing drawn into the page."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    output = io.BytesIO()
    signing.outside_event_loop(
        signers.sign_pdf,
        IncrementalPdfFileWriter(io.BytesIO(signed_pdf())),
        signers.PdfSignatureMetadata(field_name="ChuKy2"),
        signer=signing.signer_from_pkcs12(certificate_p12(), P12_PASSWORD),
        output=output,
    )
    countersigned = output.getvalue()
    first, second = signing.validate_pdf(countersigned).signatures
    assert first.intact and first.unchanged_since and first.added_after
    assert second.unchanged_since and not second.added_after


def test_content_drawn_on_the_page_after_signing_counts_as_a_change():
    from pyhanko.pdf_utils.generic import StreamObject
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed_pdf()))
    writer.add_stream_to_page(0, writer.add_object(StreamObject(stream_data=b"0 0 m 100 100 l S")))
    output = io.BytesIO()
    writer.write(output)
    check = signing.validate_pdf(output.getvalue()).signatures[0]
    assert check.intact and check.added_after and not check.unchanged_since


def test_the_signature_is_centred_under_the_title_with_the_seal_over_its_left_third_and_the_text_next_to_it():
    block = signing.SignerBlock(page_index=0, page_width=595, centre_x=380, title_bottom=700, name_top=590)
    signature, seal = Image.new("RGBA", (600, 240)), Image.new("RGBA", (400, 400))
    box, images, (text_left, text_top) = signing.layout_stamp(block, (120, 24), signature, seal, seal_mm=35)
    (_, sig_x, sig_y, sig_w, sig_h), (_, seal_x, seal_y, seal_w, seal_h) = images
    assert box[0] + sig_x + sig_w / 2 == pytest.approx(380)
    assert (sig_w, sig_h) == pytest.approx((90, 36))
    assert seal_w == pytest.approx(35 * 72 / 25.4)  # real size
    assert seal_x + seal_w == pytest.approx(sig_x + sig_w / 3)
    # The seal, and the signature with the text under it, each centred between title and name.
    assert box[1] + seal_y + seal_h / 2 == pytest.approx(645)
    assert box[1] + (sig_y + sig_h + text_top - 24) / 2 == pytest.approx(645)
    # The text is next to the seal and under the signature, inside the text area.
    assert text_left == pytest.approx(seal_x + seal_w + 4) and text_top <= sig_y
    assert box[2] == pytest.approx(box[0] + text_left + 120) and box[2] <= 595 - 20 * 72 / 25.4
    assert block.title_bottom >= box[3] and box[1] >= block.name_top  # between title and name


def test_the_stamp_moves_left_rather_than_cross_the_widest_right_margin():
    block = signing.SignerBlock(page_index=0, page_width=595, centre_x=500, title_bottom=700, name_top=620)
    box, _, _ = signing.layout_stamp(block, (120, 24), Image.new("RGBA", (600, 240)), None)
    assert box[2] == pytest.approx(595 - 20 * 72 / 25.4)


def test_without_images_the_text_alone_is_centred_in_the_signers_space():
    block = signing.SignerBlock(page_index=0, page_width=595, centre_x=400, title_bottom=700, name_top=600)
    box, images, text_at = signing.layout_stamp(block, (120, 24), None, None)
    assert images == [] and text_at == (0, 24)
    assert box == pytest.approx((340, 638, 460, 662))
