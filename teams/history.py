"""The edit history of records: as a record's own page shows it (who changed what, from what to
what, when), and written in bulk for an import."""

import datetime
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from portal import vietnamese


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    when: object
    who: object
    kind: str
    changes: list


KIND_LABELS = {"+": "Tạo mới", "~": "Sửa", "-": "Xóa"}


def _display(record, field_name, value):
    field = record.instance_type._meta.get_field(field_name)
    if field.choices:
        return dict(field.flatchoices).get(value, value or "")
    if isinstance(value, datetime.date):
        return vietnamese.short_date(value)
    return "" if value is None else str(value)


def history_of(obj, limit=50):
    """Newest first. Uses one query for the records and their users (history_user)."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries = []
    for record, previous in zip(records, records[1:] + [None], strict=False):
        if len(entries) == limit:
            break
        changes = []
        if previous is not None:
            for change in record.diff_against(previous, foreign_keys_are_objs=True).changes:
                field = obj._meta.get_field(change.field)
                changes.append(
                    Change(
                        str(field.verbose_name),
                        _display(record, change.field, change.old),
                        _display(record, change.field, change.new),
                    )
                )
        entries.append(Entry(record.history_date, record.history_user, KIND_LABELS[record.history_type], changes))
    return entries


def create_with_history(records, user, batch_size=1000):
    """Insert ``records`` (new instances of one model) in bulk with a "+" history row each, as
    django-simple-history's bulk_create_with_history does, without a Python object per history
    row: the records go through the ORM (the kept counts follow them), their history rows are
    copied from the rows just written by one INSERT ... SELECT a batch, the columns named by the
    history model itself. That halves an import's confirmation (bench/README.md)."""
    model = type(records[0])
    history = model.history.model
    quote = connection.ops.quote_name
    copied = ", ".join(quote(field.column) for field in history.tracked_fields)
    stamped = ", ".join(
        quote(history._meta.get_field(name).column)
        for name in ("history_date", "history_change_reason", "history_type", "history_user")
    )
    stamp = [connection.ops.adapt_datetimefield_value(timezone.now()), None, "+", user.pk if user else None]
    with transaction.atomic(savepoint=False):
        created = model.objects.bulk_create(records, batch_size=batch_size)
        with connection.cursor() as cursor:
            for start in range(0, len(created), batch_size):
                keys = [record.pk for record in created[start : start + batch_size]]
                cursor.execute(
                    f"INSERT INTO {quote(history._meta.db_table)} ({copied}, {stamped}) "
                    f"SELECT {copied}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
                    f"WHERE {quote(model._meta.pk.column)} IN ({', '.join(['%s'] * len(keys))})",
                    [*stamp, *keys],
                )
    return created
