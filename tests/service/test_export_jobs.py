"""The department's files (exports/) made by a real worker process from the PostgreSQL queue, and
made exactly once when the worker making one died."""

import io

import pdfplumber
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from exports.jobs import build_export
from exports.models import Export
from tests.dashboards.helpers import make_request
from tests.exports import helpers
from tests.service.worker import killed_while_running, run_worker_batch

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_a_summary_pdf_and_a_province_list_wait_in_the_queue_then_a_worker_process_makes_them(client, cast, settings):
    settings.TASKS = DATABASE_TASKS
    report_request = make_request(cast)
    client.force_login(cast.staff_p)
    pdf_page = helpers.ask(client, reverse("reports:summary_pdf", args=[report_request.pk]))
    list_page = helpers.ask(client, reverse("teams:province_member_export", args=[cast.province_p.pk]))
    exports = [helpers.export_of(pdf_page), helpers.export_of(list_page)]
    for page in (pdf_page, list_page):
        assert 'data-export-status="queued"' in page.content.decode()
    assert sorted(DBTaskResult.objects.values_list("status", flat=True)) == ["READY", "READY"]

    run_worker_batch(MEDIA_ROOT=settings.MEDIA_ROOT)

    for export in exports:
        export.refresh_from_db()
        assert export.status == "done", export.error
        assert helpers.stored_files(export) == [export.filename]
        assert DBTaskResult.objects.get(id=export.task_id).status == "SUCCESSFUL"
        assert "Đã xong — " in client.get(export.get_absolute_url()).content.decode()
    pdf = helpers.content(client.get(reverse("exports:export_download", args=[exports[0].pk])))
    text = "".join(page.extract_text() for page in pdfplumber.open(io.BytesIO(pdf)).pages)
    assert "BÁO CÁO" in text and "123/SKHCN-CNTT" in text
    rows = list(helpers.sheet(client.get(reverse("exports:export_download", args=[exports[1].pk]))).iter_rows())
    assert rows[0][-1].value == "Xã/phường" and {row[-1].value for row in rows[1:]} == {
        "Xã Hà Tây",
        "Phường Trần Hưng Đạo",
    }


@pytest.mark.django_db(transaction=True)
def test_a_file_left_half_made_by_a_dead_worker_is_made_once_by_the_next(client, cast, settings):
    """The worker making the list was killed (SIGKILL) after writing part of the file: the next worker
    queues the task again, replaces the part with the whole file and marks the job done, once."""
    settings.TASKS = DATABASE_TASKS
    client.force_login(cast.staff_p)
    export = helpers.export_of(helpers.ask(client, reverse("teams:province_member_export", args=[cast.province_p.pk])))
    half = Export._meta.get_field("file").storage.save(
        f"exports/{export.pk}/thanh-vien-{cast.province_p.codename}.xlsx", ContentFile(b"PK\x03\x04 half")
    )
    Export.objects.filter(pk=export.pk).update(status="running", started_at=timezone.now())
    killed_while_running(export.task_id)

    output = run_worker_batch(MEDIA_ROOT=settings.MEDIA_ROOT)

    assert "queued again" in output
    export.refresh_from_db()
    assert export.status == "done" and export.file.name == half
    assert helpers.stored_files(export) == [export.filename]
    task_result = DBTaskResult.objects.get(id=export.task_id)
    assert task_result.status == "SUCCESSFUL" and task_result.worker_ids[0] == "killed-worker"
    rows = list(helpers.sheet(client.get(reverse("exports:export_download", args=[export.pk]))).iter_rows())
    assert len(rows) > 1
    # A duplicate in the queue runs once more: nothing changes.
    finished = export.finished_at
    build_export.call(export.pk)
    export.refresh_from_db()
    assert export.finished_at == finished and helpers.stored_files(export) == [export.filename]
    assert Export.objects.count() == 1
