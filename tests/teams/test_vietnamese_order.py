"""Lists sorted by name by the database in the dashboard's Vietnamese order (portal.collation's NameField)."""

import pytest
from django.db import connection
from django.urls import reverse

from portal.vietnamese import sort_key
from teams.models import Village

NAMES = ["Thôn Đan Điền", "Thôn Dương Kinh", "Thôn Ân Thi", "Thôn An Lão", "Thôn Anh Sơn", "Thôn Bình Giang"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ICU collation vi-x-icu")
def test_the_database_sorts_names_as_the_dashboards_python_does(cast):
    for name in NAMES:
        Village.objects.create(commune=cast.commune_y, name=name)
    in_database = list(Village.objects.filter(name__in=NAMES).order_by("name").values_list("name", flat=True))
    assert in_database == sorted(NAMES, key=sort_key)
    assert in_database.index("Thôn Dương Kinh") < in_database.index("Thôn Đan Điền")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ICU collation vi-x-icu")
def test_the_village_list_sorted_by_name_puts_d_before_dj(client, cast):
    for name in NAMES:
        Village.objects.create(commune=cast.commune_y, name=name)
    client.force_login(cast.official_y)
    page = client.get(reverse("teams:village_list", args=[cast.commune_y.pk]), {"sap_xep": "ten"}).content.decode()
    positions = [page.index(name) for name in sorted(NAMES, key=sort_key)]
    assert positions == sorted(positions)
