"""Names in Vietnamese dictionary order wherever the database sorts them (portal/collation.py):
every name field is a NameField, its PostgreSQL column carries the Vietnamese collation, and
the pages and documents that list communes by name (the province summary's appendix, the
completeness page, a picker's provinces) read "Bắc" before "Bình" and "Dương" before "Đông"."""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.urls import reverse

from portal.collation import VIETNAMESE, NameField
from portal.vietnamese import sort_key
from teams.models import Commune, Province
from tests.cast import PASSWORD
from tests.reports.factories import make_request

# Code-point order would give Bình, Bắc, Dương, Thạnh, Thủ, Đông: "ắ" and "ạ" are after "ì" and
# "ủ", and "Đ" after every unaccented capital.
NAMES = ["Xã Đông Hải", "Xã Bình Giang", "Xã Dương Kinh", "Xã Bắc Sơn", "Xã Thủ Đức", "Xã Thạnh An"]
IN_ORDER = ["Xã Bắc Sơn", "Xã Bình Giang", "Xã Dương Kinh", "Xã Đông Hải", "Xã Thạnh An", "Xã Thủ Đức"]


def project_models():
    """The models of the portal's own apps (accounts, teams, reports...), not Django's or a library's."""
    return [model for model in apps.get_models() if Path(model._meta.app_config.path).parent == settings.BASE_DIR]


def test_the_order_is_the_dictionarys():
    assert sorted(NAMES, key=sort_key) == IN_ORDER
    assert sorted(NAMES) != IN_ORDER  # code-point order differs: the tests below can tell them apart


def test_every_name_field_of_the_portal_is_a_name_field():
    fields = {
        f"{model.__name__}.{field.name}": field
        for model in project_models()
        for field in model._meta.concrete_fields
        if field.name in ("name", "full_name")
    }
    assert {"Commune.name", "Member.full_name", "User.full_name", "Indicator.name"} <= set(fields)
    assert [name for name, field in fields.items() if not isinstance(field, NameField)] == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ICU collation vi-x-icu")
@pytest.mark.django_db
def test_every_name_column_has_the_vietnamese_collation():
    columns = {
        (model._meta.db_table, field.column)
        for model in project_models()
        for field in model._meta.concrete_fields
        if isinstance(field, NameField)
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, collation_name FROM information_schema.columns"
            " WHERE table_schema = current_schema()"
        )
        collations = {(table, column): collation for table, column, collation in cursor.fetchall()}
    assert len(columns) >= 10  # seven tables, and the history of villages, teams and members
    assert {column: collations[column] for column in columns} == dict.fromkeys(columns, VIETNAMESE)


@pytest.fixture
def communes(cast):
    """A request to the six communes of NAMES, created in code-point order."""
    report_request = make_request(cast)
    for code, name in enumerate(sorted(NAMES), start=20001):
        report_request.communes.add(
            Commune.objects.create(province=cast.province_p, code=code, name=name, codename=f"x{code}", kind="xa")
        )
    report_request.communes.remove(cast.commune_x, cast.commune_y)
    return report_request


def positions(page, names):
    return [page.index(name) for name in names]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ICU collation vi-x-icu")
def test_the_summary_appendix_and_the_completeness_page_list_communes_in_dictionary_order(client, cast, communes):
    client.login(username="staff_p", password=PASSWORD)
    for url in (
        reverse("reports:summary_detail", args=[communes.pk]),
        reverse("dashboards:completeness", args=[communes.pk]),
    ):
        page = client.get(url).content.decode()
        assert positions(page, IN_ORDER) == sorted(positions(page, IN_ORDER)), url


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ICU collation vi-x-icu")
def test_the_province_list_of_a_picker_sorts_by_the_dictionary(cast):
    for code, name in enumerate(["Tỉnh Đắk Lắk", "Tỉnh Điện Biên", "Thành phố Đà Nẵng", "Tỉnh Bắc Ninh"], start=90):
        Province.objects.create(code=code, name=name, codename=f"p{code}", division_type="tỉnh")
    names = list(Province.objects.filter(code__gte=90).order_by("name").values_list("name", flat=True))
    assert names == sorted(names, key=sort_key)
    assert names.index("Tỉnh Đắk Lắk") < names.index("Tỉnh Điện Biên")  # code points: the other way
