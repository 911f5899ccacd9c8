"""manage.py housekeeping (portal/housekeeping.py): each night it deletes what the portal keeps
only for a while, and nothing younger: expired sessions, finished background tasks, old login
records, spent one-time links and old background files. Rows are made the way users make them
(logging in, asking for a file, being given a link), then aged in the database."""

import datetime
import io

from axes.models import AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import OneTimeLink
from exports.models import Export
from tests.cast import PASSWORD

DAY = datetime.timedelta(days=1)


def housekeeping():
    out = io.StringIO()
    call_command("housekeeping", stdout=out)
    return out.getvalue()


def logged_in(username):
    client = Client()
    assert client.post(reverse("login"), {"username": username, "password": PASSWORD}).status_code == 302
    return client


def test_expired_sessions_go_and_live_ones_stay(cast):
    gone, kept = logged_in("official_x"), logged_in("official_y")
    Session.objects.filter(pk=gone.session.session_key).update(expire_date=timezone.now() - DAY)
    assert "Đã xóa 1 phiên đăng nhập đã hết hạn." in housekeeping()
    assert list(Session.objects.values_list("pk", flat=True)) == [kept.session.session_key]
    assert kept.get(reverse("dashboards:home")).wsgi_request.user.username == "official_y"  # still signed in


def test_login_records_older_than_the_kept_days_go(client, cast, settings):
    settings.LOGIN_LOG_KEEP_DAYS = 365
    logged_in("official_x")
    logged_in("official_y")
    client.post(reverse("login"), {"username": "official_x", "password": "sai"})
    client.post(reverse("login"), {"username": "official_y", "password": "sai"})
    assert (AccessLog.objects.count(), AccessFailureLog.objects.count()) == (2, 2)
    a_year_ago = timezone.now() - 366 * DAY
    AccessLog.objects.filter(username="official_x").update(attempt_time=a_year_ago)
    AccessFailureLog.objects.filter(username="official_x").update(attempt_time=a_year_ago)
    assert "Đã xóa 2 bản ghi đăng nhập, đăng xuất, đăng nhập sai đã cũ." in housekeeping()
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["official_y"]
    assert list(AccessFailureLog.objects.values_list("username", flat=True)) == ["official_y"]


def test_finished_tasks_go_after_the_kept_days_and_waiting_ones_never(client, cast, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASK_RESULT_KEEP_DAYS = 14
    client.force_login(cast.staff_p)
    for kind in ("member", "team", "village", "activity"):
        client.post(reverse(f"teams:province_{kind}_export", args=[cast.province_p.pk]))
    old_done, old_failed, lately_done, waiting = DBTaskResult.objects.order_by("enqueued_at")
    now = timezone.now()
    DBTaskResult.objects.filter(pk=old_done.pk).update(status=TaskResultStatus.SUCCESSFUL, finished_at=now - 15 * DAY)
    DBTaskResult.objects.filter(pk=old_failed.pk).update(status=TaskResultStatus.FAILED, finished_at=now - 15 * DAY)
    DBTaskResult.objects.filter(pk=lately_done.pk).update(
        status=TaskResultStatus.SUCCESSFUL, finished_at=now - 13 * DAY
    )
    DBTaskResult.objects.filter(pk=waiting.pk).update(enqueued_at=now - 30 * DAY)  # no worker took it since
    assert "Đã xóa 2 tác vụ nền đã xong từ lâu." in housekeeping()
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {lately_done.pk, waiting.pk}


def test_spent_one_time_links_go_after_the_kept_days_and_usable_ones_stay(cast, settings):
    settings.ONE_TIME_LINK_KEEP_DAYS = 90
    now = timezone.now()
    users = (cast.official_x, cast.official_y, cast.lead_x, cast.admin, cast.staff_q)
    used_long_ago, expired_long_ago, used_lately, expired_lately, usable = (OneTimeLink.issue(u)[0] for u in users)
    OneTimeLink.objects.filter(pk=used_long_ago.pk).update(used_at=now - 91 * DAY)
    OneTimeLink.objects.filter(pk=expired_long_ago.pk).update(expires_at=now - 91 * DAY)
    OneTimeLink.objects.filter(pk=used_lately.pk).update(used_at=now - 89 * DAY)
    OneTimeLink.objects.filter(pk=expired_lately.pk).update(expires_at=now - 89 * DAY)
    assert "Đã xóa 2 liên kết đặt mật khẩu đã dùng hoặc hết hạn từ lâu." in housekeeping()
    assert set(OneTimeLink.objects.values_list("pk", flat=True)) == {used_lately.pk, expired_lately.pk, usable.pk}


def test_old_background_files_go_with_their_stored_file(cast, settings):
    settings.EXPORT_KEEP_DAYS = 7
    old, recent = (
        Export.objects.create(user=cast.staff_p, kind="teams.province_list", title=title, status=Export.Status.DONE)
        for title in ("cũ", "mới")
    )
    for export in (old, recent):
        export.file.save("danh-sach.xlsx", ContentFile(b"xlsx"))
    stored = old.file.name
    Export.objects.filter(pk=old.pk).update(created_at=timezone.now() - 8 * DAY)
    assert "Đã xóa 1 tệp xuất đã quá hạn giữ." in housekeeping()
    assert list(Export.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not old.file.storage.exists(stored) and recent.file.storage.exists(recent.file.name)


def test_previews_never_confirmed_go_after_a_day(cast):
    """A preview keeps its rows in the storage for the confirmation (portal/kept.py); one never
    confirmed is deleted by the night's housekeeping, one of the last day stays."""
    import os

    from django.core.files.storage import default_storage

    from tests.teams.test_village_excel import xlsx

    names = []
    for who, commune in (("official_x", cast.commune_x), ("official_y", cast.commune_y)):
        client = logged_in(who)
        client.post(
            reverse("teams:village_import", args=[commune.pk]), {"file": xlsx(["Thôn Chờ", "Thôn", "10", "40"])}
        )
        names.append(client.session[f"village_import_{commune.pk}"])
    two_days_ago = (timezone.now() - 2 * DAY).timestamp()
    os.utime(default_storage.path(names[0]), (two_days_ago, two_days_ago))
    assert "Đã xóa 1 tệp xem trước khi nhập, không được xác nhận" in housekeeping()
    assert not default_storage.exists(names[0]) and default_storage.exists(names[1])
