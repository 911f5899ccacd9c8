"""The team lead's phone without a signal: activities are queued on the phone and sent once."""

import io

import pytest
from django.contrib.sessions.models import Session
from PIL import Image

from teams.models import Activity, Team
from tests.cast import PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def log_activity(page, people, photo=None):
    page.select_option("select[name=kind]", "door_to_door")
    page.check("input[name=topics][value='1']")
    page.fill("input[name=people_helped]", str(people))
    page.fill("input[name=place]", f"Nhà văn hóa ({people})")
    if photo:
        page.set_input_files("input[name=photos]", str(photo))
    page.click("main button[type=submit]")


def queued(page, count):
    page.wait_for_selector(f"#offline-queue >> text=Đã lưu trên máy, sẽ gửi khi có mạng ({count})")


def test_activities_typed_offline_are_kept_and_sent_once(cast, login_page, live_server, tmp_path):
    photo = tmp_path / "lop-hoc.jpg"
    out = io.BytesIO()
    Image.new("RGB", (2400, 1800), "green").save(out, "JPEG")
    photo.write_bytes(out.getvalue())
    before = set(Activity.objects.values_list("pk", flat=True))

    page = login_page(cast.lead_x, PASSWORD, viewport=PHONE)
    page.wait_for_selector("body[data-offline-ready='1']")  # the service worker kept the home page
    page.click("main >> text=Ghi hoạt động")
    page.wait_for_selector("body[data-offline-ready='1']")
    form_url = page.url

    page.context.set_offline(True)
    log_activity(page, 11)
    queued(page, 1)
    log_activity(page, 12, photo)
    queued(page, 2)
    log_activity(page, 13)
    queued(page, 3)
    assert set(Activity.objects.values_list("pk", flat=True)) == before  # nothing reached the server

    # Reloaded without a network: the page comes from the phone, and so does the queue.
    page.reload()
    queued(page, 3)
    assert page.url == form_url
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.goto(live_server.url + "/")  # the home page opens offline too
    queued(page, 3)
    page.goto(form_url)
    # Truly offline, service worker included: a page never visited is not there.
    unvisited = page.goto(f"{live_server.url}/so-lieu/to/{cast.team_x.pk}/hoat-dong/")
    assert unvisited.status == 503 and "Không có mạng" in page.content()
    page.goto(form_url)

    page.context.set_offline(False)
    page.wait_for_selector("#offline-queue >> text=Đã gửi 3 hoạt động đã lưu trên máy.")
    new = Activity.objects.exclude(pk__in=before).order_by("pk")
    assert [(a.people_helped, a.place, a.created_by) for a in new] == [
        (11, "Nhà văn hóa (11)", cast.lead_x),
        (12, "Nhà văn hóa (12)", cast.lead_x),
        (13, "Nhà văn hóa (13)", cast.lead_x),
    ]
    assert len({a.client_uuid for a in new}) == 3 and None not in {a.client_uuid for a in new}
    with_photo = new.get(people_helped=12)
    assert with_photo.photos.count() == 1
    with Image.open(with_photo.photos.get().image) as stored:  # resized on the phone
        assert max(stored.size) == 1600

    # Sent again (the page reloaded online): nothing is queued, nothing is doubled.
    page.reload()
    page.wait_for_load_state("networkidle")
    assert Activity.objects.exclude(pk__in=before).count() == 3


def test_a_refused_entry_comes_back_with_its_message_and_values(cast, login_page, live_server):
    page = login_page(cast.lead_x, PASSWORD, viewport=PHONE)
    page.wait_for_selector("body[data-offline-ready='1']")
    page.click("main >> text=Ghi hoạt động")
    page.wait_for_selector("body[data-offline-ready='1']")
    before = Activity.objects.count()

    page.context.set_offline(True)
    log_activity(page, 21)
    queued(page, 1)
    # Meanwhile the commune dissolves the team: the server refuses the entry.
    Team.objects.filter(pk=cast.team_x.pk).update(status=Team.Status.DISSOLVED)
    page.context.set_offline(False)

    refused = page.wait_for_selector("[data-refused]")
    text = refused.inner_text()
    assert "đã giải thể" in text
    assert "Nhà văn hóa (21)" in text and "Hướng dẫn tận nhà" in text
    assert Activity.objects.count() == before

    # Kept after a reload, and the team lead can put it back into the form to fix it.
    page.reload()
    page.click("[data-refused] >> text=Điền lại vào biểu mẫu để sửa")
    assert page.input_value("input[name=people_helped]") == "21"
    assert page.input_value("input[name=place]") == "Nhà văn hóa (21)"


def test_the_queue_waits_for_its_own_user(cast, login_page, live_server):
    """Logged out before the signal came back: another user's session never sends it."""
    page = login_page(cast.lead_x, PASSWORD, viewport=PHONE)
    page.wait_for_selector("body[data-offline-ready='1']")
    page.click("main >> text=Ghi hoạt động")
    page.wait_for_selector("body[data-offline-ready='1']")
    before = Activity.objects.count()
    page.context.set_offline(True)
    log_activity(page, 31)
    queued(page, 1)

    page.goto("about:blank")
    # A logout: the session ends on the server and its cookie leaves the phone. (Clearing the
    # cookie alone raced, under load, with a request the closing page had already started.)
    Session.objects.all().delete()
    page.context.clear_cookies()
    page.context.set_offline(False)
    page.goto(live_server.url + "/dang-nhap/")  # another user on the same phone
    page.fill("input[name=username]", cast.official_x.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.query_selector("#offline-queue") is None
    assert Activity.objects.count() == before
    # ... and the lead's worker and cached pages are removed.
    page.wait_for_function("navigator.serviceWorker.getRegistrations().then(r => r.length === 0)")
    page.wait_for_function("caches.keys().then(names => names.length === 0)")

    page.context.clear_cookies()
    page.goto(live_server.url + "/dang-nhap/")
    page.fill("input[name=username]", cast.lead_x.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#offline-queue >> text=Đã gửi 1 hoạt động đã lưu trên máy.")
    assert Activity.objects.filter(people_helped=31, created_by=cast.lead_x).count() == 1


QUEUE_ON_PHONE = """new Promise(done => {
  const open = indexedDB.open("tocnscd-offline", 1);
  open.onsuccess = () => {
    const all = open.result.transaction("queue").objectStore("queue").getAll();
    all.onsuccess = () => done(all.result.length);
  };
})"""


def test_typing_survives_a_signal_lost_while_sending_and_is_saved_once(cast, login_page, live_server):
    """The phone says it is online, but the post never arrives, or arrives and its answer is lost:
    the copy kept before posting is sent with the next page, and the UUID keeps it to one row."""
    before = set(Activity.objects.values_list("pk", flat=True))
    page = login_page(cast.lead_x, PASSWORD, viewport=PHONE)
    team_page = f"{live_server.url}/so-lieu/to/{cast.team_x.pk}/"
    form_url = f"{live_server.url}/so-lieu/to/{cast.team_x.pk}/hoat-dong/them/"

    def new_rows():
        return sorted(Activity.objects.exclude(pk__in=before).values_list("people_helped", flat=True))

    # 1. The post dies on the way: nothing reaches the server, the copy is sent with the next page.
    page.goto(form_url)
    page.route(
        "**/hoat-dong/them/", lambda route: route.abort() if route.request.method == "POST" else route.continue_()
    )
    log_activity(page, 21)
    page.wait_for_timeout(500)
    assert new_rows() == []
    page.unroute("**/hoat-dong/them/")
    page.goto(form_url)
    page.wait_for_selector("#offline-queue >> text=Đã gửi 1 hoạt động đã lưu trên máy.")
    assert new_rows() == [21]

    # 2. The post arrives, its answer is lost: the team's page lists the activity, so the copy is
    # dropped without being sent again.
    def answer_lost(route):
        if route.request.method != "POST":
            return route.continue_()
        route.fetch(max_redirects=0)  # the server saves it
        route.abort()

    page.route("**/hoat-dong/them/", answer_lost)
    log_activity(page, 22)
    page.wait_for_timeout(500)
    assert new_rows() == [21, 22]
    page.unroute("**/hoat-dong/them/")
    page.goto(team_page)
    page.wait_for_selector("body[data-offline-ready='1']")
    page.wait_for_timeout(1000)
    assert page.evaluate(QUEUE_ON_PHONE) == 0
    assert page.locator("#offline-queue").count() == 0  # dropped, not sent: nothing to say
    assert new_rows() == [21, 22]

    # 3. A normal post with an answer leaves nothing queued.
    page.goto(form_url)
    log_activity(page, 23)
    page.wait_for_url(team_page)
    page.wait_for_timeout(1000)
    assert page.evaluate(QUEUE_ON_PHONE) == 0
    assert page.locator("#offline-queue").count() == 0
    assert new_rows() == [21, 22, 23]
