"""The edit history of a record, as its own page shows it: who changed what, from what to what, when."""

import datetime
from dataclasses import dataclass

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
