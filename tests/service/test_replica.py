"""The replica router: dashboards' reads go to the replica only when one is configured and the user
has not just written; writes and migrations never go there. (The stack test runs a real replica.)"""

import time

from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory
from django.urls import reverse

from portal import replica
from portal.replica import ReplicaRouter
from teams.models import Activity

ROUTER = ReplicaRouter()
REPLICA_DATABASES = {"default": {}, "replica": {}}


def _request(last_write=None):
    request = RequestFactory().get("/")
    request.session = SessionStore()
    if last_write is not None:
        request.session[replica.SESSION_KEY] = last_write
    return request


def test_without_a_replica_every_read_stays_on_the_primary():
    with replica.reads(_request()):
        assert ROUTER.db_for_read(Activity) is None


def test_dashboard_reads_go_to_the_replica_and_writes_never(settings):
    settings.DATABASES = REPLICA_DATABASES
    assert ROUTER.db_for_read(Activity) is None  # outside a dashboard: the primary
    with replica.reads(_request()):
        assert ROUTER.db_for_read(Activity) == "replica"
        assert ROUTER.db_for_write(Activity) == "default"
    assert ROUTER.db_for_read(Activity) is None
    assert ROUTER.allow_migrate("replica", "teams") is False and ROUTER.allow_migrate("default", "teams")


def test_a_user_who_just_wrote_reads_from_the_primary(settings):
    settings.DATABASES = REPLICA_DATABASES
    with replica.reads(_request(last_write=time.time() - 2)):
        assert ROUTER.db_for_read(Activity) is None
    with replica.reads(_request(last_write=time.time() - 60)):
        assert ROUTER.db_for_read(Activity) == "replica"


def test_a_successful_post_marks_the_session_only_with_a_replica(client, cast, settings):
    client.force_login(cast.official_x)
    url = reverse("teams:village_add", args=[cast.commune_x.pk])
    client.post(url, {"name": "Thôn Mới", "kind": "thon", "households": "10", "population": "40"})
    assert replica.SESSION_KEY not in client.session
    settings.DATABASES = {**settings.DATABASES, "replica": settings.DATABASES["default"]}
    client.post(url, {"name": "Thôn Mới Hai", "kind": "thon", "households": "10", "population": "40"})
    assert time.time() - client.session[replica.SESSION_KEY] < 5
