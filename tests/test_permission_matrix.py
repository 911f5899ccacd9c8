import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.accounts.matrix import ROWS as ACCOUNTS_ROWS
from tests.dashboards.matrix import ROWS as DASHBOARD_ROWS
from tests.permission_matrix import USERS
from tests.reports.matrix import ROWS as REPORTS_ROWS
from tests.reports.matrix_signing import ROWS as SIGNING_ROWS
from tests.reports.matrix_summary import ROWS as SUMMARY_ROWS
from tests.service.matrix import ROWS as SERVICE_ROWS
from tests.teams.matrix import ROWS as TEAMS_ROWS

ROWS = ACCOUNTS_ROWS + DASHBOARD_ROWS + TEAMS_ROWS + REPORTS_ROWS + SIGNING_ROWS + SUMMARY_ROWS + SERVICE_ROWS
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
