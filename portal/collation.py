"""Names sorted by the database as a Vietnamese dictionary sorts them ("Đan Điền" after
"Dương Kinh", "Ân Thi" after "Anh Sơn", "Bắc Sơn" before "Bình Giang"), like
``portal.vietnamese.sort_key`` sorts in Python.

The decision is made once, on the column: a ``NameField`` (the name of a province, commune,
village, team, person or indicator) has ICU's Vietnamese collation (``vi-x-icu``, built into
PostgreSQL with ICU) on PostgreSQL, so every ORDER BY on it sorts that way: a list's sort, a
picker, ``Meta.ordering``, the appendix of a province summary, a province-wide export, without a
``Collate()`` anyone has to remember. The database's own collation (C.UTF-8 here) sorts by code
point, which puts "Đ" after "Z" and "Bắc" after "Bình". tests/portal/test_collation.py checks that
every field called ``name`` or ``full_name`` is a NameField and that its column has the collation.

SQLite, the laptop default, has no such collation: there names keep code-point order, which
differs only for letters with marks.
"""

from django.db import models

VIETNAMESE = "vi-x-icu"


class NameField(models.CharField):
    """A CharField whose column sorts in Vietnamese dictionary order on PostgreSQL."""

    def db_parameters(self, connection):
        parameters = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            parameters["collation"] = VIETNAMESE
        return parameters
