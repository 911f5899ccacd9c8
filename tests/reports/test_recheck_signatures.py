"""manage.py recheck_signatures: stored signed PDFs checked again against today's trust roots."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from reports.models import SignedDocument
from tests.reports.signing_data import make_version, pdf_upload, signed_pdf


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
