"""Users of the stack test, through the load balancer like browsers: log in, fill the forms the pages
give, send. Every request is counted; a request 'fails' on a connection error, a 5xx, or a status
the step does not expect."""

import re
import threading
import time
from html.parser import HTMLParser

import requests


class FormParser(HTMLParser):
    """The fields of the form whose action is ``action`` (or the first POST form), as a browser sends them."""

    def __init__(self, action=None):
        super().__init__(convert_charrefs=True)
        self.action = action
        self.forms = []
        self._form = None
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "get").lower() == "post":
            self._form = {"action": attrs.get("action", ""), "fields": []}
        elif self._form is None:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind in ("submit", "button", "file"):
                return
            self._form["fields"].append((attrs["name"], attrs.get("value", "")))
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = [attrs["name"], ""]
        elif tag == "select" and attrs.get("name"):
            self._select = [attrs["name"], None]
        elif tag == "option" and self._select is not None and ("selected" in attrs or self._select[1] is None):
            self._select[1] = attrs.get("value", "")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if self._form is None:
            return
        if tag == "textarea" and self._textarea is not None:
            self._form["fields"].append(tuple(self._textarea))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            self._form["fields"].append((self._select[0], self._select[1] or ""))
            self._select = None
        elif tag == "form":
            self.forms.append(self._form)
            self._form = None

    def fields(self, html):
        """The form posting to ``action``, else the page's own form (no action: posts to itself)."""
        self.feed(html)
        for wanted in (self.action, ""):
            for form in self.forms:
                if form["action"] == wanted:
                    return dict(form["fields"])
        raise LookupError(f"no form posting to {self.action}")


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Counter:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = 0
        self.failures = []
        self.times = []

    def record(self, method, url, status, elapsed, ok, note=""):
        with self.lock:
            self.requests += 1
            self.times.append(elapsed)
            if not ok:
                self.failures.append((method, url, status, note))


class User:
    def __init__(self, base, username, password, counter):
        self.base = base
        self.username = username
        self.password = password
        self.counter = counter
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "stack-test"

    def call(self, method, path, expect=(200,), **kwargs):
        url = self.base + path
        started = time.monotonic()
        try:
            response = self.session.request(method, url, allow_redirects=False, timeout=120, **kwargs)
        except requests.RequestException as error:
            self.counter.record(method, path, None, time.monotonic() - started, False, type(error).__name__)
            raise
        ok = response.status_code in expect
        self.counter.record(method, path, response.status_code, time.monotonic() - started, ok)
        if not ok:
            raise RuntimeError(f"{method} {path}: {response.status_code}")
        return response

    def post(self, path, data, referer_path, expect=(302,)):
        headers = {"Referer": self.base + referer_path}
        return self.call("POST", path, expect=expect, data=data, headers=headers)

    def login(self):
        page = self.call("GET", "/dang-nhap/")
        token = CSRF.search(page.text).group(1)
        data = {"csrfmiddlewaretoken": token, "username": self.username, "password": self.password}
        self.post("/dang-nhap/", data, "/dang-nhap/")

    def csrf(self):
        """The CSRF secret of the cookie (Django rotates it at login); forms accept it as it is."""
        return self.session.cookies.get("csrftoken")

    def form(self, page_path, action):
        page = self.call("GET", page_path)
        return FormParser(action).fields(page.text)


def official_flow(user, request_id, accepted):
    """Opens the commune's report, saves it with a sentence of its own, sends it."""
    user.login()
    start = f"/bao-cao/yeu-cau/{request_id}/soan/"
    edit_path = user.post(start, {"csrfmiddlewaretoken": user.csrf()}, "/").headers["Location"]
    report_id = int(re.search(r"/bao-cao/(\d+)/sua/", edit_path).group(1))
    fields = user.form(edit_path, edit_path)
    fields["opening"] = fields.get("opening", "") + f" Báo cáo thử tải của {user.username}."
    detail = user.post(edit_path, fields, edit_path).headers["Location"]
    user.post(f"/bao-cao/{report_id}/gui/", {"csrfmiddlewaretoken": user.csrf()}, detail)
    accepted["reports"].append((user.username, report_id))


def lead_flow(user, team_id, activities, accepted):
    """Logs ``activities`` activities of the team, each with a note naming it."""
    user.login()
    add = f"/so-lieu/to/{team_id}/hoat-dong/them/"
    blank = user.form(add, "")
    for n in range(activities):
        note = f"stack-{user.username}-{n}"
        fields = {
            **blank,
            "csrfmiddlewaretoken": user.csrf(),
            "date": "15/11/2026",
            "kind": "training",
            "topics": "1",
            "place": "Nhà văn hóa thôn",
            "people_helped": "12",
            "households_reached": "5",
            "accounts_created": "1",
            "notes": note,
        }
        user.post(add, fields, add)
        accepted["activities"].append(note)
