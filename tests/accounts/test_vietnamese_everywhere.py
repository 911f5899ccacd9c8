"""Every page a member of the cast can reach by following links is in Vietnamese.

A bounded crawl from the home page, as each role, reads the visible text of each HTML page
and looks for English words that Django or a library would put there.
"""

import re
from html.parser import HTMLParser

import pytest
from django.test import override_settings

from tests.cast import USERS

ENGLISH = re.compile(r"\b(Select|Skip|Toggle|Please|Page not found|Forbidden|Choose|Password-based|Not Found)\b")
LIMIT = 120  # pages per role


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.text, self._skip = [], [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "a" and (attrs.get("href") or "").startswith("/"):
            self.links.append(attrs["href"].split("#")[0])
        for name in ("title", "aria-label", "placeholder", "alt"):
            if attrs.get(name):
                self.text.append(attrs[name])
        if tag == "option":
            self.text.append("")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def crawl(client):
    queue, seen, found = ["/", "/khong-co-trang-nay/", "/so-lieu/xa/999999/"], set(), []
    while queue and len(seen) < LIMIT:
        url = queue.pop(0)
        if url in seen or url.startswith(("/static/", "/dang-xuat/")):
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        page = Page()
        page.feed(response.content.decode())
        for match in ENGLISH.finditer(" ".join(page.text)):
            found.append((url, match.group(0)))
        queue.extend(link for link in page.links if link not in seen)
    return seen, found


@pytest.mark.parametrize("name", USERS)
@override_settings(DEBUG=True)  # as under `make run`: a wrong link must not meet Django's English debug page
def test_no_english_on_any_page_a_role_can_reach(client, cast, name):
    client.force_login(cast.user(name))
    seen, found = crawl(client)
    assert len(seen) > 3
    assert found == []


def test_an_anonymous_visitor_meets_no_english_either(client, db):
    seen, found = crawl(client)
    assert found == []


@override_settings(DEBUG=True)
def test_a_wrong_link_shows_the_portals_404_page_even_with_debug_on(client, cast):
    client.force_login(cast.official_x)
    response = client.get("/trang-khong-co/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Không tìm thấy trang" in page and "Xã Hà Tây" in page  # the portal's layout, with the user's menu
    assert "Page not found" not in page and "URLconf" not in page


def test_the_admins_leftover_english_is_translated(client, cast):
    client.force_login(cast.admin)
    page = client.get(f"/quan-tri/portal/user/{cast.lead_x.pk}/change/").content.decode()
    assert "Chuyển đến nội dung chính" in page and "Skip to main content" not in page
    assert "Đổi giao diện" in page
    page = client.post("/quan-tri/portal/user/add/", {"username": ""}).content.decode()
    assert "Hãy sửa lỗi dưới đây." in page and "Please correct" not in page
    assert "Đăng nhập bằng mật khẩu" in page


def test_a_stale_form_is_refused_in_vietnamese(cast):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.official_x)
    response = client.post(f"/so-lieu/xa/{cast.commune_x.pk}/thon/them/", {"name": "Thôn Mới"})
    assert response.status_code == 403
    assert "Phiên làm việc đã hết hạn" in response.content.decode()


def test_djangos_field_messages_are_plain_vietnamese_with_the_format_to_type(client, cast):
    """The walk-through: 'Đảm bảo giá trị này lớn hơn hoặc bằng với 0 .' (a space before the full
    stop), 'Nhập một số tổng thể.' for a whole number, 'Nhập một ngày hợp lệ.' without the format."""
    from django.urls import reverse

    client.force_login(cast.official_x)
    url = reverse("teams:village_add", args=[cast.commune_x.pk])
    page = client.post(url, {"name": "Thôn Mới", "kind": "thon", "households": "-5", "population": "abc"})
    text = page.content.decode()
    assert "Giá trị phải lớn hơn hoặc bằng 0." in text
    assert "Hãy nhập một số nguyên." in text
    assert " ." not in re.sub(r"<[^>]+>", "", text).replace("...", "")
