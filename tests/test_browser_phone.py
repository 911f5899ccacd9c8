"""Every page each demo role reaches, on a 390 × 844 phone with the browser set to English, and on
a 1366 × 768 desktop.

The crawl follows the links of each page (one page per URL shape: /so-lieu/to/12/ and
/so-lieu/to/13/ are the same template) and checks on every page that

- the page itself never scrolls sideways;
- on the phone, no link in a table is less than 24 px high (the walk-through's "Sửa" was 19);
- no table hides a column past the edge of its box: on a desktop text wraps so every column
  fits, on a phone each row is a card (static/tables.js). The walk-through found the figures,
  statuses and "Sửa" links of most lists off-screen, with nothing saying the table scrolled;
- no date, time or month input is left to the browser, whose English locale would show
  mm/dd/yyyy and 05:00 PM: every such field is a text input that says dd/mm/yyyy or HH:MM
  and whose value, when filled, is written that way.
"""

import io
import re
from urllib.parse import urljoin, urlparse

import pytest
from django.core.management import call_command

from demo.seed import DEMO_PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
ROLES = ["quantri", "so.haiphong", "xa.hatay", "phuong.tranhungdao", "totruong.hatay"]
# Downloads, the Django admin (not our pages) and the logout are not crawled.
SKIPPED = re.compile(r"^/(quan-tri|dang-xuat|static|media)/|xuat|mau-excel|/pdf/|\.xlsx|/ban-ky/|/anh/|/tai-ve/")

OVERFLOW = """() => {
  const width = document.documentElement.scrollWidth;
  // The widest element that is not inside a box of its own that scrolls: names the culprit.
  let culprit = '';
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.right > window.innerWidth + 1 && !el.closest('.table-responsive, .overflow-auto')) {
      culprit = el.tagName + '.' + el.className + ' ' + (el.textContent || '').trim().slice(0, 40);
      break;
    }
  }
  return [width, culprit];
}"""

HIDDEN_COLUMNS = """() => [...document.querySelectorAll('.table-responsive')]
  .filter(box => box.scrollWidth > box.clientWidth + 1)
  .map(box => `${(box.querySelector('th, td') || box).textContent.trim().slice(0, 30)}: `
    + `${box.scrollWidth} px in ${box.clientWidth}`)"""

SMALL_TARGETS = """() => [...document.querySelectorAll('main table a')]
  .filter(a => a.getClientRects().length && a.getBoundingClientRect().height < 24)
  .map(a => `${a.textContent.trim().slice(0, 20)}: ${Math.round(a.getBoundingClientRect().height)} px high`)"""

DATE_FIELDS = """() => {
  const native = [...document.querySelectorAll(
    'input[type=date], input[type=time], input[type=month], input[type=datetime-local]')].map(el => el.name);
  const kind = el => 'date' in el.dataset ? 'date' : 'time' in el.dataset ? 'time' : 'month';
  const written = [...document.querySelectorAll('input[data-date], input[data-time], input[data-month]')]
    .map(el => [el.name, el.value, el.placeholder, kind(el)]);
  return [native, written];
}"""

FORMATS = {
    "date": (r"\d{2}/\d{2}/\d{4}", "dd/mm/yyyy"),
    "time": (r"\d{2}:\d{2}", "HH:MM"),
    "month": (r"\d{2}/\d{4}", "mm/yyyy"),
}


def shape(path):
    return re.sub(r"\d+", "N", path)


def crawl(page, base, viewport=PHONE):
    """Visits the pages reachable from the home page; returns (path, problem) pairs."""
    problems, seen, queue, visited = [], set(), ["/"], []
    while queue and len(visited) < 80:
        path = queue.pop(0)
        page.goto(base + path)
        page.wait_for_load_state()
        visited.append(path)
        width, culprit = page.evaluate(OVERFLOW)
        if width > viewport["width"]:
            problems.append((path, f"scrollWidth {width}: {culprit}"))
        problems.extend((path, f"table hides columns: {table}") for table in page.evaluate(HIDDEN_COLUMNS))
        if viewport is PHONE:
            problems.extend((path, f"small target {link}") for link in page.evaluate(SMALL_TARGETS)[:3])
        native, written = page.evaluate(DATE_FIELDS)
        if native:
            problems.append((path, f"browser date inputs {native}"))
        for name, value, placeholder, kind in written:
            pattern, hint = FORMATS[kind]
            if placeholder != hint or (value and not re.fullmatch(pattern, value)):
                problems.append((path, f"{name}={value!r} ({placeholder!r})"))
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            url = urlparse(urljoin(base + path, href))
            if url.netloc != urlparse(base).netloc or SKIPPED.search(url.path + "?" + url.query):
                continue
            if shape(url.path) not in seen:
                seen.add(shape(url.path))
                queue.append(url.path)
    return problems, visited


def crawl_demo_as(username, live_server, browser, viewport, **options):
    """The crawl's problems, as ``username`` of the demo data in a browser of that ``viewport``."""
    call_command("seed_demo", stdout=io.StringIO())
    context = browser.new_context(viewport=viewport, timezone_id="Asia/Ho_Chi_Minh", **options)
    page = context.new_page()
    page.goto(live_server.url + "/dang-nhap/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    problems, visited = crawl(page, live_server.url, viewport)
    context.close()
    assert len(visited) > 5, visited
    assert problems == [], "\n".join(f"{path}: {problem}" for path, problem in problems)


@pytest.mark.parametrize("username", ROLES)
def test_every_page_of_each_role_fits_a_phone_and_writes_dates_the_vietnamese_way(
    username, transactional_db, live_server, browser
):
    crawl_demo_as(username, live_server, browser, PHONE, is_mobile=True, has_touch=True, locale="en-US")


@pytest.mark.parametrize("username", ["quantri", "so.haiphong", "xa.hatay"])
def test_no_table_of_the_roles_with_wide_tables_hides_a_column_on_a_desktop(
    username, transactional_db, live_server, browser
):
    crawl_demo_as(username, live_server, browser, DESKTOP, locale="vi-VN")


def test_a_team_lead_saves_an_activity_from_the_home_page_in_six_taps_at_most(cast, login_page, live_server):
    from teams.models import Activity
    from tests.cast import PASSWORD

    page = login_page(cast.lead_x, PASSWORD, viewport=PHONE)
    page.goto(live_server.url + "/")
    taps = 0

    def tap(action, *args):
        nonlocal taps
        taps += 1
        getattr(page, action)(*args)

    # The home page starts with the button: the first one of the page's content.
    assert page.locator("main a.btn, main button").first.inner_text() == "Ghi hoạt động"
    tap("click", "main >> text=Ghi hoạt động")
    page.wait_for_load_state()
    tap("select_option", "select[name=kind]", "door_to_door")
    tap("check", "input[name=topics][value='1']")
    tap("fill", "input[name=people_helped]", "7")
    tap("click", "main button[type=submit]")
    page.wait_for_selector("text=Đã ghi hoạt động")  # posted once the phone has kept a copy
    assert taps <= 6
    assert Activity.objects.filter(team=cast.team_x, people_helped=7).count() == 1
