"""National-scale registry and reporting data, generated in PostgreSQL with set-based SQL.

Used by the generate_national_data command to benchmark the portal on a country's worth of
data. Every row is drawn by ``random()`` after ``setseed()``, so a seed gives the same data
again. Statements are INSERT ... SELECT over generate_series: no row goes through Python.

Columns this module does not name (fields other apps add later) get their model default,
so the SQL keeps working when the models grow.
"""

import datetime
import json
from contextlib import contextmanager

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.models.fields import NOT_PROVIDED

from portal.models import Role, User
from reports.content import report_content
from reports.models import Report, ReportRequest, ReportVersion
from reports.outlines import ANNUAL_REPORT, STATUS_REPORT
from teams.models import Activity, Member, Team, Village

# Villages per commune and members per team follow the 2025 national figures: about 75,000
# villages and 74,000 teams; 340,000 members would be fewer than 5 a team, so teams get 5 to
# 10 with most at 5 (about 5.6 on average); about 5 million activities over two years (a
# village team does two or three a month).
VILLAGES_PER_COMMUNE = (8, 37)
VILLAGE_TEAM_ACTIVITIES = (20, 120)
QUIET_TEAM_SHARE = 0.1
COMMUNE_TEAM_ACTIVITIES = (150, 350)

# Village kinds by region: "bản" in the northern mountains, "ấp" in the south.
MOUNTAIN_PROVINCES = (4, 8, 11, 12, 14, 15, 20)
SOUTHERN_PROVINCES = (75, 79, 80, 82, 86, 91, 92, 96)

FAMILY_NAMES = "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Nguyễn Trần Lê Nguyễn"
MALE_MIDDLE = "Văn Hữu Đức Minh Quang Thanh Công Xuân"
FEMALE_MIDDLE = "Thị Thị Thị Ngọc Thu Thanh Hồng Minh"
MALE_GIVEN = "An Bình Cường Dũng Hải Hùng Huy Khang Long Nam Phong Quân Sơn Thắng Tuấn Việt Trung Đạt Hiếu Tâm"
FEMALE_GIVEN = "Anh Chi Dung Hà Hạnh Hoa Hương Lan Linh Mai Ngân Nhung Oanh Phương Thảo Trang Vân Yến Thủy Loan"
VILLAGE_NAMES = "Đông Tây Nam Bắc Trung Thượng Hạ Đoài Yên Phú An Hòa Tân Lộc Phúc Thịnh"

BENCH_USER_PREFIX = "bench."
BENCH_PASSWORD = "CongNgheSo@2026"


def _array(words):
    return "ARRAY[" + ", ".join(f"'{w}'" for w in words.split()) + "]"


def _pick(words, r):
    """SQL: one of ``words`` chosen by the random number in column ``r``."""
    count = len(words.split())
    return f"({_array(words)})[1 + floor({r} * {count})::int]"


def insert_select(cursor, model, columns, from_sql, params=()):
    """INSERT INTO model's table (columns) SELECT ... FROM from_sql, defaults for the other fields."""
    names, values, defaults = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.attname in columns or field.db_default is not NOT_PROVIDED:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            names.append(field.column)
            values.append("now()")
        elif field.has_default() or not field.null:
            names.append(field.column)
            values.append("%s")
            defaults.append(field.get_db_prep_save(field.get_default(), connection))
    for attname, expression in columns.items():
        names.append(model._meta.get_field(attname.removesuffix("_id")).column)
        values.append(expression)
    sql = f"INSERT INTO {model._meta.db_table} ({', '.join(names)}) SELECT {', '.join(values)} FROM {from_sql}"
    cursor.execute(sql, [*defaults, *params])
    return cursor.rowcount


def registry_models():
    """The models whose rows the generator writes, and every model that points at them
    (activity photos, report versions, reminders...), except the users, which are kept."""
    found = {
        model
        for label in ("teams", "reports")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if model._meta.model_name not in ("province", "commune")
    }
    while True:
        more = {
            model
            for model in apps.get_models(include_auto_created=True)
            if model not in found
            and model is not User
            and any(f.many_to_one and f.related_model in found for f in model._meta.concrete_fields)
        }
        if not more:
            return found
        found |= more


@contextmanager
def without_foreign_keys(cursor, table, references=None):
    """Drop ``table``'s foreign keys (those to ``references`` only, if given) and add them back
    after the block, checked in one pass. Run it in a transaction so a failure loses nothing."""
    cursor.execute(
        """SELECT conname, pg_get_constraintdef(oid), confrelid::regclass::text FROM pg_constraint
           WHERE conrelid = %s::regclass AND contype = 'f'""",
        [table],
    )
    keys = [(name, sql) for name, sql, target in cursor.fetchall() if references is None or target in references]
    for name, _ in keys:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    yield
    for name, sql in keys:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {sql}')


@contextmanager
def bulk_load(cursor, table):
    """Load ``table`` without its secondary indexes and foreign keys, then build them once:
    much faster than keeping millions of index entries and deferred key checks up to date."""
    cursor.execute(
        """SELECT pg_get_indexdef(i.indexrelid), i.indexrelid::regclass::text FROM pg_index i
           WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT i.indisunique""",
        [table],
    )
    indexes = cursor.fetchall()
    with without_foreign_keys(cursor, table):
        for _, name in indexes:
            cursor.execute(f"DROP INDEX {name}")
        yield
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for sql, _ in indexes:
            cursor.execute(sql)


def truncate_registry(cursor):
    """Empty the registry and report tables (provinces and communes stay). Benchmark users are
    deleted; other users keep their accounts but lose their team. Returns that user count."""
    User.objects.filter(username__startswith=BENCH_USER_PREFIX).delete()
    detached = User.objects.filter(team__isnull=False).update(team=None)
    tables = sorted({model._meta.db_table for model in registry_models()})
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses pending key checks
    # The users table points at teams: its key is dropped for the TRUNCATE and checked after.
    with without_foreign_keys(cursor, User._meta.db_table, references=tables):
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY")
    return detached


def choose_communes(cursor, scale, seed):
    """The communes that get villages and teams: all of them at scale 1, else a share of each
    province (at least one), so that every province has data at any scale.

    Each gets a coverage: 3 % have no team yet, 15 % cover part of their villages, the rest all."""
    low, high = VILLAGES_PER_COMMUNE
    cursor.execute("SELECT setseed(%s)", [seed])
    cursor.execute("DROP TABLE IF EXISTS gen_commune")
    cursor.execute(
        f"""
        CREATE TEMP TABLE gen_commune AS
        SELECT id, province_code, kind, n_villages,
               CASE WHEN r < 0.03 THEN 0 WHEN r < 0.18 THEN 0.6 + 0.35 * random() ELSE 1 END AS coverage
        FROM (
            SELECT c.id, p.code AS province_code, c.kind, random() AS r,
                   {low} + floor(random() * {high - low + 1})::int AS n_villages,
                   row_number() OVER (PARTITION BY c.province_id ORDER BY md5(c.code::text || %s)) AS rank,
                   count(*) OVER (PARTITION BY c.province_id) AS in_province
            FROM teams_commune c JOIN teams_province p ON p.id = c.province_id
            WHERE c.closed_on IS NULL AND p.closed_on IS NULL
            ORDER BY c.code
            OFFSET 0
        ) chosen
        WHERE rank <= ceil(in_province * %s)
        """,
        [str(seed), scale],
    )
    chosen = cursor.rowcount
    cursor.execute("ANALYZE gen_commune")
    return chosen


def generate_villages(cursor):
    """Villages named "Thôn Đông", "Tổ dân phố 3", "Bản Yên 2"..., with households and population;
    3 % of communes also keep two villages closed when they merged in 2025."""
    name = (
        f"({_array(VILLAGE_NAMES)})[1 + mod(n - 1, 16)] || CASE WHEN n > 16 THEN ' ' || ((n - 1) / 16 + 1) ELSE '' END"
    )
    kind = f"""CASE
        WHEN c.kind = 'phuong' THEN CASE WHEN random() < 0.9 THEN 'to_dan_pho' ELSE 'khu_dan_cu' END
        WHEN c.province_code IN {MOUNTAIN_PROVINCES} AND random() < 0.5 THEN 'ban'
        WHEN c.province_code IN {SOUTHERN_PROVINCES} THEN 'ap'
        ELSE 'thon' END"""
    label = """CASE kind WHEN 'to_dan_pho' THEN 'Tổ dân phố ' || n WHEN 'khu_dan_cu' THEN 'Khu dân cư ' || n
        WHEN 'ban' THEN 'Bản ' || place WHEN 'ap' THEN 'Ấp ' || place ELSE 'Thôn ' || place END"""
    open_villages = insert_select(
        cursor,
        Village,
        {
            "commune_id": "commune_id",
            "name": label,
            "kind": "kind",
            "households": "households",
            "population": "round(households * (3.2 + random() * 1.3))",
            "closed_on": "NULL",
        },
        f"""(SELECT c.id AS commune_id, n, {name} AS place, {kind} AS kind,
                    60 + floor(power(random(), 1.5) * 600)::int AS households
             FROM gen_commune c CROSS JOIN LATERAL generate_series(1, c.n_villages) n OFFSET 0) v""",
    )
    closed = insert_select(
        cursor,
        Village,
        {"commune_id": "c.id", "name": "'Thôn Cũ ' || n", "closed_on": "DATE '2025-07-01'"},
        "gen_commune c CROSS JOIN generate_series(1, 2) n WHERE mod(c.id, 33) = 0",
    )
    cursor.execute("ANALYZE teams_village")
    return open_villages + closed


def generate_teams(cursor):
    """One active team for each covered village (by the commune's coverage), a commune-level
    team in 92 % of communes with teams, and dissolved teams for the closed villages."""
    village_teams = insert_select(
        cursor,
        Team,
        {
            "commune_id": "v.commune_id",
            "village_id": "v.id",
            "name": "'Tổ CNSCĐ ' || v.name",
            "level": "'village'",
            "status": "'active'",
            "zalo_url": "CASE WHEN random() < 0.7 THEN 'https://zalo.me/g/' || substr(md5(v.id::text), 1, 10) "
            "ELSE '' END",
            "zalo_planned_month": "NULL",
        },
        "teams_village v JOIN gen_commune c ON c.id = v.commune_id WHERE v.closed_on IS NULL AND random() < c.coverage",
    )
    commune_teams = insert_select(
        cursor,
        Team,
        {
            "commune_id": "c.id",
            "village_id": "NULL",
            "name": "'Tổ CNSCĐ ' || cm.name",
            "level": "'commune'",
            "status": "'active'",
            "zalo_url": "'https://zalo.me/g/' || substr(md5(cm.code::text), 1, 10)",
        },
        "gen_commune c JOIN teams_commune cm ON cm.id = c.id WHERE c.coverage > 0 AND random() < 0.92",
    )
    dissolved = insert_select(
        cursor,
        Team,
        {
            "commune_id": "v.commune_id",
            "village_id": "v.id",
            "name": "'Tổ CNSCĐ ' || v.name",
            "level": "'village'",
            "status": "'dissolved'",
            "dissolved_on": "v.closed_on",  # dissolved with its village
        },
        "teams_village v JOIN gen_commune c ON c.id = v.commune_id WHERE v.closed_on IS NOT NULL",
    )
    cursor.execute("DROP TABLE IF EXISTS gen_team")
    cursor.execute(
        f"""
        CREATE TEMP TABLE gen_team AS
        SELECT t.id, t.commune_id, t.level, t.status,
               5 + floor(6 * power(random(), 6))::int AS n_members,
               CASE WHEN t.status <> 'active' THEN 0
                    WHEN t.level = 'commune' THEN {COMMUNE_TEAM_ACTIVITIES[0]}
                        + floor(random() * {COMMUNE_TEAM_ACTIVITIES[1] - COMMUNE_TEAM_ACTIVITIES[0]})::int
                    WHEN random() < {QUIET_TEAM_SHARE} THEN floor(random() * 10)::int
                    ELSE {VILLAGE_TEAM_ACTIVITIES[0]}
                        + floor(random() * {VILLAGE_TEAM_ACTIVITIES[1] - VILLAGE_TEAM_ACTIVITIES[0]})::int
               END AS n_activities
        FROM teams_team t JOIN gen_commune c ON c.id = t.commune_id
        ORDER BY t.id
        """
    )
    cursor.execute("ANALYZE teams_team")
    cursor.execute("ANALYZE gen_team")
    return village_teams + commune_teams + dissolved


def generate_members(cursor, until):
    """5 to 10 members a team (most have 5 or 6): the first leads it, the second deputises;
    origins, genders, birth years and trainings drawn by realistic shares; 7 % have left, and
    the members of teams dissolved in the 2025 merger left on its day."""
    origin = """CASE
        WHEN i = 1 AND level = 'village' AND r_origin < 0.5 THEN 'village_head'
        WHEN level = 'commune' AND r_origin < 0.5 THEN 'official'
        WHEN r_origin < 0.25 THEN 'youth_union' WHEN r_origin < 0.40 THEN 'women_union'
        WHEN r_origin < 0.48 THEN 'farmers_union' WHEN r_origin < 0.53 THEN 'veterans'
        WHEN r_origin < 0.65 THEN 'police' WHEN r_origin < 0.70 THEN 'official'
        WHEN r_origin < 0.75 THEN 'teacher' WHEN r_origin < 0.78 THEN 'telecom'
        WHEN r_origin < 0.98 THEN 'volunteer' ELSE 'other' END"""
    female = "r_gender < 0.45"
    full_name = f"""{_pick(FAMILY_NAMES, "r_family")} || ' ' || CASE WHEN {female}
        THEN {_pick(FEMALE_MIDDLE, "r_middle")} || ' ' || {_pick(FEMALE_GIVEN, "r_given")}
        ELSE {_pick(MALE_MIDDLE, "r_middle")} || ' ' || {_pick(MALE_GIVEN, "r_given")} END"""
    return insert_select(
        cursor,
        Member,
        {
            "team_id": "team_id",
            "full_name": full_name,
            "role": "CASE i WHEN 1 THEN 'lead' WHEN 2 THEN 'deputy' ELSE 'member' END",
            "origin": origin,
            "phone": "'0' || (ARRAY['3','5','7','8','9'])[1 + floor(r_family * 5)::int] "
            "|| lpad(floor(random() * 100000000)::text, 8, '0')",
            "gender": f"CASE WHEN {female} THEN 'female' ELSE 'male' END",
            "birth_year": "1958 + floor(power(random(), 0.8) * 48)::int",
            "trainings": "CASE WHEN r_training < 0.18 THEN 0 WHEN r_training < 0.5 THEN 1 "
            "WHEN r_training < 0.8 THEN 2 WHEN r_training < 0.95 THEN 3 ELSE 4 END",
            "joined_on": "joined_on",
            "left_on": "CASE WHEN status = 'dissolved' THEN DATE '2025-07-01' "
            "WHEN random() < 0.07 THEN least(%s - 1, joined_on + 30 + floor(random() * 700)::int) END",
        },
        """(SELECT t.id AS team_id, t.level, t.status, i, random() AS r_origin, random() AS r_gender,
                   random() AS r_family, random() AS r_middle, random() AS r_given, random() AS r_training,
                   DATE '2023-03-01' + floor(random() * CASE WHEN t.status = 'dissolved' THEN 800
                       ELSE %s - DATE '2023-03-01' - 30 END)::int AS joined_on
            FROM gen_team t CROSS JOIN LATERAL generate_series(1, t.n_members) i OFFSET 0) m""",
        [until, until],
    )


def generate_activities(cursor, until):
    """Activities over the two years before ``until``, a little more frequent lately. Village
    teams mostly guide door to door; commune teams mostly staff the service centre's desk.

    Rows go in by date, as a live portal receives them: a commune's activities are spread over
    the whole table, not packed together, so the benchmark reads as many pages as it would."""
    cursor.execute("SET LOCAL work_mem = '512MB'")  # sort the five million rows in memory
    start = until - datetime.timedelta(days=730)
    kind = """CASE WHEN level = 'commune' THEN
            CASE WHEN r_kind < 0.4 THEN 'service_desk' WHEN r_kind < 0.6 THEN 'training'
                 WHEN r_kind < 0.8 THEN 'meeting' ELSE 'propaganda' END
        ELSE CASE WHEN r_kind < 0.5 THEN 'door_to_door' WHEN r_kind < 0.7 THEN 'propaganda'
                  WHEN r_kind < 0.82 THEN 'meeting' WHEN r_kind < 0.9 THEN 'training' ELSE 'service_desk' END
        END"""
    topic_shares = [(1, 0.55), (2, 0.35), (4, 0.25), (8, 0.12), (16, 0.06), (32, 0.04), (64, 0.10), (128, 0.05)]
    topics = " + ".join(f"(random() < {share})::int * {bit}" for bit, share in topic_shares)
    people = """CASE kind WHEN 'door_to_door' THEN 1 + floor(r_size * 12) WHEN 'training' THEN 10 + floor(r_size * 50)
        WHEN 'meeting' THEN 15 + floor(r_size * 80) WHEN 'service_desk' THEN 3 + floor(r_size * 30) ELSE 0 END"""
    households = """CASE kind WHEN 'door_to_door' THEN 1 + floor(r_size * 10)
        WHEN 'propaganda' THEN 30 + floor(r_size * 300) WHEN 'meeting' THEN 10 + floor(r_size * 40) ELSE 0 END"""
    return insert_select(
        cursor,
        Activity,
        {
            "team_id": "team_id",
            "commune_id": "commune_id",
            "date": "date",
            "kind": "kind",
            "topics": "topics",
            "people_helped": people,
            "households_reached": households,
            "accounts_created": f"CASE WHEN topics & 1 = 1 AND kind IN ('door_to_door', 'service_desk') "
            f"THEN floor(random() * ({people}) * 0.6) ELSE 0 END",
            "created_at": "date + time '07:30' + random() * interval '11 hours'",
        },
        f"""(SELECT team_id, commune_id, date, r_size, {kind} AS kind, coalesce(nullif(topics, 0), 256) AS topics
             FROM (SELECT t.id AS team_id, t.commune_id, t.level, random() AS r_kind, random() AS r_size,
                          %s::date + floor(power(random(), 0.85) * 730)::int AS date, {topics} AS topics
                   FROM gen_team t CROSS JOIN LATERAL generate_series(1, t.n_activities) i
                   WHERE t.n_activities > 0 OFFSET 0) drawn
             OFFSET 0) a
           ORDER BY a.date""",
        [start],
    )


# Three requests a province: last year's annual report (long past, nearly all accepted), a
# recent letter past its deadline (every status), and one still open (many not started), each
# with the built-in outline a department would choose (reports/outlines.py).
# Shares: accepted, submitted, returned, draft (the rest have no report); then late share.
REQUESTS = [
    ("annual", ANNUAL_REPORT, (0.85, 0.04, 0.02, 0.03), 0.15),
    ("recent", STATUS_REPORT, (0.40, 0.25, 0.08, 0.10), 0.20),
    ("open", STATUS_REPORT, (0.05, 0.20, 0.03, 0.30), 0.0),
]


def keyed_outline(sections):
    """An outline's sections with the keys ReportRequest.set_outline gives a new request's."""
    return [{**item, "key": f"s{number}"} for number, item in enumerate(sections, start=1)]


def _request_dates(name, until):
    if name == "annual":
        year = until.year - 1
        return {
            "subject": f"Báo cáo kết quả hoạt động Tổ công nghệ số cộng đồng năm {year}",
            "letter_date": datetime.date(year, 12, 1),
            "period": (datetime.date(year, 1, 1), datetime.date(year, 12, 31)),
            "deadline": datetime.date(year, 12, 20),
        }
    if name == "recent":
        return {
            "subject": "Báo cáo tình hình hoạt động Tổ công nghệ số cộng đồng",
            "letter_date": until - datetime.timedelta(days=30),
            "period": (until - datetime.timedelta(days=180), until - datetime.timedelta(days=31)),
            "deadline": until - datetime.timedelta(days=7),
        }
    return {
        "subject": "Báo cáo sơ kết hoạt động Tổ công nghệ số cộng đồng",
        "letter_date": until - datetime.timedelta(days=10),
        "period": (until - datetime.timedelta(days=90), until - datetime.timedelta(days=11)),
        "deadline": until + datetime.timedelta(days=10),
    }


def generate_reports(cursor, until):
    """Report requests of every province to its chosen communes, and the communes' reports."""
    now = datetime.datetime.combine(until, datetime.time(10, 0), tzinfo=datetime.UTC)  # 17:00 in Vietnam
    requests = 0
    reports = 0
    for number, (name, outline, shares, late_share) in enumerate(REQUESTS, start=1):
        dates = _request_dates(name, until)
        accepted, submitted, returned, draft = shares
        cut = [accepted, accepted + submitted, accepted + submitted + returned, sum(shares)]
        requests += insert_select(
            cursor,
            ReportRequest,
            {
                "province_id": "p.id",
                "letter_number": f"p.code * 100 + {number} || '/SKHCN-CNTT'",
                "letter_date": "%s",
                "subject": "%s",
                "period_start": "%s",
                "period_end": "%s",
                # 17:00 in Vietnam (UTC+7) on the deadline day.
                "deadline": "(%s::date + time '10:00') AT TIME ZONE 'UTC'",
                "outline": "%s::jsonb",
                "report_subject": "%s",
                "document_type": "%s",
                "numbering": "%s",
            },
            "teams_province p WHERE EXISTS (SELECT 1 FROM gen_commune c WHERE c.province_code = p.code)",
            [
                dates["letter_date"],
                dates["subject"],
                *dates["period"],
                dates["deadline"],
                json.dumps(keyed_outline(outline["sections"]), ensure_ascii=False),
                outline["subject"],
                outline["document_type"],
                outline["numbering"],
            ],
        )
        request_filter = "rr.letter_number = p.code * 100 + %s || '/SKHCN-CNTT'"
        cursor.execute(
            f"""INSERT INTO reports_reportrequest_communes (reportrequest_id, commune_id)
                SELECT rr.id, c.id FROM reports_reportrequest rr JOIN teams_province p ON p.id = rr.province_id
                JOIN gen_commune c ON c.province_code = p.code WHERE {request_filter}""",
            [number],
        )
        status = f"""CASE WHEN r < {cut[0]} THEN 'accepted' WHEN r < {cut[1]} THEN 'submitted'
            WHEN r < {cut[2]} THEN 'returned' ELSE 'draft' END"""
        # Submitted up to 12 days before the deadline, or (late) up to 9 days after it; never after now.
        first = f"""CASE WHEN r >= {cut[2]} THEN NULL
            WHEN random() < {late_share} THEN least(deadline + (1 + floor(random() * 9)) * interval '1 day', %s)
            ELSE least(deadline, %s) - floor(random() * 12) * interval '1 day' - random() * interval '8 hours' END"""
        reports += insert_select(
            cursor,
            Report,
            {
                "request_id": "request_id",
                "commune_id": "commune_id",
                "status": "status",
                "first_submitted_at": "first_submitted_at",
                "submitted_at": "least(first_submitted_at + CASE WHEN status = 'returned' THEN interval '0' "
                "ELSE floor(random() * 3) * interval '1 day' END, %s)",
                "accepted_at": "CASE WHEN status = 'accepted' "
                "THEN least(first_submitted_at + interval '4 days', %s) END",
            },
            f"""(SELECT request_id, commune_id, {status} AS status, {first} AS first_submitted_at FROM (
                    SELECT rr.id AS request_id, c.id AS commune_id, rr.deadline, random() AS r
                    FROM reports_reportrequest rr JOIN teams_province p ON p.id = rr.province_id
                    JOIN gen_commune c ON c.province_code = p.code WHERE {request_filter} OFFSET 0) drawn
                 WHERE r < {cut[3]} OFFSET 0) x""",
            [now, now, now, now, number],
        )
    return requests, reports


SENT = (Report.Status.SUBMITTED, Report.Status.RETURNED, Report.Status.ACCEPTED)


def freeze_versions(batch=500):
    """The version every sent report was sent as: its content made by the portal's own
    report_content (as reports.workflow.submit freezes it) from the generated registry, dated at
    its first sending. Without it a summary would list accepted reports as having no figures."""
    made, pending = 0, []
    reports = Report.objects.filter(status__in=SENT, versions__isnull=True).select_related("request", "commune")
    for report in reports.order_by("pk").iterator(chunk_size=batch):
        content = report_content(report)
        pending.append(ReportVersion(report=report, number=1, content=content, submitted_at=report.first_submitted_at))
        if len(pending) == batch:
            made += len(ReportVersion.objects.bulk_create(pending))
            pending = []
    return made + len(ReportVersion.objects.bulk_create(pending))


def generate_users(password=BENCH_PASSWORD):
    """An administrator, department staff for every province with data, an official for every
    chosen commune and a lead for each commune's first active team; all share one password."""
    hashed = make_password(password)
    with connection.cursor() as cursor:
        cursor.execute("""SELECT p.id, p.code, c.id, cm.code FROM gen_commune c JOIN teams_commune cm ON cm.id = c.id
                          JOIN teams_province p ON p.id = cm.province_id ORDER BY cm.code""")
        communes = cursor.fetchall()
        cursor.execute("""SELECT DISTINCT ON (t.commune_id) t.id, t.commune_id FROM gen_team t
                          WHERE t.status = 'active' ORDER BY t.commune_id, t.id""")
        first_teams = cursor.fetchall()
    province_of = {commune_id: province_id for province_id, _, commune_id, _ in communes}
    users = [User(username=f"{BENCH_USER_PREFIX}admin", role=Role.ADMIN, is_staff=True, is_superuser=True)]
    users += [
        User(username=f"{BENCH_USER_PREFIX}so.{code}", role=Role.PROVINCE, province_id=province_id)
        for province_id, code in sorted({(p, code) for p, code, _, _ in communes})
    ]
    users += [
        User(username=f"{BENCH_USER_PREFIX}xa.{code}", role=Role.COMMUNE, province_id=p, commune_id=c)
        for p, _, c, code in communes
    ]
    users += [
        User(
            username=f"{BENCH_USER_PREFIX}to.{team_id}",
            role=Role.TEAM_LEAD,
            province_id=province_of[commune_id],
            commune_id=commune_id,
            team_id=team_id,
        )
        for team_id, commune_id in first_teams
    ]
    for user in users:
        user.password = hashed
    User.objects.bulk_create(users, batch_size=2000)
    return len(users)
