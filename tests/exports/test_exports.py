"""Files made in the background (exports/): asked by a button, shown by their job's page in each
state, downloaded by the user who asked (and administrators) only, made once however often the
task runs, scoped again when made, and deleted after EXPORT_KEEP_DAYS."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from exports import jobs
from exports.models import Export
from portal.models import Role
from teams.models import Member
from tests.cast import make_user
from tests.dashboards.helpers import make_request
from tests.exports import helpers

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def member_export_url(cast, query=""):
    return reverse("teams:province_member_export", args=[cast.province_p.pk]) + query


@pytest.fixture
def queued(settings):
    """Tasks wait in PostgreSQL for a worker (none runs here), as in production."""
    settings.TASKS = DATABASE_TASKS


def test_the_button_makes_the_file_at_once_with_the_immediate_backend_and_its_page_offers_it(client, cast):
    Member.objects.create(team=cast.team_y, full_name="Lê Thị Hoa", phone="0912345678")
    client.force_login(cast.staff_p)
    page = helpers.ask(client, member_export_url(cast, "?q=Hoa"))
    export = Export.objects.get()
    assert page.redirect_chain == [(reverse("exports:export_detail", args=[export.pk]), 302)]
    html = page.content.decode()
    assert "Đã xong — " in html and "Tải về" in html and "data-refresh-seconds" not in html
    assert (export.user, export.kind, export.params) == (
        cast.staff_p,
        "teams.province_list",
        {"list": "member", "province": cast.province_p.pk, "query": "q=Hoa"},
    )
    assert export.status == "done" and export.task_id and export.finished_at
    assert export.file.name == f"exports/{export.pk}/thanh-vien-{cast.province_p.codename}.xlsx"
    response = client.get(reverse("exports:export_download", args=[export.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    rows = list(helpers.sheet(response).iter_rows(values_only=True))
    assert rows[0][:2] == ("Tổ", "Họ và tên") and rows[0][-1] == "Xã/phường"
    assert [row[1:2] + row[-1:] for row in rows[1:]] == [("Lê Thị Hoa", "Phường Trần Hưng Đạo")]


def test_a_double_click_while_the_file_waits_reuses_its_job(client, cast, queued):
    client.force_login(cast.staff_p)
    first = helpers.ask(client, member_export_url(cast))
    second = helpers.ask(client, member_export_url(cast))
    assert Export.objects.count() == 1 and DBTaskResult.objects.count() == 1
    assert helpers.export_of(first) == helpers.export_of(second)
    # Other filters, or another list, are another file.
    helpers.ask(client, member_export_url(cast, "?q=Hoa"))
    helpers.ask(client, reverse("teams:province_team_export", args=[cast.province_p.pk]))
    assert Export.objects.count() == 3 and DBTaskResult.objects.count() == 3


def test_the_jobs_page_shows_each_state_and_reloads_itself_until_done(client, cast, queued):
    client.force_login(cast.staff_p)
    export = helpers.export_of(helpers.ask(client, member_export_url(cast)))
    url = reverse("exports:export_detail", args=[export.pk])
    download = reverse("exports:export_download", args=[export.pk])

    html = client.get(url).content.decode()
    assert 'data-export-status="queued"' in html and "Đang chờ" in html
    assert 'data-refresh-seconds="2"' in html and "refresh.js" in html and download not in html
    assert client.get(download).status_code == 404 and "waiting-long" not in html
    # No worker took it for minutes: the page says whom to tell.
    Export.objects.filter(pk=export.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=3))
    html = client.get(url).content.decode()
    assert "tiến trình nền có thể đang bận hoặc đã dừng" in html and "Tệp đã chờ hơn 2 phút" in html

    Export.objects.filter(pk=export.pk).update(status="running")
    html = client.get(url).content.decode()
    assert 'data-export-status="running"' in html and "Đang tạo" in html and 'data-refresh-seconds="2"' in html

    jobs.build_export.call(export.pk)  # what the worker does
    html = client.get(url).content.decode()
    assert 'data-export-status="done"' in html and "Đã xong — " in html and download in html
    assert "data-refresh-seconds" not in html
    assert client.get(download).status_code == 200

    Export.objects.filter(pk=export.pk).update(status="failed", error=jobs.FAILED)
    html = client.get(url).content.decode()
    assert f"Lỗi: {jobs.FAILED}" in html and "data-refresh-seconds" not in html
    assert client.get(download).status_code == 404


def test_a_failure_says_so_in_vietnamese_without_the_traceback(client, cast, monkeypatch):
    def broken(user, params):
        raise RuntimeError("secret detail of the server")

    monkeypatch.setitem(jobs.BUILDERS, "teams.province_list", broken)
    client.force_login(cast.staff_p)
    html = helpers.ask(client, member_export_url(cast)).content.decode()
    export = Export.objects.get()
    assert (export.status, export.error, export.file.name) == ("failed", jobs.FAILED, "")
    assert f"Lỗi: {jobs.FAILED}" in html and "secret" not in html and "Traceback" not in html
    # Asked again, it is tried again (a failed file does not block the button).
    monkeypatch.undo()
    helpers.download(client, member_export_url(cast))
    assert list(Export.objects.values_list("status", flat=True)) == ["done", "failed"]


@pytest.mark.parametrize("user", ["staff_q", "official_x", "official_y", "lead_x", "other_staff_p"])
def test_nobody_but_the_user_who_asked_opens_the_file(client, cast, user):
    client.force_login(cast.staff_p)
    export = helpers.export_of(helpers.ask(client, member_export_url(cast)))
    other = make_user("so_p_2", Role.PROVINCE, province=cast.province_p) if user == "other_staff_p" else cast.user(user)
    client.force_login(other)
    assert client.get(reverse("exports:export_detail", args=[export.pk])).status_code == 404
    assert client.get(reverse("exports:export_download", args=[export.pk])).status_code == 404
    if other.role == Role.PROVINCE:
        assert export.title not in client.get(reverse("exports:export_list")).content.decode()


def test_an_administrator_may_open_anyones_file(client, cast):
    client.force_login(cast.staff_p)
    export = helpers.export_of(helpers.ask(client, member_export_url(cast)))
    client.force_login(cast.admin)
    assert client.get(reverse("exports:export_download", args=[export.pk])).status_code == 200


def test_the_list_shows_the_users_own_files_newest_first(client, cast):
    client.force_login(cast.staff_p)
    helpers.ask(client, member_export_url(cast))
    helpers.ask(client, reverse("teams:province_team_export", args=[cast.province_p.pk]))
    page = client.get(reverse("exports:export_list")).content.decode()
    assert page.index("Tổ CNSCĐ của Thành phố Hải Phòng (Excel)") < page.index(
        "Thành viên của Thành phố Hải Phòng (Excel)"
    )
    assert page.count("Đã xong — Tải về") == 2
    assert 'href="/tep-xuat/"' in client.get(reverse("dashboards:home"), follow=True).content.decode()


def test_the_file_is_scoped_again_when_it_is_made(client, cast, queued):
    """Moved to another province before the worker ran: the job fails, no file of P is made."""
    client.force_login(cast.staff_p)
    export = helpers.export_of(helpers.ask(client, member_export_url(cast)))
    cast.staff_p.province = cast.province_q
    cast.staff_p.save()
    jobs.build_export.call(export.pk)
    export.refresh_from_db()
    assert (export.status, export.error, export.file.name) == ("failed", jobs.REFUSED, "")
    assert helpers.stored_files(export) == []


@pytest.mark.parametrize("summary", [False, True])
def test_a_made_file_is_scoped_again_each_time_it_is_opened(client, cast, summary):
    """Made while the staff member worked for P; once their account works for Q, neither the
    file's page nor its download shows P's data, whichever kind of file it is."""
    client.force_login(cast.staff_p)
    if summary:
        request = make_request(cast)
        url = reverse("reports:summary_xlsx", args=[request.pk])
    else:
        url = member_export_url(cast)
    export = helpers.export_of(helpers.ask(client, url))
    download = reverse("exports:export_download", args=[export.pk])
    assert export.status == "done" and client.get(download).status_code == 200
    cast.staff_p.province = cast.province_q
    cast.staff_p.save()
    assert client.get(reverse("exports:export_detail", args=[export.pk])).status_code == 404
    response = client.get(download)
    assert response.status_code == 404 and b"PK" not in response.content[:2]
    cast.staff_p.province = cast.province_p
    cast.staff_p.save()
    assert client.get(download).status_code == 200


def test_running_the_task_again_leaves_one_file_and_finishes_once(client, cast, queued):
    """A worker died after writing half the file: the next run replaces it; a run after done does nothing."""
    client.force_login(cast.staff_p)
    export = helpers.export_of(helpers.ask(client, member_export_url(cast)))
    name = f"exports/{export.pk}/thanh-vien-{cast.province_p.codename}.xlsx"
    storage = Export._meta.get_field("file").storage
    storage.save(name, ContentFile(b"PK\x03\x04 half a workbook"))
    Export.objects.filter(pk=export.pk).update(status="running")

    assert jobs.build_export.call(export.pk) == name
    export.refresh_from_db()
    assert export.status == "done" and export.file.name == name
    assert helpers.stored_files(export) == [name.rsplit("/", 1)[-1]]
    finished = export.finished_at
    jobs.build_export.call(export.pk)
    export.refresh_from_db()
    assert export.finished_at == finished and helpers.stored_files(export) == [name.rsplit("/", 1)[-1]]
    rows = list(helpers.sheet(client.get(reverse("exports:export_download", args=[export.pk]))).iter_rows())
    assert len(rows) > 1


def test_old_files_are_deleted_with_their_jobs(client, cast):
    client.force_login(cast.staff_p)
    old = helpers.export_of(helpers.ask(client, member_export_url(cast)))
    eight_days_ago = timezone.now() - datetime.timedelta(days=8)
    Export.objects.filter(pk=old.pk).update(created_at=eight_days_ago, finished_at=eight_days_ago)
    call_command("prune_exports", "--dry-run")
    assert Export.objects.filter(pk=old.pk).exists() and helpers.stored_files(old)
    call_command("prune_exports")
    assert not Export.objects.filter(pk=old.pk).exists() and helpers.stored_files(old) == []
    # Each new file also clears the old ones: nothing needs a timer.
    kept = helpers.export_of(helpers.ask(client, member_export_url(cast)))
    Export.objects.filter(pk=kept.pk).update(created_at=timezone.now() - datetime.timedelta(days=6))
    old = helpers.export_of(helpers.ask(client, member_export_url(cast, "?q=x")))
    month_ago = timezone.now() - datetime.timedelta(days=30)
    Export.objects.filter(pk=old.pk).update(created_at=month_ago, finished_at=month_ago)
    helpers.ask(client, reverse("teams:province_team_export", args=[cast.province_p.pk]))
    assert set(Export.objects.values_list("pk", flat=True)) == {kept.pk, Export.objects.first().pk}


def test_a_file_is_kept_its_days_from_when_it_was_made_and_a_waiting_job_is_left(client, cast):
    """Asked eight days ago but made just now (it waited for a worker): kept. A job still waiting
    after eight days is left for its worker. A failed one goes with the old files."""
    client.force_login(cast.staff_p)
    made_late = helpers.export_of(helpers.ask(client, member_export_url(cast)))
    eight_days_ago = timezone.now() - datetime.timedelta(days=8)
    Export.objects.filter(pk=made_late.pk).update(created_at=eight_days_ago)
    waiting = Export.objects.create(
        user=cast.staff_p, kind="teams.province_list", title="chờ", params={"list": "team", "province": 1}
    )
    failed = Export.objects.create(
        user=cast.staff_p, kind="teams.province_list", title="lỗi", status="failed", finished_at=eight_days_ago
    )
    Export.objects.filter(pk__in=[waiting.pk, failed.pk]).update(created_at=eight_days_ago)
    call_command("prune_exports")
    assert set(Export.objects.values_list("pk", flat=True)) == {made_late.pk, waiting.pk}
    assert helpers.stored_files(made_late)


def test_a_title_with_markup_is_shown_as_text(client, cast):
    Export.objects.create(
        user=cast.staff_p,
        kind="teams.province_list",
        params={"list": "member", "province": cast.province_p.pk, "query": ""},
        title="<script>alert(1)</script>",
        status="queued",
    )
    client.force_login(cast.staff_p)
    for url in (reverse("exports:export_list"), Export.objects.get().get_absolute_url()):
        page = client.get(url).content.decode()
        assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_database_refuses_a_second_waiting_job_for_the_same_file(cast):
    """Two servers taking the same double click at once: the second insert fails and start() returns the first."""
    same = {"user": cast.staff_p, "kind": "teams.province_list", "params": {"list": "member", "province": 1}}
    Export.objects.create(**same, title="a", status="queued")
    with pytest.raises(IntegrityError), transaction.atomic():
        Export.objects.create(**same, title="b", status="running")
    Export.objects.create(**same, title="c", status="done")
    Export.objects.create(**same, title="d", status="failed")
    Export.objects.create(**{**same, "params": {"list": "team", "province": 1}}, title="e", status="queued")
    assert Export.objects.count() == 4


def test_a_province_list_asked_with_a_filter_that_does_not_validate_is_not_made(client, cast):
    """As for one commune's list: a file of the whole province would hold what the filter meant to
    leave out. The staff member is sent back, told which filter is wrong, and no job is queued."""
    client.force_login(cast.staff_p)
    dashboard = reverse("dashboards:province_dashboard", args=[cast.province_p.pk])
    url = reverse("teams:province_activity_export", args=[cast.province_p.pk]) + "?tu_ngay=khong-hop-le"
    response = client.post(url, HTTP_REFERER=dashboard, follow=True)
    assert response.redirect_chain[0] == (dashboard, 302)
    assert "Chưa xuất Excel: bộ lọc có giá trị không hợp lệ (Từ ngày)." in response.content.decode()
    assert not Export.objects.exists()
    response = client.post(url, HTTP_REFERER="https://evil.example/", follow=True)
    assert response.redirect_chain[0][0] == reverse("dashboards:home") and not Export.objects.exists()
