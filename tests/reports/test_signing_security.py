"""Issue 10, findings 2, 3, 4 and the signing half of 8: what a signed PDF is, and what it is called.

- Finding 3: the portal keeps the exact PDF sent; downloads give those bytes; a signed PDF is accepted
  only when its signed revision is those bytes plus the signature's own update.
- Finding 2: anything but validation data after the last signature makes the file "changed".
- Finding 4: three states; only a trusted, intact, unchanged signature is called "Hợp lệ".
- Finding 8: an untrusted certificate gives one warning line in the log, not a traceback.
"""

import hashlib
import logging

import pytest
from django.urls import reverse

from demo import signing as demo_signing
from reports.models import SignedDocument
from reports.signing import pdf as signing
from tests.reports.signing_data import (
    LOOK_ALIKE_NAME,
    P12_PASSWORD,
    certificate_p12,
    certificate_pem,
    flipped_in_range,
    keep_sent_pdf,
    make_version,
    nothing_more,
    opens_with_javascript,
    painted_over,
    pdf_upload,
    report_pdf,
    signed_pdf,
    signed_with,
    unrelated_signed_pdf,
    with_a_note,
    with_annotation,
    with_new_signature_field,
    with_page_content_replaced,
)

NOT_THE_REPORT = "Tệp này không phải là báo cáo đã gửi"


def read(file):
    with file.open("rb") as stored:
        return stored.read()


def upload_signed(client, user, version, data):
    client.force_login(user)
    return client.post(reverse("reports:version_upload_signed", args=[version.pk]), {"file": pdf_upload(data)})


# --- finding 3: the exact bytes sent ---


def test_sending_a_report_stores_the_exact_pdf_with_its_sha256(
    client, cast, draft_x, django_capture_on_commit_callbacks
):
    client.force_login(cast.official_x)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:report_submit", args=[draft_x.pk]))
    assert response.status_code == 302
    version = draft_x.versions.get()
    assert version.pdf, "the PDF sent is stored when the report is sent"
    stored = read(version.pdf)
    assert stored.startswith(b"%PDF-") and hashlib.sha256(stored).hexdigest() == version.pdf_sha256
    assert version.pdf.name.startswith("bao-cao/")  # through the default storage, not a local path


def test_every_download_of_a_sent_version_gives_the_stored_bytes_not_a_new_rendering(client, cast, submitted_x):
    version = keep_sent_pdf(submitted_x.versions.get())
    sent = read(version.pdf)
    client.force_login(cast.staff_p)
    for url in (
        reverse("reports:version_pdf", args=[version.pk]),
        reverse("reports:report_pdf", args=[submitted_x.pk]),
    ):
        assert client.get(url).content == sent
        assert client.get(url).content == sent


def test_a_version_sent_before_pdfs_were_kept_gets_its_pdf_stored_on_first_download(client, cast, submitted_x):
    version = submitted_x.versions.get()
    assert not version.pdf  # sent before: on_commit callbacks do not run in this test
    client.force_login(cast.official_x)
    first = client.get(reverse("reports:version_pdf", args=[version.pk])).content
    version.refresh_from_db()
    assert version.pdf and read(version.pdf) == first
    assert client.get(reverse("reports:version_pdf", args=[version.pk])).content == first


def test_the_signed_copy_of_the_version_sent_is_accepted(client, cast):
    version = make_version(cast)  # sent as report_pdf(); signed_pdf() signs exactly that
    response = upload_signed(client, cast.official_x, version, signed_pdf())
    assert response.status_code == 302
    assert read(SignedDocument.objects.get(version=version).file) == signed_pdf()


def test_an_unrelated_pdf_signed_by_a_look_alike_certificate_is_refused(client, cast):
    version = make_version(cast)
    response = upload_signed(client, cast.official_x, version, unrelated_signed_pdf())
    assert response.status_code == 400
    assert NOT_THE_REPORT in response.content.decode()
    assert not SignedDocument.objects.exists()


def test_the_report_with_new_figures_painted_before_signing_is_refused(client, cast):
    """The sent bytes are there, but another revision sits between them and the signature."""
    painted = with_page_content_replaced(report_pdf())
    data = signing.sign_pdf(painted, certificate_p12(), P12_PASSWORD, organisation="UBND xã Hà Tây (TEST)")
    version = make_version(cast)
    response = upload_signed(client, cast.official_x, version, data)
    assert response.status_code == 400 and NOT_THE_REPORT in response.content.decode()
    assert not SignedDocument.objects.exists()


@pytest.mark.parametrize(
    "change", [painted_over, opens_with_javascript, with_a_note], ids=["painted", "javascript", "note"]
)
def test_a_signatures_own_update_that_changes_the_report_is_refused(client, cast, change):
    """The signature signs the sent bytes and its own update: that update may add the signature
    (its field, its visible widget) and nothing else; new page content, an action run on opening
    or a note painted over the figures would be signed as if the commune had sent them."""
    version = make_version(cast)
    assert upload_signed(client, cast.official_x, version, signed_with(nothing_more)).status_code == 302
    SignedDocument.objects.all().delete()
    response = upload_signed(client, cast.official_x, version, signed_with(change))
    assert response.status_code == 400 and NOT_THE_REPORT in response.content.decode()
    assert not SignedDocument.objects.exists()


def test_signing_in_the_portal_leaves_the_pages_as_sent_and_its_stamp_is_the_signatures_widget():
    """The portal's own stamp is the signature's appearance, as any signing tool's is: the same
    rule as for uploads holds for it."""
    assert signing.signs_original(signed_pdf(), report_pdf())


def test_a_pdf_signed_from_other_bytes_than_those_sent_is_refused(client, cast):
    """Another rendering of the same version (or another version) is not what was sent."""
    version = keep_sent_pdf(make_version(cast, with_pdf=False), report_pdf() + b"\n% another rendering\n")
    response = upload_signed(client, cast.official_x, version, signed_pdf())
    assert response.status_code == 400 and NOT_THE_REPORT in response.content.decode()


def test_signing_in_the_portal_signs_the_stored_bytes(client, cast):
    from tests.reports.signing_data import make_certificate

    make_certificate(cast.commune_x, with_images=False)
    version = make_version(cast)
    client.force_login(cast.official_x)
    client.post(reverse("reports:version_sign", args=[version.pk]), {"password": P12_PASSWORD})
    signed = read(SignedDocument.objects.get(version=version).file)
    assert signed.startswith(report_pdf()) and signing.signs_original(signed, report_pdf())


# --- findings 2 and 4: three states ---


@pytest.fixture
def other_root(settings, tmp_path):
    """A trusted root that did not issue the test certificate."""
    root = tmp_path / "other-root.pem"
    root.write_bytes(certificate_pem(demo_signing.make_test_p12("CA khác (TEST)", "CA khác", P12_PASSWORD)))
    settings.SIGNING_TRUST_ROOTS = [root]
    return root


CHANGED = {
    "a byte flipped in the first signed range": lambda: flipped_in_range(signed_pdf(), 0),
    "a byte flipped in the second signed range": lambda: flipped_in_range(signed_pdf(), 1),
    "an annotation added after signing": lambda: with_annotation(signed_pdf()),
    "page content replaced after signing": lambda: with_page_content_replaced(signed_pdf()),
    "a new signature field with an appearance": lambda: with_new_signature_field(signed_pdf()),
}


@pytest.mark.parametrize("case", CHANGED)
def test_a_file_changed_after_signing_is_invalid_even_with_a_trusted_signer(case, trusted_root):
    result = signing.validate_pdf(CHANGED[case]())
    assert result.state == signing.State.INVALID and not result.is_valid and not result.unchanged
    assert result.headline == "Không hợp lệ"


@pytest.mark.parametrize("case", ["an annotation", "page content", "a new signature field"])
def test_the_signature_itself_stays_intact_but_the_change_after_it_is_seen(case, trusted_root):
    data = {
        "an annotation": with_annotation,
        "page content": with_page_content_replaced,
        "a new signature field": with_new_signature_field,
    }[case](signed_pdf())
    check = signing.validate_pdf(data).signatures[0]
    assert check.intact and check.valid and check.trusted and check.added_after
    assert not check.unchanged_since


def test_a_second_signature_after_the_first_signers_validation_data_leaves_both_unchanged(trusted_root):
    """Seed 004's two signers: the first one's software adds its validation data (a DSS revision)
    before the second signs. That revision is not a change of the report; a revision that adds a
    note between the two is."""
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    first = signed_with(nothing_more)
    signature = PdfFileReader(io.BytesIO(first), strict=False).embedded_signatures[0]
    buffer = io.BytesIO(first)
    signer = signing.signer_from_pkcs12(certificate_p12(), P12_PASSWORD)
    DocumentSecurityStore.add_dss(buffer, signature.sig_object["/Contents"], certs=[signer.signing_cert])
    both = signed_with(nothing_more, pdf_bytes=buffer.getvalue(), field="ChuKy2")
    result = signing.validate_pdf(both)
    assert [check.unchanged_since for check in result.signatures] == [True, True] and result.state == "valid"
    annotated = signed_with(nothing_more, pdf_bytes=with_annotation(first), field="ChuKy2")
    assert [check.unchanged_since for check in signing.validate_pdf(annotated).signatures] == [False, True]


def test_an_untouched_file_with_a_trusted_signer_is_valid(trusted_root):
    result = signing.validate_pdf(signed_pdf())
    assert result.state == signing.State.VALID and result.is_valid and result.headline == "Hợp lệ"


def test_without_trust_roots_the_signer_is_not_verified_and_the_page_says_why(settings):
    settings.SIGNING_TRUST_ROOTS = []
    result = signing.validate_pdf(signed_pdf())
    assert result.state == signing.State.UNVERIFIED and result.unchanged and not result.is_valid
    assert result.trust_problems == [signing.TRUST_REASONS["NO_TRUST_ROOTS"]]


def test_a_self_signed_certificate_outside_the_trust_roots_is_not_verified(other_root):
    result = signing.validate_pdf(signed_pdf())
    assert result.state == signing.State.UNVERIFIED
    assert result.signatures[0].trusted is False
    assert result.trust_problems == [signing.TRUST_REASONS["SELF_SIGNED"]]


def test_a_look_alike_certificate_named_like_the_committee_is_never_valid(trusted_root):
    result = signing.validate_pdf(unrelated_signed_pdf())
    assert result.signatures[0].signer == LOOK_ALIKE_NAME
    assert result.state == signing.State.UNVERIFIED and "tự ký" in result.trust_problems[0]


def page_of(client, user, version):
    client.force_login(user)
    return client.get(reverse("reports:version_signatures", args=[version.pk])).content.decode()


@pytest.mark.parametrize(
    ("roots", "data", "state"),
    [
        (True, signed_pdf, "valid"),
        (False, signed_pdf, "unverified"),
        (True, lambda: with_new_signature_field(signed_pdf()), "invalid"),
    ],
)
def test_only_a_valid_signature_is_called_hop_le_on_the_signatures_and_report_pages(
    client, cast, request, roots, data, state
):
    if roots:
        request.getfixturevalue("trusted_root")
    version = make_version(cast)
    assert upload_signed(client, cast.official_x, version, data()).status_code == 302
    for html in (
        page_of(client, cast.staff_p, version),
        client.get(reverse("reports:report_detail", args=[version.report_id])).content.decode(),
    ):
        assert f'data-check="{state}"' in html
        assert ("Hợp lệ" in html) == (state == "valid")
        assert ("Chưa xác minh được người ký" in html or "chưa xác minh được người ký" in html) == (
            state == "unverified"
        )


def test_the_upload_message_says_why_the_signer_is_not_verified(client, cast):
    version = make_version(cast)
    response = upload_signed(client, cast.official_x, version, signed_pdf())
    message = " ".join(str(m) for m in response.wsgi_request._messages)
    assert "chưa xác minh được người ký" in message and "chưa được cấu hình" in message
    assert "hợp lệ" not in message.lower()


# --- finding 8: one line in the log ---


def test_a_self_signed_certificate_logs_one_warning_line_without_a_traceback(caplog, other_root):
    with caplog.at_level(logging.WARNING):
        signing.validate_pdf(signed_pdf())
        signing.validate_pdf(with_new_signature_field(signed_pdf()))
    records = [r for r in caplog.records if r.name.startswith("pyhanko")]
    assert records and all(r.exc_info is None and "\n" not in r.getMessage() for r in records)
    assert "Traceback" not in caplog.text


def test_signing_with_a_self_signed_certificate_logs_no_traceback(client, cast, caplog):
    from tests.reports.signing_data import make_certificate

    make_certificate(cast.commune_x, with_images=False)
    version = make_version(cast)
    client.force_login(cast.official_x)
    with caplog.at_level(logging.WARNING):
        client.post(reverse("reports:version_sign", args=[version.pk]), {"password": P12_PASSWORD})
    assert SignedDocument.objects.filter(version=version).exists()
    assert "Traceback" not in caplog.text


def with_xref_bomb(pdf_bytes, inflated=40 * 1024 * 1024):
    """``pdf_bytes`` plus an incremental update whose cross-reference stream inflates to ``inflated``
    bytes of zeros: the attacker's sweep held pyHanko 99 s and 2.7 GB with a 97 KB file like it."""
    import re
    import zlib

    previous = int(re.findall(rb"startxref\s+(\d+)", pdf_bytes)[-1])
    stream = zlib.compress(b"\0" * inflated, 9)
    offset = len(pdf_bytes)
    update = b"99 0 obj\n<</Type/XRef/Size %d/W[1 4 2]/Root 1 0 R/Prev %d/Filter/FlateDecode/Length %d>>\nstream\n" % (
        inflated // 7,
        previous,
        len(stream),
    )
    return pdf_bytes + update + stream + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % offset


def test_a_signed_pdf_that_costs_too_much_to_read_is_refused_and_the_server_carries_on(client, cast):
    import resource
    import time

    version = make_version(cast)
    bomb = with_xref_bomb(report_pdf())
    assert len(bomb) - len(report_pdf()) < 100_000
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    response = upload_signed(client, cast.official_x, version, bomb)
    seconds = time.monotonic() - started
    assert response.status_code == 400
    assert "đọc tệp cần quá nhiều bộ nhớ hoặc thời gian" in response.content.decode()
    assert seconds < 15, f"{seconds:.1f} s"
    # The parsing ran in a child process: this one did not grow by the hundreds of MB it took.
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100 * 1024
    assert not SignedDocument.objects.exists()
    # The same worker then accepts the real signed copy.
    assert upload_signed(client, cast.official_x, version, signed_pdf()).status_code == 302


def test_only_the_report_as_sent_with_something_appended_is_parsed_at_all(client, cast, monkeypatch):
    def must_not_run(*args):
        raise AssertionError("parsed")

    monkeypatch.setattr(signing, "check_upload", must_not_run)
    version = make_version(cast)
    response = upload_signed(client, cast.official_x, version, with_xref_bomb(unrelated_signed_pdf()))
    assert response.status_code == 400 and NOT_THE_REPORT in response.content.decode()
    response = upload_signed(client, cast.official_x, version, report_pdf())
    assert response.status_code == 400 and "không có chữ ký số" in response.content.decode()
