"""manage.py recheck_signatures: stored signed PDFs checked again against today's trust roots."""

import datetime
import hashlib
from io import StringIO

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
from cryptography.x509.oid import NameOID
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from reports.models import SignedDocument
from reports.signing import pdf as signing
from tests.reports.signing_data import (
    P12_PASSWORD,
    SIGNER_NAME,
    make_version,
    pdf_upload,
    report_pdf,
    signed_pdf,
)


def recheck(*args):
    out, err = StringIO(), StringIO()
    call_command("recheck_signatures", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def uploaded(client, cast):
    """A PDF signed with the test certificate, uploaded while no trust roots were configured."""
    version = make_version(cast)
    client.force_login(cast.official_x)
    client.post(reverse("reports:version_upload_signed", args=[version.pk]), {"file": pdf_upload(signed_pdf())})
    document = SignedDocument.objects.get(version=version)
    assert document.validation["signatures"][0]["trusted"] is None
    return document


def test_after_a_root_is_added_the_signature_shows_as_trusted(client, cast, uploaded, trusted_root):
    out, _ = recheck()
    assert "Xã Hà Tây, lần gửi 1" in out
    assert "Chưa xác minh được người ký (cổng chưa được cấu hình danh sách chứng thư gốc tin cậy" in out
    assert out.split("\n")[0].endswith("→ Hợp lệ")
    assert "Đã kiểm tra lại 1 tệp; đã cập nhật kết quả của 1 tệp." in out
    uploaded.refresh_from_db()
    assert uploaded.validation["signatures"][0]["trusted"] is True
    page = client.get(reverse("reports:version_signatures", args=[uploaded.version_id])).content.decode()
    assert 'data-check="trusted"' in page and 'data-check="valid"' in page
    assert "đã cập nhật kết quả của 0 tệp" in recheck()[0]  # running it again changes nothing


def test_a_dry_run_says_what_would_change_and_writes_nothing(uploaded, trusted_root):
    out, _ = recheck("--dry-run")
    assert "→ Hợp lệ" in out and "sẽ đổi kết quả của 1 tệp" in out
    uploaded.refresh_from_db()
    assert uploaded.validation["signatures"][0]["trusted"] is None


def test_a_file_changed_on_disk_is_reported_and_its_result_kept(uploaded, trusted_root):
    with open(uploaded.file.path, "r+b") as stored:
        stored.seek(-20, 2)
        stored.write(b"0")
    out, err = recheck()
    assert "tệp trên đĩa khác tệp đã nhận" in err and "Đã kiểm tra lại 0 tệp" in out
    uploaded.refresh_from_db()
    assert uploaded.validation["signatures"][0]["trusted"] is None


def test_a_file_missing_from_the_store_is_reported_and_the_others_are_still_rechecked(
    client, cast, uploaded, trusted_root
):
    """One stored file gone (a restore without it): the command says which, and still saves the
    new results of the others, instead of stopping and undoing them."""
    other = make_version(cast, commune=cast.commune_y)
    client.force_login(cast.official_y)
    with override_settings(SIGNING_TRUST_ROOTS=[]):  # also uploaded before the root was added
        client.post(reverse("reports:version_upload_signed", args=[other.pk]), {"file": pdf_upload(signed_pdf())})
    kept = SignedDocument.objects.get(version=other)
    assert kept.validation["signatures"][0]["trusted"] is None
    uploaded.file.storage.delete(uploaded.file.name)
    out, err = recheck()
    assert "Xã Hà Tây, lần gửi 1" in err and "không đọc được tệp đã lưu" in err
    assert "Đã kiểm tra lại 1 tệp; đã cập nhật kết quả của 1 tệp." in out
    kept.refresh_from_db()
    assert kept.validation["signatures"][0]["trusted"] is True


def issued_by_a_root(valid_from, days):
    """A root certificate (PEM) and a certificate it issued to the commune, valid for ``days`` from
    ``valid_from``, with its key in a PKCS#12 file (password P12_PASSWORD): the shape of a real
    signer's certificate, whose validity counts (a root's own dates do not)."""

    def name(common_name):
        return x509.Name(
            [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"), x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
        )

    root_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    now = timezone.now()
    root = (
        x509.CertificateBuilder()
        .subject_name(name("CA thử nghiệm (TEST)"))
        .issuer_name(name("CA thử nghiệm (TEST)"))
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=400))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    issued = (
        x509.CertificateBuilder()
        .subject_name(name(SIGNER_NAME))
        .issuer_name(root.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(valid_from)
        .not_valid_after(valid_from + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    password = BestAvailableEncryption(P12_PASSWORD.encode())
    p12 = pkcs12.serialize_key_and_certificates(b"xa", key, issued, [root], password)
    return root.public_bytes(serialization.Encoding.PEM), p12


def test_a_certificate_expired_since_the_file_was_received_still_signed_it_validly(cast, settings, tmp_path):
    """A signature is judged as of the moment the portal received the file, which the portal itself
    witnessed: a certificate valid then and expired since (they run one to three years) does not
    turn a signed report into "hết hạn" when the signatures are checked again later."""
    now = timezone.now()
    root_pem, p12 = issued_by_a_root(now - datetime.timedelta(days=10), days=9)  # until yesterday
    data = signing.sign_pdf(report_pdf(), p12, P12_PASSWORD, organisation=SIGNER_NAME)
    root = tmp_path / "root.pem"
    root.write_bytes(root_pem)
    settings.SIGNING_TRUST_ROOTS = [root]
    received = now - datetime.timedelta(days=5)
    assert signing.validate_pdf(data).trust_problems == [signing.TRUST_REASONS["OUT_OF_BOUNDS_NO_POE"]]  # as of today
    document = SignedDocument(
        version=make_version(cast),
        kind=SignedDocument.Kind.EXTERNAL,
        original_name="bao-cao-da-ky.pdf",
        content_type="application/pdf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_at=received,
        validation=signing.validate_pdf(data, at=received).as_json(),
    )
    document.file.save("bao-cao-da-ky.pdf", ContentFile(data), save=False)
    document.save()
    assert signing.ValidationResult.from_json(document.validation).headline == "Hợp lệ"

    out, _ = recheck()
    assert "đã cập nhật kết quả của 0 tệp" in out
    document.refresh_from_db()
    assert signing.ValidationResult.from_json(document.validation).headline == "Hợp lệ"
