import os

import pytest

from portal import pdfs
from tests.cast import make_cast
from tests.html_trees import first_difference, tinyhtml5_tree

# The sync Playwright API runs an event loop in the test thread; Django would then refuse
# every database call of the live server's test as "async unsafe".
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _transactional(item):
    marker = item.get_closest_marker("django_db")
    flushes = marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
    return bool(flushes) or bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


def _serialized(item):
    marker = item.get_closest_marker("django_db")
    return marker is not None and bool(marker.kwargs.get("serialized_rollback"))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Tests with a serialized rollback run first of the transactional tests (pytest-django has
    put those after the others). Such a test loads the database's first contents (content types,
    permissions, what data migrations wrote) back in at its start: after a plain transactional
    test, whose end empties every table and makes content types and permissions again under new
    ids, that load collided with them, so a run of a few files failed where the whole suite passed."""
    first = next((index for index, item in enumerate(items) if _transactional(item)), len(items))
    items[first:] = sorted(items[first:], key=lambda item: not _serialized(item))


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    # Two-factor sign-in is switched on by the tests of accounts/twofactor.py themselves.
    settings.REQUIRE_2FA_ROLES = []
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _printed_documents_read_as_html5(monkeypatch):
    """Every document a test prints is parsed by libxml2 (portal.pdfs.html_tree): each one is
    checked here to give the tree WeasyPrint's own HTML5 parser would, node by node. A template
    whose markup the two parsers read differently fails the tests that print it."""
    libxml2_tree = pdfs.html_tree

    def checked(html):
        tree = libxml2_tree(html)
        if tree is not None:
            difference = first_difference(tree, tinyhtml5_tree(html))
            assert difference is None, f"libxml2 reads this document otherwise than HTML5: {difference}"
        return tree

    checked.libxml2 = libxml2_tree  # for a test that must skip the check
    monkeypatch.setattr(pdfs, "html_tree", checked)


@pytest.fixture
def cast(db):
    return make_cast()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def login_page(live_server, browser):
    """Returns a function that opens a new page logged in as a given user."""
    pages = []

    def login(user, password, viewport=None):
        page = browser.new_page(viewport=viewport or {"width": 1280, "height": 900}, locale="vi-VN")
        pages.append(page)
        page.goto(live_server.url + "/dang-nhap/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page

    yield login
    for page in pages:
        page.close()
