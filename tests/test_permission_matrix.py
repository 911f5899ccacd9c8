import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from portal import permissions
from tests.accounts.matrix import ROWS as ACCOUNTS_ROWS
from tests.dashboards.matrix import ROWS as DASHBOARD_ROWS
from tests.exports.matrix import ROWS as EXPORT_ROWS
from tests.permission_matrix import USERS
from tests.portal.matrix import ROWS as PORTAL_ROWS
from tests.reports.matrix import ROWS as REPORTS_ROWS
from tests.reports.matrix_indicators import ROWS as INDICATOR_ROWS
from tests.reports.matrix_signing import ROWS as SIGNING_ROWS
from tests.reports.matrix_summary import ROWS as SUMMARY_ROWS
from tests.service.matrix import ROWS as SERVICE_ROWS
from tests.teams.matrix import ROWS as TEAMS_ROWS

ROWS = ACCOUNTS_ROWS + DASHBOARD_ROWS + TEAMS_ROWS + REPORTS_ROWS + SIGNING_ROWS + SUMMARY_ROWS + SERVICE_ROWS
ROWS += INDICATOR_ROWS
ROWS += PORTAL_ROWS
ROWS += EXPORT_ROWS
# Django's own admin has its own permission system (is_staff); tested in tests/portal/test_admin.py.
UNLISTED_NAMESPACES = {"admin"}


def url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace in UNLISTED_NAMESPACES:
                continue
            yield from url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


def test_every_url_name_is_in_the_matrix():
    assert set(url_names()) - {row.name for row in ROWS} == set()


def test_the_matrix_names_no_url_that_does_not_exist():
    assert {row.name for row in ROWS} - set(url_names()) == set()


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row.method}:{row.name}")
def test_user_gets_what_the_matrix_says(client, cast, row, user):
    if user != "anonymous":
        client.force_login(cast.user(user))
    url = row.url(cast)
    if row.method == "post":
        response = client.post(url, row.data(cast))
    else:
        response = client.get(url)
    assert response.status_code == row.expect[user], f"{user} {row.method.upper()} {url}"


# The matrix above checks what views answer; these check that views and templates ask the one
# table (portal.permissions) instead of deciding by role names themselves.

ROOT = Path(__file__).resolve().parent.parent
APPS = ("portal", "exports", "accounts", "teams", "reports", "dashboards", "demo")
ROLE_IN_TEMPLATE = re.compile(r"user\.role\b|\.role\s*[!=]=\s*[\"'](admin|province|commune|team_lead)[\"']")
ROLE_IN_VIEW = re.compile(r"\bRole\.(ADMIN|PROVINCE|COMMUNE|TEAM_LEAD)\b|\.role\s*[!=]=|require_role|has_role")
ACTION_IN_TEMPLATE = re.compile(r"{%\s*can\s+[\"']([\w.]+)[\"']")
ACTION_IN_CODE = re.compile(r"permissions\.(?:can|require)\(\s*[\w.]+,\s*[\"']([\w.]+)[\"']")


def templates():
    return sorted(ROOT.glob("templates/**/*.html")) + sorted(ROOT.glob("*/templates/**/*.html"))


def views():
    return sorted(path for app in APPS for path in (ROOT / app).rglob("views*.py"))


def test_no_template_compares_role_names():
    found = [
        f"{p.relative_to(ROOT)}: {m.group(0)}" for p in templates() for m in ROLE_IN_TEMPLATE.finditer(p.read_text())
    ]
    assert found == [], 'ask {% can "action" obj as name %} (portal.permissions) instead'


def test_no_view_decides_by_role_itself():
    found = [f"{p.relative_to(ROOT)}: {m[0]}" for p in views() for m in ROLE_IN_VIEW.finditer(p.read_text())]
    assert found == [], "ask portal.permissions.require(user, action, obj) instead"


def test_every_action_asked_for_is_in_the_table():
    asked = {m.group(1) for p in templates() for m in ACTION_IN_TEMPLATE.finditer(p.read_text())}
    code = [p for app in APPS for p in (ROOT / app).rglob("*.py")]
    asked |= {m.group(1) for p in code for m in ACTION_IN_CODE.finditer(p.read_text())}
    assert asked, "the patterns above no longer find the questions"
    assert asked - set(permissions.RULES) == set()
