"""Names sorted by the database as a Vietnamese dictionary sorts them ("Đan Điền" after
"Dương Kinh", "Ân Thi" after "Anh Sơn"), like ``portal.vietnamese.sort_key`` sorts in Python.

PostgreSQL sorts with ICU's Vietnamese collation (``vi-x-icu``, built into PostgreSQL with ICU).
SQLite, the laptop default, has no such collation: there names keep code-point order, which
differs only for letters with marks.
"""

from django.db import connection
from django.db.models import F
from django.db.models.functions import Collate

VIETNAMESE = "vi-x-icu"


def by_name(field="name", descending=False):
    """An ``order_by`` term for ``field`` in Vietnamese order (on PostgreSQL)."""
    expression = Collate(F(field), VIETNAMESE) if connection.vendor == "postgresql" else F(field)
    return expression.desc() if descending else expression.asc()
