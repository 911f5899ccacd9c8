"""Covering indexes for the dashboards' GROUP BYs over activities and members (PostgreSQL only).

Each carries every column its queries read (id included: the dashboards count Count("id")), so
PostgreSQL answers them from the index alone, without visiting the table's pages. Measured
with bench/run.py on 5.1 million activities, 2 shared cores, PostgreSQL 15 defaults, with the
dashboards of portal/dashboards.py (2026-11-23):

- teams_activity_commune_date_cover serves the province dashboard's one pass over a
  province's activities (WHERE commune_id IN (...) AND date BETWEEN ... GROUP BY commune,
  kind, month with a count per topic bit): Hồ Chí Minh City, 168 communes, 123,000 activities
  in the year: query 292 -> 99 ms; page 590 -> 332 ms median.
- teams_activity_date_cover serves the national view's activities per commune over a period
  (WHERE date BETWEEN ... GROUP BY commune_id): 2.6 million activities in the year: page
  740 -> 488 ms median.
- teams_member_team_cover serves the province dashboard's two member counts (active members
  per commune, and by origin, gender and training: members JOIN teams WHERE commune_id IN
  (...)): with it PostgreSQL probes the province's 3,500 teams instead of reading all 410,000
  members: each query 44 -> 20 ms; page 322 -> 275 ms median.

Created CONCURRENTLY so that adding them to a live database does not block new activities.
They are not in the models' Meta because Django builds Meta indexes inside a transaction, and
the PostgreSQL-only AddIndexConcurrently would break the SQLite database used to try the portal.
"""

from django.db import migrations

INDEXES = {
    "teams_activity_commune_date_cover": "teams_activity (commune_id, date) INCLUDE (id, kind, topics, people_helped)",
    "teams_activity_date_cover": "teams_activity (date) INCLUDE (id, commune_id, people_helped)",
    "teams_member_team_cover": "teams_member (team_id) INCLUDE (id, joined_on, left_on, origin, gender, trainings)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, definition in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction
    dependencies = [("teams", "0001_initial")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
