"""PDF signatures with pyHanko: signing in the portal (PAdES with a visible stamp) and validation.

The stamp (signature image, seal, organisation name and signing time) is painted into the
last page's content in the same revision the signature covers, and the signature widget sits
over it. Painting it into the page, not only into the widget's appearance, means every viewer,
printer and text extractor sees it, while the signature still protects it like the rest.
"""

import asyncio
import functools
import hashlib
import io
import logging
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from dataclasses import fields as fields_of
from datetime import datetime
from pathlib import Path

import pdfplumber
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, pkcs12
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from PIL import Image
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBox, TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.general import SigningError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp.base import BaseStamp, BaseStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

FONT_SOURCE = settings.BASE_DIR / "static" / "fonts" / "LiberationSerif-Regular.ttf"
# pyHanko writes glyph widths in the font's own units while PDF expects 1000 per em, so the
# stamp uses a copy of Liberation Serif rescaled to 1000 units (manage.py make_stamp_font).
STAMP_FONT = settings.BASE_DIR / "static" / "fonts" / "LiberationSerif-Regular-1000upem.ttf"
STAMP_FONT_SIZE = 10  # REPORT-FORMAT.md: Times New Roman 10 pt
STAMP_LEADING = 12
RIGHT_MARGIN_MAX_MM = 20  # the decree's widest right margin: the stamp stays inside any conforming text area
POINTS_PER_MM = 72 / 25.4
SIGNATURE_FIELD = "ChuKyUBND"


def outside_event_loop(function, *args, **kwargs):
    """Calls ``function`` in a worker thread when this thread runs an event loop.

    pyHanko's synchronous API calls asyncio.run(), which refuses to start inside a running
    loop (an async server, or Playwright's loop in the browser tests).
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


class WrongPassword(Exception):
    """The PKCS#12 file could not be opened with the password given."""


def rescale_font(source=FONT_SOURCE, target=STAMP_FONT):
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    font = TTFont(source)
    scale_upem(font, 1000)
    font.save(target)
    return target


def read_pkcs12(p12_bytes, password):
    """(private key, certificate, other certificates) of a PKCS#12 file; WrongPassword if it won't open."""
    try:
        key, cert, others = pkcs12.load_key_and_certificates(p12_bytes, (password or "").encode())
    except ValueError as error:
        raise WrongPassword(str(error)) from None
    if key is None or cert is None:
        raise WrongPassword("no key or certificate")
    return key, cert, others or []


def certificate_summary(cert):
    """Subject, organisation and validity of a cryptography certificate, for showing and storing."""
    from cryptography.x509.oid import NameOID

    def attribute(oid):
        values = cert.subject.get_attributes_for_oid(oid)
        return str(values[0].value) if values else ""

    return {
        "subject": cert.subject.rfc4514_string(),
        "common_name": attribute(NameOID.COMMON_NAME),
        "organisation": attribute(NameOID.ORGANIZATION_NAME),
        "not_before": cert.not_valid_before_utc,
        "not_after": cert.not_valid_after_utc,
        "serial": format(cert.serial_number, "x"),
    }


class LoadedKeySigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner, signing with the key already read from the PKCS#12 file.

    SimpleSigner parses the key's DER form again at every signature, and parsing an RSA key
    checks it (some 45 ms, as long as opening the PKCS#12 file, which checked it already).
    PKCS#1 v1.5 and ECDSA, what certificates use, are signed here; any other mechanism the
    usual way.
    """

    def __init__(self, key, **kwargs):
        super().__init__(**kwargs)
        self.key = key

    def sign_raw(self, data, digest_algorithm):
        try:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        except ValueError:
            mechanism = None
        if mechanism == "rsassa_pkcs1v15" and isinstance(self.key, RSAPrivateKey):
            return self.key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        if mechanism == "ecdsa" and isinstance(self.key, EllipticCurvePrivateKey):
            return self.key.sign(data, ECDSA(get_pyca_cryptography_hash(digest_algorithm)))
        return super().sign_raw(data, digest_algorithm)


def signer_from_pkcs12(p12_bytes, password):
    key, cert, others = read_pkcs12(p12_bytes, password)
    key_der = key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
    return LoadedKeySigner(
        key,
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        signing_cert=asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER)),
        cert_registry=SimpleCertificateStore.from_certs(
            [asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in others]
        ),
    )


@dataclass
class SignerBlock:
    """Where the signer's title ends and name begins on the last page, in PDF points (origin bottom left)."""

    page_index: int
    page_width: float
    centre_x: float
    title_bottom: float
    name_top: float


def find_signer_block(pdf_bytes, min_gap=30):
    """Reads the last page for the signature block: the lowest line of the right column is the
    signer's name, and the nearest right-column line above it with room between is the title.

    Without such a block (no text in the right half), the space above the bottom margin of the
    right half is used, so a document can always be signed.
    """
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        page = pdf.pages[-1]
        width, height = float(page.width), float(page.height)
        words = [w for w in page.extract_words() if (w["x0"] + w["x1"]) / 2 > width / 2]
        index = len(pdf.pages) - 1
    lines = []
    for word in sorted(words, key=lambda w: w["top"]):
        if lines and abs(lines[-1]["top"] - word["top"]) < 3:
            line = lines[-1]
            line.update(x0=min(line["x0"], word["x0"]), x1=max(line["x1"], word["x1"]))
            line["bottom"] = max(line["bottom"], word["bottom"])
        else:
            lines.append({"top": word["top"], "bottom": word["bottom"], "x0": word["x0"], "x1": word["x1"]})
    if not lines:
        return SignerBlock(index, width, width * 0.72, title_bottom=200, name_top=110)
    name = lines[-1]
    title_bottom = name["top"] - 70
    for line in reversed(lines[:-1]):
        if name["top"] - line["bottom"] >= min_gap:
            title_bottom = line["bottom"]
            break
    return SignerBlock(
        index,
        width,
        centre_x=(name["x0"] + name["x1"]) / 2,
        title_bottom=height - title_bottom,
        name_top=height - name["top"],
    )


# The named destinations templates/reports/document_signature.html leaves in the PDF: the top of
# the space for signature and seal at its column's centre, and the top of the signer's name.
SPACE_DESTINATION = "cho-ky"
NAME_DESTINATION = "nguoi-ky"


def signer_block_from_destinations(reader):
    """The signer block as the document's own layout placed it, read from the PDF's named
    destinations (a pyHanko reader); None for a PDF without them (a version stored before they
    existed, or another document), which find_signer_block then reads from the page's text."""
    try:
        names = reader.root["/Names"]["/Dests"]["/Names"]
        destinations = {str(names[i]): names[i + 1] for i in range(0, len(names) - 1, 2)}
        space, name = destinations[SPACE_DESTINATION], destinations[NAME_DESTINATION]
        page = space.raw_get(0).idnum
        if name.raw_get(0).idnum != page:
            return None
        kids = reader.root["/Pages"]["/Kids"]
        index = next(i for i in range(len(kids)) if kids.raw_get(i).idnum == page)
        left, _, right, _ = (float(v) for v in kids[index]["/MediaBox"])
        return SignerBlock(
            index, right - left, centre_x=float(space[2]), title_bottom=float(space[3]), name_top=float(name[3])
        )
    except (KeyError, IndexError, AttributeError, TypeError, ValueError, StopIteration):
        return None


def stamp_time(moment):
    """2024-12-03T09:59:51+07:00: the signing time in Vietnam's offset, to the second."""
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class _StampAppearance(BaseStampStyle):
    """The visible signature as the signature widget's own appearance, drawn over the page by
    viewers and printers: the page itself is left as it was sent, as every signature must leave
    it (``_only_a_signature``). ``images`` and ``text_at`` are in the stamp's own coordinates."""

    border_width: int = 0
    images: tuple = ()
    text: str = ""
    text_at: tuple = (0, 0)

    def create_stamp(self, writer, box, text_params):
        return _StampContent(writer, self, box)


class _StampContent(BaseStamp):
    """Signature image, seal over its left third, and the text lines next to the seal."""

    def __init__(self, writer, style, box):
        super().__init__(writer=writer, style=style, box=box)
        self.images = style.images  # [(PIL image, x, y, width, height)]
        self.text = style.text
        self.text_at = style.text_at  # (left, top) of the text lines

    def _render_inner_content(self):
        commands = []
        for image, x, y, width, height in self.images:
            content = PdfImage(image, writer=self.writer, box=layout.BoxConstraints(width, height))
            commands.append(b"q 1 0 0 1 %g %g cm %s Q" % (x, y, content.render()))
            self.import_resources(content.resources)
        font = GlyphAccumulatorFactory(stamp_font()[0], font_size=STAMP_FONT_SIZE)
        text_box = TextBox(
            TextBoxStyle(
                font=font,
                font_size=STAMP_FONT_SIZE,
                leading=STAMP_LEADING,
                box_layout_rule=layout.SimpleBoxLayoutRule(
                    x_align=layout.AxisAlignment.ALIGN_MIN,
                    y_align=layout.AxisAlignment.ALIGN_MIN,
                    margins=layout.Margins.uniform(0),
                ),
            ),
            writer=self.writer,
            resources=self.resources,
        )
        text_box.content = self.text
        rendered = text_box.render()
        left, top = self.text_at
        commands.append(b"q 1 0 0 1 %g %g cm %s Q" % (left, top - text_box.box.height, rendered))
        return commands


def _fit(image, max_width, max_height):
    scale = min(max_width / image.width, max_height / image.height)
    return image.width * scale, image.height * scale


def layout_stamp(block, text_size, signature=None, seal=None, seal_mm=35):
    """(box, images, text_at) of the stamp, for a text block of ``text_size`` (width, height).

    As REPORT-FORMAT.md asks: the signature image centred between the title and the name; the seal
    at its real size covering the signature's left third; the organisation's name and the signing
    time next to the seal, under the signature. The signature and the text are centred as one
    stack between title and name, and so is the seal. Everything moves left together when the text
    would cross the right edge of the text area (the decree's widest right margin, 20 mm).
    ``images`` are (image, x, y, width, height) and ``text_at`` the text's (left, top), both
    relative to the box's lower left corner.
    """
    text_width, text_height = text_size
    gap = max(block.title_bottom - block.name_top, 0) or 60  # PDF y grows upwards: the title is above
    middle = (block.name_top + block.title_bottom) / 2
    placed = []
    if signature:
        sig_w, sig_h = _fit(signature, 90, max(min(gap - text_height - 10, 60), 30))
        sig_x = block.centre_x - sig_w / 2
        stack_top = middle + (sig_h + 4 + text_height) / 2
        placed.append((signature, sig_x, stack_top - sig_h, sig_w, sig_h))
        text_left, text_top = sig_x, stack_top - sig_h - 4
    else:
        text_left, text_top = block.centre_x - text_width / 2, middle + text_height / 2
    if seal:
        diameter = seal_mm * POINTS_PER_MM
        seal_w, seal_h = _fit(seal, diameter, diameter)
        seal_right = sig_x + sig_w / 3 if signature else block.centre_x + seal_w / 2
        # Drawn after the signature: the seal is stamped over it, as on paper.
        placed.append((seal, seal_right - seal_w, middle - seal_h / 2, seal_w, seal_h))
        text_left = seal_right + 4
        if not signature:
            text_top = middle + text_height / 2
    left = min([x for _, x, *_ in placed] + [text_left])
    right = max([x + w for _, x, _, w, _ in placed] + [text_left + text_width])
    bottom = min([y for _, _, y, _, _ in placed] + [text_top - text_height])
    top = max([y + h for _, _, y, _, h in placed] + [text_top])
    shift = max(0, right - (block.page_width - RIGHT_MARGIN_MAX_MM * POINTS_PER_MM))
    box = (left - shift, bottom, right - shift, top)
    images = [(img, x - left, y - bottom, w, h) for img, x, y, w, h in placed]
    return box, images, (text_left - left, text_top - bottom)


# Latin letters with Vietnamese diacritics, digits and punctuation: what a stamp writes.
STAMP_UNICODES = [*range(0x20, 0x7F), *range(0xA0, 0x250), *range(0x300, 0x370), *range(0x1E00, 0x1F00), 0x2013, 0x2014]


@functools.cache
def stamp_font():
    """(path, cmap, advance widths) of the stamp font prepared once per process: only the
    characters a stamp writes and no layout tables, so that pyHanko's subsetting at each
    signature reads a small font instead of decompiling Liberation Serif's GSUB/GPOS (~50 ms)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(STAMP_FONT)
    options = subset.Options()
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern", "FFTM"]
    options.hinting = False
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=STAMP_UNICODES)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    data = buffer.getvalue()
    path = Path(tempfile.gettempdir()) / f"cnscd-stamp-{hashlib.sha256(data).hexdigest()[:16]}.ttf"
    if not path.exists():
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(data)
        partial.replace(path)  # atomic: another process may be writing the same file
    return str(path), font.getBestCmap(), font["hmtx"].metrics


def _text_size(text):
    """(width, height) in points of ``text``'s lines set in the stamp font."""
    _, cmap, metrics = stamp_font()
    lines = text.splitlines()
    widths = [sum(metrics[cmap[ord(c)]][0] for c in line if ord(c) in cmap) for line in lines]
    return max(widths) * STAMP_FONT_SIZE / 1000 + 2, len(lines) * STAMP_LEADING


def sign_pdf(
    pdf_bytes,
    p12_bytes,
    password,
    signature_image=None,
    seal_image=None,
    organisation="",
    reason="Ký số báo cáo",
    location="",
    seal_mm=35,
    signed_at=None,
):
    """The PDF signed (PAdES, whole file), its visible stamp over the signer block of its last page.

    ``signature_image`` and ``seal_image`` are PNG bytes or None. WrongPassword if the PKCS#12
    file does not open with ``password``.
    """
    signer = signer_from_pkcs12(p12_bytes, password)
    signed_at = signed_at or timezone.now()
    text = f"{organisation}\n{stamp_time(signed_at)}"
    images = [Image.open(io.BytesIO(b)).convert("RGBA") if b else None for b in (signature_image, seal_image)]
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    block = signer_block_from_destinations(writer.prev) or find_signer_block(pdf_bytes)
    box, placed, text_at = layout_stamp(block, _text_size(text), *images, seal_mm=seal_mm)
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
    )
    output = io.BytesIO()
    pdf_signer = signers.PdfSigner(
        metadata,
        signer=signer,
        stamp_style=_StampAppearance(images=tuple(placed), text=text, text_at=text_at),
        new_field_spec=fields.SigFieldSpec(
            SIGNATURE_FIELD, on_page=block.page_index, box=tuple(round(v, 2) for v in box)
        ),
    )
    # Room for the signature container given, not estimated by a dummy signature (one RSA
    # operation less): the certificates it embeds are all in the PKCS#12 file.
    outside_event_loop(pdf_signer.sign_pdf, writer, bytes_reserved=8192 + 2 * len(p12_bytes), output=output)
    return output.getvalue()


class State:
    """The three things a commune official is told about a signed PDF (and nothing in between)."""

    VALID = "valid"  # intact, cryptographically valid, nothing changed since, signer verified
    UNVERIFIED = "unverified"  # intact and unchanged, but the signer's certificate is not verified
    INVALID = "invalid"  # broken signature, or the document was changed after signing

    HEADLINES = {
        VALID: "Hợp lệ",
        UNVERIFIED: "Chưa xác minh được người ký",
        INVALID: "Không hợp lệ",
    }


# Why a signer could not be verified, by pyHanko's AdES sub-indication, in the official's words.
TRUST_REASONS = {
    "NO_TRUST_ROOTS": "cổng chưa được cấu hình danh sách chứng thư gốc tin cậy, nên chưa kiểm tra được",
    "SELF_SIGNED": "chứng thư số do chính người ký tự tạo (tự ký), không do tổ chức chứng thực cấp",
    "NO_CERTIFICATE_CHAIN_FOUND": "chứng thư số không do tổ chức chứng thực nào trong danh sách tin cậy cấp",
    "CHAIN_CONSTRAINTS_FAILURE": "chứng thư số không do tổ chức chứng thực nào trong danh sách tin cậy cấp",
    "EXPIRED": "chứng thư số đã hết hạn",
    "OUT_OF_BOUNDS_NO_POE": "chứng thư số đã hết hạn hoặc chưa có hiệu lực vào thời điểm kiểm tra",
    "OUT_OF_BOUNDS_NOT_REVOKED": "chứng thư số đã hết hạn hoặc chưa có hiệu lực vào thời điểm kiểm tra",
    "NOT_YET_VALID": "chứng thư số chưa đến ngày có hiệu lực",
    "REVOKED": "chứng thư số đã bị thu hồi",
    "REVOKED_NO_POE": "chứng thư số đã bị thu hồi",
    "REVOKED_CA_NO_POE": "chứng thư của tổ chức cấp đã bị thu hồi",
}
UNKNOWN_TRUST_REASON = "không xác minh được chứng thư số của người ký"


@dataclass
class SignatureCheck:
    """What validation says about one signature of a PDF."""

    field: str = ""
    signer: str = ""
    signed_at: str = ""  # ISO 8601, as the signer's software claims it
    intact: bool = False  # the signed bytes are unchanged
    valid: bool = False  # the cryptographic signature checks out
    trusted: bool | None = None  # None: no trust roots configured, so not checked
    trust_problem: str = ""  # why the signer is not verified, in Vietnamese ("" when trusted)
    # Nothing but validation data (DSS, document timestamps) after the last signature, and between
    # this signature and the next only that next signature's own revision (see _unchanged).
    unchanged_since: bool = False
    added_after: bool = False  # a later revision exists (another signature, a timestamp, ...)
    problem: str = ""

    @property
    def signed_at_datetime(self):
        return datetime.fromisoformat(self.signed_at) if self.signed_at else None

    @property
    def state(self):
        if self.problem or not (self.intact and self.valid and self.unchanged_since):
            return State.INVALID
        return State.VALID if self.trusted else State.UNVERIFIED

    @property
    def headline(self):
        return State.HEADLINES[self.state]


@dataclass
class ValidationResult:
    signatures: list[SignatureCheck] = field(default_factory=list)
    problem: str = ""

    @property
    def state(self):
        """The worst state of its signatures; a PDF without any, or unreadable, is not valid."""
        if self.problem or not self.signatures:
            return State.INVALID
        states = {s.state for s in self.signatures}
        for state in (State.INVALID, State.UNVERIFIED):
            if state in states:
                return state
        return State.VALID

    @property
    def is_valid(self):
        """Only a trusted, intact, unchanged signature is "hợp lệ"."""
        return self.state == State.VALID

    @property
    def unchanged(self):
        """Every signature intact and nothing changed since, whether or not the signer is verified."""
        return self.state in (State.VALID, State.UNVERIFIED)

    @property
    def headline(self):
        return State.HEADLINES[self.state]

    @property
    def trust_problems(self):
        return sorted({s.trust_problem for s in self.signatures if s.trust_problem})

    def as_json(self):
        return {"signatures": [asdict(s) for s in self.signatures], "problem": self.problem}

    @classmethod
    def from_json(cls, data):
        known = {f.name for f in fields_of(SignatureCheck)}
        return cls(
            [SignatureCheck(**{k: v for k, v in s.items() if k in known}) for s in data.get("signatures", [])],
            data.get("problem", ""),
        )


class _WarningWithoutTraceback(logging.Filter):
    """pyHanko logs an untrusted or self-signed certificate as a warning with the whole traceback of
    the failed path search: an expected outcome here, so one line is enough."""

    def filter(self, record):
        record.exc_info = record.exc_text = None
        return True


# Likewise pyHanko's difference analysis, which logs what it found suspicious with a traceback.
for _name in ("pyhanko.sign.validation.generic_cms", "pyhanko.sign.diff_analysis.policies"):
    logging.getLogger(_name).addFilter(_WarningWithoutTraceback())


def trust_roots():
    """Certificates (PEM or DER paths in settings.SIGNING_TRUST_ROOTS) that make a signer trusted."""
    roots = []
    for path in settings.SIGNING_TRUST_ROOTS:
        try:
            roots.append(load_cert_from_pemder(str(path)))
        except (OSError, ValueError) as error:
            raise ImproperlyConfigured(f"SIGNING_TRUST_ROOTS: cannot read a certificate from {path}: {error}") from None
    return roots


def _trust_problem(status, roots, cert):
    if status.trusted:
        return ""
    if not roots:
        return TRUST_REASONS["NO_TRUST_ROOTS"]
    indication = getattr(status.trust_problem_indic, "name", "")
    if cert.self_signed in ("yes", "maybe") and indication in ("", "CHAIN_CONSTRAINTS_FAILURE"):
        return TRUST_REASONS["SELF_SIGNED"]
    return TRUST_REASONS.get(indication, UNKNOWN_TRUST_REASON)


def _check(embedded, roots, at=None):
    check = SignatureCheck(field=embedded.field_name or "")
    try:
        cert = embedded.signer_cert
        check.signer = cert.subject.native.get("common_name", "") or cert.subject.human_friendly
        context = ValidationContext(trust_roots=roots, allow_fetching=False, moment=at)
        status = outside_event_loop(validate_pdf_signature, embedded, context)
    except Exception as error:  # a broken signature is a result to show, not a crash
        check.problem = f"{type(error).__name__}: {error}"
        return check, None
    check.intact, check.valid = bool(status.intact), bool(status.valid)
    check.trusted = bool(status.trusted) if roots else None
    check.trust_problem = _trust_problem(status, roots, cert)
    if status.signer_reported_dt:
        check.signed_at = timezone.localtime(status.signer_reported_dt).isoformat()
    check.added_after = status.coverage != SignatureCoverageLevel.ENTIRE_FILE
    return check, status


def _unchanged(status, this, following, reader=None):
    """Whether nothing but allowed revisions follow a signature (pyHanko's difference analysis).

    After the last signature only validation data may follow (DSS, document timestamps:
    ModificationLevel.LTA_UPDATES). An earlier signature may be followed by the next signature's
    own revision (a second signer), with only validation data between them (the first signer's
    software adding its DSS: ``_validation_data_only``), and pyHanko must see no more than form
    filling (signatures) in all of it.
    """
    if status is None or not status.intact:
        return False
    if following is None:
        return status.coverage == SignatureCoverageLevel.ENTIRE_FILE or (
            status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
            and status.modification_level is not None
            and status.modification_level <= ModificationLevel.LTA_UPDATES
        )
    between = range(this.signed_revision + 1, following.signed_revision)
    return (
        following.signed_revision > this.signed_revision
        and all(reader is not None and _validation_data_only(reader, revision) for revision in between)
        and status.modification_level is not None
        and status.modification_level <= ModificationLevel.FORM_FILLING
    )


def _signatures(reader):
    """The document's signatures (not its document timestamps), earliest first."""
    found = [sig for sig in reader.embedded_signatures if sig.sig_object_type == "/Sig"]
    return sorted(found, key=lambda sig: sig.signed_revision)


def validate_pdf(pdf_bytes, at=None):
    """Every signature of the PDF checked offline against the configured trust roots, with the
    certificates as they stood ``at`` (default: now).

    A file the portal already holds is checked as of the moment it was received
    (SignedDocument.uploaded_at): the portal witnessed that it existed then, so a certificate
    valid at that moment and expired since still signed it validly.
    """
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        embedded = _signatures(reader)
    except Exception as error:
        return ValidationResult(problem=f"{type(error).__name__}: {error}")
    roots = trust_roots()
    checks = [_check(sig, roots, at) for sig in embedded]
    for index, (check, status) in enumerate(checks):
        following = embedded[index + 1] if index + 1 < len(embedded) else None
        check.unchanged_since = _unchanged(status, embedded[index], following, reader)
    # A chain: an earlier signature counts as unchanged only if every later one does too.
    for index in range(len(checks) - 2, -1, -1):
        if not checks[index + 1][0].unchanged_since:
            checks[index][0].unchanged_since = False
    return ValidationResult([check for check, _ in checks])


def check_upload(pdf_bytes, original):
    """(validate_pdf's result, signs_original's answer) for a PDF signed elsewhere and uploaded.

    Its bytes are the original's plus what the signing software appended, and that may be anything:
    the caller runs this under portal.sandbox's limits, and checks the cheap things first."""
    return validate_pdf(pdf_bytes), signs_original(pdf_bytes, original)


def signs_original(pdf_bytes, original):
    """Whether the first signature of ``pdf_bytes`` signs exactly ``original`` plus its own update.

    The signed PDF must begin with the original's bytes unchanged, and its first signature must sit
    in the revision right after the original's last one, with a byte range that starts at 0 and
    covers the whole original; and that revision may add the signature and nothing else
    (``_only_a_signature``): so what was signed is the report as sent, and not another document
    or the report with something painted over it in the signature's own update.
    """
    if len(pdf_bytes) <= len(original) or pdf_bytes[: len(original)] != original:
        return False
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        embedded = _signatures(reader)
        original_revisions = PdfFileReader(io.BytesIO(original), strict=False).xrefs.total_revisions
        if not embedded:
            return False
        first = embedded[0]
        byte_range = list(first.byte_range or [])
        return (
            first.signed_revision == original_revisions
            and len(byte_range) == 4
            and byte_range[0] == 0
            and byte_range[1] >= len(original)
            and _only_a_signature(reader, first.signed_revision)
        )
    except Exception:
        return False


# What a signature's own update may change in the objects the document had: the catalog gains the
# form (/AcroForm) and validation data, a page gains the signature's widget in /Annots. Anything
# else it redefines (a page's content or resources, a font, an action) is refused; the document
# information and its XMP metadata, which are never drawn, may be rewritten by the signing tool.
SIGNATURE_MAY_CHANGE = {
    "catalog": {"/AcroForm", "/DSS", "/Perms", "/Extensions"},
    "page": {"/Annots"},
}
# What a revision of validation data only (a signer's software adding its DSS) may change.
VALIDATION_DATA_MAY_CHANGE = {"catalog": {"/DSS", "/Extensions"}, "page": set()}


def _same(a, b):
    """Two PDF objects equal without following their references (a reference is the same object)."""
    if isinstance(a, generic.IndirectObject) or isinstance(b, generic.IndirectObject):
        return (
            isinstance(a, generic.IndirectObject)
            and isinstance(b, generic.IndirectObject)
            and (a.idnum, a.generation) == (b.idnum, b.generation)
        )
    if isinstance(a, generic.StreamObject) or isinstance(b, generic.StreamObject):
        return False  # a stream rewritten in place: never part of a signature's update
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a.raw_get(k), b.raw_get(k)) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def _key(ref):
    return ref.idnum, ref.generation


def _pages(resolver):
    """{(id, generation): page dictionary} of one revision, walking its page tree."""
    found, stack = {}, [resolver.root.raw_get("/Pages")]
    while stack:
        ref = stack.pop()
        node = ref.get_object()
        if node.get("/Type") == "/Pages":
            stack.extend(node.raw_get("/Kids"))
        else:
            found[_key(ref)] = node
    return found


def _annotations(page):
    return {_key(ref) for ref in page.get("/Annots", []) if isinstance(ref, generic.IndirectObject)}


def _is_signature_widget(annotation):
    field = annotation if "/FT" in annotation else annotation.get("/Parent", annotation)
    actions = "/A" in annotation or "/AA" in annotation or "/AA" in field
    return annotation.get("/Subtype") == "/Widget" and field.get("/FT") == "/Sig" and not actions


def _validation_data_only(reader, revision):
    """Whether revision ``revision`` only adds validation data (the catalog's /DSS), no page,
    annotation or field changed."""
    try:
        return _changes_only(reader, revision, VALIDATION_DATA_MAY_CHANGE)
    except Exception:
        return False


def _only_a_signature(reader, revision):
    """Whether revision ``revision`` changes the document before it only as a signature does.

    The objects it redefines may be the catalog and pages, changed only as SIGNATURE_MAY_CHANGE
    says, a page's array of annotations, the document information and its XMP metadata; and every
    annotation it adds to a page is a signature field's widget without an action (its appearance
    is the visible signature, drawn where the signer placed it, as in any signed PDF).
    """
    return _changes_only(reader, revision, SIGNATURE_MAY_CHANGE)


def _changes_only(reader, revision, may_change):
    """Whether revision ``revision`` redefines no object the document had but the catalog and pages,
    within the keys ``may_change`` gives each, the document information and XMP metadata, and (when
    pages may change their /Annots) a page's array of annotations, each added one a signature's widget."""
    before, after = reader.get_historical_resolver(revision - 1), reader.get_historical_resolver(revision)
    pages_before, pages_after = _pages(before), _pages(after)
    roles = {_key(before.root_ref): "catalog", **dict.fromkeys(pages_before, "page")}
    for name, holder in (("/Info", before.trailer_view), ("/Metadata", before.root)):
        if isinstance(holder.raw_get(name) if name in holder else None, generic.IndirectObject):
            roles[_key(holder.raw_get(name))] = "unseen"
    for page in pages_before.values():
        if isinstance(page.raw_get("/Annots") if "/Annots" in page else None, generic.IndirectObject):
            roles[_key(page.raw_get("/Annots"))] = "annotations"
    annotations_may_change = "/Annots" in may_change["page"]
    for ref in reader.xrefs.explicit_refs_in_revision(revision):
        role = roles.get(_key(ref))
        if reader.xrefs.get_introducing_revision(ref) == revision or role == "unseen":
            continue  # new objects are reached only through what is checked here
        if role == "annotations" and annotations_may_change:
            continue  # checked with the pages below
        if role not in may_change:
            return False
        old, new = before.get_object(ref), after.get_object(ref)
        kept = (set(old) | set(new)) - may_change[role]
        if not all(k in old and k in new and _same(old.raw_get(k), new.raw_get(k)) for k in kept):
            return False
    if set(pages_after) != set(pages_before):
        return False
    for key, page in pages_after.items():
        added = _annotations(page) - _annotations(pages_before[key])
        if not all(_is_signature_widget(after.get_object(generic.Reference(*ref))) for ref in added):
            return False
    return True


__all__ = [
    "SigningError",
    "State",
    "WrongPassword",
    "sign_pdf",
    "check_upload",
    "signs_original",
    "validate_pdf",
    "find_signer_block",
    "rescale_font",
]
