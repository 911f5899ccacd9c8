"""Uploaded files on an S3-compatible store (moto's server on the loopback), served only through scoped views."""

import io
import os
import subprocess
import sys

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from exports.jobs import build_export
from exports.models import Export
from teams.models import ActivityPhoto, Decision
from tests.exports import helpers
from tests.service.s3 import create_bucket, moto_server, s3_storages
from tests.service.test_backup import backup_with_a_file_pruned_meanwhile
from tests.teams.test_activity_views import form_data, image
from tests.teams.test_decisions import decision_data


@pytest.fixture(scope="session")
def s3_endpoint():
    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture
def s3(settings, s3_endpoint):
    client, bucket = create_bucket(s3_endpoint)
    settings.STORAGES = s3_storages(s3_endpoint, bucket)
    return client, bucket


def _keys(client, bucket):
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", []))


def test_the_settings_choose_s3_when_a_bucket_is_named():
    code = "from django.conf import settings; print(settings.STORAGES['default']['BACKEND'])"
    env = {"S3_BUCKET": "cnscd", "S3_ENDPOINT_URL": "http://127.0.0.1:9", "DJANGO_SETTINGS_MODULE": "portal.settings"}
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "storages.backends.s3.S3Storage"


def test_a_decision_and_photos_round_trip_through_the_store_and_stay_scoped(client, cast, s3):
    s3_client, bucket = s3
    assert default_storage.__class__.__name__ == "S3Storage"
    pdf_bytes = b"%PDF-1.7\nQuyet dinh thanh lap to cong nghe so"
    client.force_login(cast.official_x)
    pdf = SimpleUploadedFile("qd.pdf", pdf_bytes, content_type="application/pdf")
    response = client.post(reverse("teams:decision_add", args=[cast.commune_x.pk]), decision_data(cast, pdf))
    assert response.status_code == 302
    client.force_login(cast.lead_x)
    url = reverse("teams:activity_edit", args=[cast.activity_x.pk])
    assert client.post(url, form_data(photos=[image("a.jpg"), image("b.png", "PNG")])).status_code == 302

    decision = Decision.objects.get()
    photos = list(ActivityPhoto.objects.filter(activity=cast.activity_x))
    keys = _keys(s3_client, bucket)
    assert decision.file.name in keys and all(photo.image.name in keys for photo in photos) and len(keys) == 3
    stored = s3_client.get_object(Bucket=bucket, Key=decision.file.name)["Body"].read()
    assert stored == pdf_bytes

    client.force_login(cast.official_x)
    served = client.get(reverse("teams:decision_file", args=[decision.pk]))
    assert served.status_code == 200 and b"".join(served.streaming_content) == pdf_bytes
    photo = client.get(reverse("teams:activity_photo", args=[photos[0].pk]))
    assert photo.status_code == 200
    assert Image.open(io.BytesIO(b"".join(photo.streaming_content))).size == (8, 8)
    assert bucket not in served.get("Location", "") and "X-Amz" not in str(served.headers)

    client.force_login(cast.official_y)  # another commune
    assert client.get(reverse("teams:decision_file", args=[decision.pk])).status_code == 404
    assert client.get(reverse("teams:activity_photo", args=[photos[0].pk])).status_code == 404


def test_a_file_made_in_the_background_goes_to_the_store_once_and_stays_the_askers(client, cast, s3):
    s3_client, bucket = s3
    client.force_login(cast.staff_p)
    response = helpers.download(client, reverse("teams:province_member_export", args=[cast.province_p.pk]))
    export = Export.objects.get()
    assert _keys(s3_client, bucket) == [f"exports/{export.pk}/thanh-vien-{cast.province_p.codename}.xlsx"]
    assert helpers.sheet(response).max_row > 1
    # Made again (a worker that died after saving): the same key, overwritten.
    Export.objects.filter(pk=export.pk).update(status="running")
    build_export.call(export.pk)
    assert _keys(s3_client, bucket) == [export.file.name]
    client.force_login(cast.staff_q)
    assert client.get(reverse("exports:export_download", args=[export.pk])).status_code == 404


@pytest.mark.django_db
def test_a_file_deleted_from_the_bucket_while_the_backup_runs_is_left_out_and_named(s3, tmp_path, monkeypatch):
    backup_with_a_file_pruned_meanwhile(tmp_path, monkeypatch)


@pytest.mark.django_db
def test_a_file_deleted_from_the_bucket_between_its_opening_and_its_reading_is_left_out(s3, tmp_path, monkeypatch):
    """On S3, opening a file only asks for its size; the download comes with the first read, and a
    file deleted in between made boto3 raise its own error and the whole backup fail."""
    from portal import backup as backup_module

    kept = default_storage.save("exports/kept.xlsx", ContentFile(b"kept"))
    gone = default_storage.save("exports/pruned.xlsx", ContentFile(b"pruned"))
    storage_class = type(default_storage._wrapped)  # the S3 storage the settings chose
    storage_open = storage_class.open

    def opened_then_pruned(storage, name, mode="rb"):
        stored = storage_open(storage, name, mode)
        if name == gone:
            storage.delete(gone)
        return stored

    monkeypatch.setattr(storage_class, "open", opened_then_pruned)
    manifest = backup_module.backup(tmp_path / "backup.tar", log=lambda line: None)
    assert list(manifest["files"]) == [kept] and manifest["vanished"] == [gone]
