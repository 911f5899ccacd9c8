"""Rows stored before portal/text.py: every text column of the portal, teams and reports apps in
Unicode NFC and without control characters (line breaks and tabs kept), as forms and imports now
require. Prose and outlines (JSON) are cleaned string by string; a submitted version's frozen
content is left as it was sent (rendering strips it when printing).

The rule is copied here rather than imported, so this migration does the same thing forever.
"""

import re
import unicodedata

from django.db import migrations, models

FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
JSON_COLUMNS = {
    ("reports", "report", "prose"),
    ("reports", "provincesummary", "prose"),
    ("reports", "reportrequest", "outline"),
}


def clean(value):
    if isinstance(value, str):
        return FORBIDDEN.sub("", unicodedata.normalize("NFC", value))
    if isinstance(value, dict):
        return {key: clean(item) for key, item in value.items()}
    if isinstance(value, list):
        return [clean(item) for item in value]
    return value


def clean_rows(apps, schema_editor):
    for label in ("portal", "teams", "reports"):
        for model in apps.get_app_config(label).get_models():
            names = [
                f.attname
                for f in model._meta.concrete_fields
                if (isinstance(f, models.CharField | models.TextField) and not f.primary_key)
                or (label, model._meta.model_name, f.name) in JSON_COLUMNS
            ]
            if not names:
                continue
            changed = []
            for row in model._base_manager.only("pk", *names).iterator(chunk_size=2000):
                dirty = False
                for name in names:
                    value = getattr(row, name)
                    cleaned = clean(value)
                    if cleaned != value:
                        setattr(row, name, cleaned)
                        dirty = True
                if dirty:
                    changed.append(row)
                if len(changed) >= 500:
                    model._base_manager.bulk_update(changed, names)
                    changed = []
            if changed:
                model._base_manager.bulk_update(changed, names)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0006_user_units"),
        ("teams", "0005_database_rules"),
        ("reports", "0011_request_period"),
    ]

    operations = [migrations.RunPython(clean_rows, migrations.RunPython.noop)]
