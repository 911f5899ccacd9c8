from django.db import migrations

# PostgreSQL only, as 0006: the same two composite keys, now DEFERRABLE (still checked after each
# statement unless a move says otherwise): a commune moved to another province, or a team to
# another commune, takes its accounts with it in the same transaction (portal.models.units_moving).
KEYS = {
    "user_commune_in_province": "FOREIGN KEY (commune_id, province_id) REFERENCES teams_commune (id, province_id)",
    "user_team_in_commune": "FOREIGN KEY (team_id, commune_id) REFERENCES teams_team (id, commune_id)",
}


def replace_keys(deferrable):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        suffix = " DEFERRABLE INITIALLY IMMEDIATE" if deferrable else ""
        for name, key in KEYS.items():
            schema_editor.execute(f"ALTER TABLE portal_user DROP CONSTRAINT {name}")
            schema_editor.execute(f"ALTER TABLE portal_user ADD CONSTRAINT {name} {key}{suffix}")

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0008_django_flags_follow_role"),
    ]

    operations = [migrations.RunPython(replace_keys(True), replace_keys(False))]
