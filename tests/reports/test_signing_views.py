"""The signatures page of a report version: scans, PDFs signed elsewhere, signing in the portal."""

import datetime
import io

import pdfplumber
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from demo import signing as demo_signing
from reports.models import Report, SignedDocument
from reports.signing import pdf as signing
from tests.reports.signing_data import (
    P12_PASSWORD,
    SIGNER_NAME,
    make_certificate,
    make_version,
    pdf_upload,
    png_upload,
    printed,
    report_pdf,
    signed_pdf,
    tampered,
    with_annotation,
)


@pytest.fixture
def version(cast):
    return make_version(cast)


@pytest.fixture
def certificate(cast):
    return make_certificate(cast.commune_x)


def page_url(version):
    return reverse("reports:version_signatures", args=[version.pk])


def post(client, user, name, version, data):
    client.force_login(user)
    return client.post(reverse(name, args=[version.pk]), data)


def stored_bytes(document_or_file):
    file = getattr(document_or_file, "file", document_or_file)
    with file.open("rb") as stored:
        return stored.read()


# --- the page ---


def test_the_commune_official_sees_the_three_ways_to_sign(client, cast, version, certificate):
    client.force_login(cast.official_x)
    response = client.get(page_url(version))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ký số trên cổng" in html and "Tải lên tệp PDF đã ký số" in html and "Tải lên bản quét" in html
    assert certificate.common_name in html


def test_department_staff_see_the_signed_documents_but_no_forms(client, cast, version):
    SignedDocument.objects.all().delete()
    client.force_login(cast.official_x)
    client.post(reverse("reports:version_upload_scan", args=[version.pk]), {"file": png_upload()})
    client.force_login(cast.staff_p)
    html = client.get(page_url(version)).content.decode()
    assert "ban-quet.png" in html
    assert "Tải lên bản quét" not in html and "Ký số trên cổng" not in html


def test_the_page_makes_the_same_few_queries_however_many_documents(
    client, cast, version, django_assert_max_num_queries
):
    """The documents and their uploaders come in one query, so the page stays cheap as they pile up."""
    client.force_login(cast.official_x)
    for _ in range(5):
        client.post(reverse("reports:version_upload_scan", args=[version.pk]), {"file": png_upload()})
    with django_assert_max_num_queries(8):
        response = client.get(page_url(version))
    assert response.content.decode().count("data-document=") == 5


# --- scans ---


def test_an_official_uploads_a_scanned_image_stored_unchanged(client, cast, version):
    response = post(client, cast.official_x, "reports:version_upload_scan", version, {"file": png_upload()})
    assert response.status_code == 302
    document = SignedDocument.objects.get(version=version)
    assert document.kind == SignedDocument.Kind.SCAN and document.uploaded_by == cast.official_x
    assert stored_bytes(document) == demo_signing.signature_png()
    assert document.content_type == "image/png" and document.validation == {}


def test_a_scanned_pdf_is_accepted_too(client, cast, version):
    response = post(client, cast.official_x, "reports:version_upload_scan", version, {"file": pdf_upload(report_pdf())})
    assert response.status_code == 302
    assert stored_bytes(SignedDocument.objects.get(version=version)) == report_pdf()


def test_a_file_that_is_neither_pdf_nor_image_is_refused(client, cast, version):
    upload = SimpleUploadedFile("bao-cao.docx", b"PK\x03\x04 not a scan", content_type="application/octet-stream")
    response = post(client, cast.official_x, "reports:version_upload_scan", version, {"file": upload})
    assert response.status_code == 400
    assert "Chỉ nhận tệp PDF hoặc ảnh PNG, JPEG." in response.content.decode()
    assert not SignedDocument.objects.exists()


def test_an_upload_over_the_size_limit_is_refused(client, cast, version, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    response = post(client, cast.official_x, "reports:version_upload_scan", version, {"file": png_upload()})
    assert response.status_code == 400
    assert "Tệp quá lớn" in response.content.decode()
    assert not SignedDocument.objects.exists()


def test_uploading_a_scan_by_get_is_not_allowed(client, cast, version):
    client.force_login(cast.official_x)
    assert client.get(reverse("reports:version_upload_scan", args=[version.pk])).status_code == 405


def test_another_communes_official_cannot_upload_to_this_version(client, cast, version):
    response = post(client, cast.official_y, "reports:version_upload_scan", version, {"file": png_upload()})
    assert response.status_code == 404
    assert not SignedDocument.objects.exists()


def test_department_staff_may_not_upload_a_scan(client, cast, version):
    response = post(client, cast.staff_p, "reports:version_upload_scan", version, {"file": png_upload()})
    assert response.status_code == 403
    assert not SignedDocument.objects.exists()


# --- PDFs signed elsewhere ---


def test_a_signed_upload_without_trust_roots_is_unchanged_but_never_called_valid(client, cast, version):
    response = post(
        client, cast.official_x, "reports:version_upload_signed", version, {"file": pdf_upload(signed_pdf())}
    )
    assert response.status_code == 302
    document = SignedDocument.objects.get(version=version)
    assert document.kind == SignedDocument.Kind.EXTERNAL and stored_bytes(document) == signed_pdf()
    html = client.get(page_url(version)).content.decode()
    assert SIGNER_NAME in html
    assert 'data-check="unverified"' in html and 'data-check="unchanged"' in html
    # No trust roots are configured in tests, and the page says so rather than calling it valid.
    assert 'data-check="trust-unknown"' in html and "chưa được cấu hình danh sách chứng thư gốc" in html
    assert 'data-check="valid"' not in html and 'data-check="trusted"' not in html and "Hợp lệ" not in html


def test_an_upload_changed_after_signing_is_stored_and_shown_as_changed(client, cast, version, trusted_root):
    data = with_annotation(signed_pdf())
    response = post(client, cast.official_x, "reports:version_upload_signed", version, {"file": pdf_upload(data)})
    assert response.status_code == 302
    assert stored_bytes(SignedDocument.objects.get(version=version)) == data
    html = client.get(page_url(version)).content.decode()
    assert "Tài liệu đã bị thay đổi sau khi ký" in html and 'data-check="invalid"' in html
    assert 'data-check="valid"' not in html and "Hợp lệ" not in html


def test_a_file_changed_before_its_signature_is_not_the_report_sent(client, cast, version):
    data = tampered(signed_pdf())  # one byte of the report's own content differs
    response = post(client, cast.official_x, "reports:version_upload_signed", version, {"file": pdf_upload(data)})
    assert response.status_code == 400
    assert "Tệp này không phải là báo cáo đã gửi" in response.content.decode()
    assert not SignedDocument.objects.exists()


def test_a_pdf_without_a_signature_is_refused_with_a_hint(client, cast, version):
    response = post(
        client, cast.official_x, "reports:version_upload_signed", version, {"file": pdf_upload(report_pdf())}
    )
    assert response.status_code == 400
    assert "không có chữ ký số" in response.content.decode()
    assert not SignedDocument.objects.exists()


def test_a_non_pdf_is_refused_as_a_signed_pdf(client, cast, version):
    response = post(client, cast.official_x, "reports:version_upload_signed", version, {"file": png_upload()})
    assert response.status_code == 400
    assert "Tệp này không phải PDF." in response.content.decode()


def test_department_staff_may_not_upload_a_signed_pdf(client, cast, version):
    response = post(client, cast.staff_p, "reports:version_upload_signed", version, {"file": pdf_upload(signed_pdf())})
    assert response.status_code == 403


# --- signing in the portal ---


def test_an_official_signs_in_the_portal_and_the_signed_pdf_validates(client, cast, version, certificate):
    response = post(client, cast.official_x, "reports:version_sign", version, {"password": P12_PASSWORD})
    assert response.status_code == 302
    document = SignedDocument.objects.get(version=version)
    assert document.kind == SignedDocument.Kind.PORTAL
    data = stored_bytes(document)
    result = signing.validate_pdf(data)
    assert result.unchanged and result.signatures[0].signer == SIGNER_NAME
    with pdfplumber.open(io.BytesIO(printed(data))) as pdf:
        text = pdf.pages[-1].extract_text()
    assert certificate.organisation in text and "+07:00" in text
    assert P12_PASSWORD.encode() not in data
    html = client.get(page_url(version)).content.decode()
    assert 'data-check="unverified"' in html  # no trust roots in tests


def test_signing_in_the_portal_reads_the_version_and_its_place_in_one_query(
    client, cast, version, certificate, django_assert_max_num_queries
):
    """Session, user, the version with its report, commune and province (the stamp's place), whether
    a later version exists (only the last is signed), the certificate, and the stored document: the
    province is not fetched on its own."""
    client.force_login(cast.official_x)
    with django_assert_max_num_queries(6):
        response = client.post(reverse("reports:version_sign", args=[version.pk]), {"password": P12_PASSWORD})
    assert response.status_code == 302
    assert SignedDocument.objects.filter(version=version).count() == 1


def test_signing_a_version_sent_before_pdfs_were_kept_renders_stores_and_signs_that_pdf(client, cast, certificate):
    version = make_version(cast, with_pdf=False)
    response = post(client, cast.official_x, "reports:version_sign", version, {"password": P12_PASSWORD})
    assert response.status_code == 302
    version.refresh_from_db()
    sent = stored_bytes(version.pdf)
    signed = stored_bytes(SignedDocument.objects.get(version=version))
    assert signed.startswith(sent) and signing.signs_original(signed, sent)
    assert signing.validate_pdf(signed).unchanged


def test_a_wrong_certificate_password_is_refused_and_nothing_is_stored(client, cast, version, certificate):
    response = post(client, cast.official_x, "reports:version_sign", version, {"password": "sai-mat-khau"})
    assert response.status_code == 400
    assert "Mật khẩu chứng thư số không đúng" in response.content.decode()
    assert not SignedDocument.objects.exists()


def test_five_wrong_passwords_in_a_row_pause_signing_with_the_certificate(
    client, cast, version, certificate, time_machine
):
    """The password is all that stands between an official of the commune and its key: it cannot be
    guessed at 26 tries a second. Five wrong in a row pause signing for 15 minutes, whoever typed
    them, the right password included; a right one before that starts the count again."""
    time_machine.move_to(timezone.now(), tick=False)
    wrong = {"password": "sai-mat-khau"}
    for left in (4, 3):
        page = post(client, cast.official_x, "reports:version_sign", version, wrong).content.decode()
        assert f"Còn {left} lần thử" in page
    certificate.refresh_from_db()
    assert certificate.wrong_passwords == 2
    assert post(client, cast.official_x, "reports:version_sign", version, {"password": P12_PASSWORD}).status_code == 302
    certificate.refresh_from_db()
    assert certificate.wrong_passwords == 0
    SignedDocument.objects.all().delete()
    for _ in range(4):
        post(client, cast.official_x, "reports:version_sign", version, wrong)
    page = post(client, cast.admin, "reports:version_sign", version, wrong).content.decode()  # the fifth, by anyone
    assert "Đã nhập sai mật khẩu 5 lần liên tiếp" in page and "tạm khóa đến" in page
    response = post(client, cast.official_x, "reports:version_sign", version, {"password": P12_PASSWORD})
    assert response.status_code == 429 and "tạm khóa đến" in response.content.decode()
    assert not SignedDocument.objects.exists()
    time_machine.move_to(timezone.now() + datetime.timedelta(minutes=16), tick=False)
    assert post(client, cast.official_x, "reports:version_sign", version, {"password": P12_PASSWORD}).status_code == 302


def test_a_signing_failure_is_shown_on_the_form_and_nothing_is_stored(client, cast, version, certificate, monkeypatch):
    def refuse(*args, **kwargs):
        raise signing.SigningError("The signer's key cannot sign this document")

    monkeypatch.setattr("reports.signing.pdf.sign_pdf", refuse)
    response = post(client, cast.official_x, "reports:version_sign", version, {"password": P12_PASSWORD})
    assert response.status_code == 400
    assert "Không ký số được báo cáo bằng chứng thư số này. Chưa ký, chưa lưu gì" in response.content.decode()
    assert not SignedDocument.objects.exists()


def test_without_a_certificate_the_official_is_told_to_ask_the_administrator(client, cast, version):
    response = post(client, cast.official_x, "reports:version_sign", version, {"password": P12_PASSWORD})
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("chưa có chứng thư số" in m for m in messages)
    assert not SignedDocument.objects.exists()


def test_department_staff_may_not_sign_in_the_portal(client, cast, version, certificate):
    response = post(client, cast.staff_p, "reports:version_sign", version, {"password": P12_PASSWORD})
    assert response.status_code == 403
    assert not SignedDocument.objects.exists()


def test_another_communes_official_cannot_sign_this_version(client, cast, version, certificate):
    response = post(client, cast.official_y, "reports:version_sign", version, {"password": P12_PASSWORD})
    assert response.status_code == 404


def test_signing_by_get_is_not_allowed(client, cast, version):
    client.force_login(cast.official_x)
    assert client.get(reverse("reports:version_sign", args=[version.pk])).status_code == 405


# --- which version may be signed ---

UPLOADS = [
    ("reports:version_upload_scan", lambda: {"file": png_upload()}),
    ("reports:version_upload_signed", lambda: {"file": pdf_upload(signed_pdf())}),
    ("reports:version_sign", lambda: {"password": P12_PASSWORD}),
]


def refusal(response):
    assert response.status_code == 302
    return " ".join(str(m) for m in response.wsgi_request._messages)


@pytest.mark.parametrize(("name", "data"), UPLOADS)
def test_a_version_sent_again_since_is_refused_and_nothing_is_stored(client, cast, version, certificate, name, data):
    make_version(cast)  # the commune sent its report again: this is now the last version
    response = post(client, cast.official_x, name, version, data())
    assert "chỉ ký bản gửi gần nhất" in refusal(response)
    assert response["Location"] == page_url(version)
    assert not SignedDocument.objects.exists()


@pytest.mark.parametrize(("name", "data"), UPLOADS)
def test_the_version_of_a_returned_report_is_refused_and_nothing_is_stored(
    client, cast, version, certificate, name, data
):
    Report.objects.filter(pk=version.report_id).update(status=Report.Status.RETURNED)
    response = post(client, cast.official_x, name, version, data())
    assert "đang được xã chỉnh sửa" in refusal(response)
    assert not SignedDocument.objects.exists()


def test_an_accepted_reports_last_version_can_still_be_signed(client, cast, version):
    Report.objects.filter(pk=version.report_id).update(status=Report.Status.ACCEPTED)
    response = post(client, cast.official_x, "reports:version_upload_scan", version, {"file": png_upload()})
    assert response.status_code == 302
    assert SignedDocument.objects.filter(version=version).count() == 1


def test_the_page_of_a_version_sent_again_since_shows_why_and_no_forms(client, cast, version, certificate):
    make_version(cast)
    client.force_login(cast.official_x)
    html = client.get(page_url(version)).content.decode()
    assert "chỉ ký bản gửi gần nhất" in html
    assert "Tải lên bản quét" not in html and "Ký số trên cổng</h2>" not in html


# --- downloads ---


def test_department_staff_download_the_file_exactly_as_stored(client, cast, version):
    post(client, cast.official_x, "reports:version_upload_signed", version, {"file": pdf_upload(signed_pdf())})
    document = SignedDocument.objects.get(version=version)
    client.force_login(cast.staff_p)
    response = client.get(reverse("reports:signed_document_download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == signed_pdf()
    assert "bao-cao-da-ky.pdf" in response["Content-Disposition"]


def test_another_province_cannot_download(client, cast, version):
    post(client, cast.official_x, "reports:version_upload_scan", version, {"file": png_upload()})
    client.force_login(cast.staff_q)
    document = SignedDocument.objects.get()
    assert client.get(reverse("reports:signed_document_download", args=[document.pk])).status_code == 404
