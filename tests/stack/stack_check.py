"""The stack test (make stack-test): the portal as it runs in production, on the loopback.

PostgreSQL primary + streaming replica, moto's S3 server, two gunicorn servers behind haproxy, one
worker. For at most 60 s: 200 commune officials save and send their report and 20 team leads log
activities, while one app server is restarted gracefully (SIGHUP) and the worker is killed
(SIGKILL) in the middle of a reminder task to the 200 communes. Then: no failed request, every
accepted write present once, the killed task finished once, dashboards equal to direct counts.

Run by pytest on its own (the file name keeps it out of the normal suite): bin/stack-test.
"""

import collections
import glob
import io
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

import psycopg2
import requests
from openpyxl import load_workbook

from tests.service.s3 import KEYS, create_bucket
from tests.stack import load

BASE = Path(__file__).resolve().parents[2]
PORT = {"lb": 56010, "web_a": 56011, "web_b": 56012, "primary": 56050, "replica": 56051, "s3": 56060}
OFFICIALS, LEADS, ACTIVITIES_PER_LEAD = 200, 20, 3
LOAD_SECONDS = 60
PGBIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))[-1]


def as_pg(command):
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def wait_for(check, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # not up yet
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{what} not ready after {seconds} s")


class Stack:
    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="stack.", dir="/tmp"))
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self.dir.chmod(0o755)
        self.processes = {}
        self.clusters = []
        self.mails = self.dir / "mails.txt"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DEBUG": "false",
            "SECRET_KEY": "stack-test-secret-key-not-for-production-0123456789",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_COOKIES": "false",
            "SECURE_SSL_REDIRECT": "false",  # plain HTTP on the loopback: no TLS in front here
            "DATABASE_URL": f"postgres://app:app@127.0.0.1:{PORT['primary']}/app",
            "DATABASE_REPLICA_URL": f"postgres://app:app@127.0.0.1:{PORT['replica']}/app",
            "S3_BUCKET": "stack",
            "S3_ENDPOINT_URL": f"http://127.0.0.1:{PORT['s3']}",
            **KEYS,
            "TASKS_BACKEND": "database",
            "FAST_PASSWORD_HASHER": "true",  # 220 logins on 2 cores: PBKDF2 would be the test
            "REQUIRE_2FA_ROLES": "",  # the department's TOTP step is tested in tests/accounts
            "EMAIL_BACKEND": "tests.stack.slow_mail.SlowBackend",
            "EMAIL_FILE_PATH": str(self.mails),
            "WORKER_HEARTBEAT_SECONDS": "1",
            "WORKER_STALE_SECONDS": "5",
            "STATIC_ROOT": str(self.dir / "static"),
            "WEB_CONCURRENCY": "2",
            "LOG_FORMAT": "json",
            "PYTHONPATH": str(BASE),
        }

    # PostgreSQL ------------------------------------------------------------------------------
    def pg_start(self, name, port):
        data = self.dir / name
        options = f"-p {port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        subprocess.run(
            as_pg([f"{PGBIN}/pg_ctl", "-D", str(data), "-l", str(self.dir / f"{name}.log"), "-w", "-t", "60"])
            + ["-o", options, "start"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self.clusters.append(data)

    def start_databases(self):
        subprocess.run(
            as_pg([f"{PGBIN}/initdb", "-D", str(self.dir / "primary"), "-U", "postgres", "-A", "trust", "-E", "UTF8"])
            + ["--locale=C.UTF-8"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self.pg_start("primary", PORT["primary"])
        psql = [f"{PGBIN}/psql", "-h", "127.0.0.1", "-p", str(PORT["primary"]), "-U", "postgres", "-q"]
        subprocess.run(
            [*psql, "-c", "CREATE ROLE app LOGIN PASSWORD 'app' CREATEDB", "-c", "CREATE DATABASE app OWNER app"],
            check=True,
        )
        # The replica: a base backup of the primary that follows it (-R writes standby.signal).
        subprocess.run(
            as_pg([f"{PGBIN}/pg_basebackup", "-h", "127.0.0.1", "-p", str(PORT["primary"]), "-U", "postgres"])
            + ["-D", str(self.dir / "replica"), "-R", "-X", "stream", "-c", "fast"],
            check=True,
        )
        self.pg_start("replica", PORT["replica"])

    def sql(self, query, args=(), port=None):
        conn = psycopg2.connect(
            dbname="app", user="app", password="app", host="127.0.0.1", port=port or PORT["primary"]
        )
        try:
            with conn, conn.cursor() as cursor:
                cursor.execute(query, args)
                return cursor.fetchall() if cursor.description else None
        finally:
            conn.close()

    # Processes -------------------------------------------------------------------------------
    def spawn(self, name, command, **env):
        log = open(self.dir / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(command, cwd=BASE, env={**self.env, **env}, stdout=log, stderr=subprocess.STDOUT)
        self.processes[name] = process
        return process

    def manage(self, *args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=BASE, env=self.env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def start_web(self, name):
        port = PORT[name]
        self.spawn(
            name,
            [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py"],
            GUNICORN_BIND=f"127.0.0.1:{port}",
            GUNICORN_PROC_NAME=f"stack-{name}",
        )

    def start_worker(self, name):
        return self.spawn(name, [sys.executable, "manage.py", "worker", "--no-reload", "--interval", "0.3"])

    def start_haproxy(self):
        config = self.dir / "haproxy.cfg"
        config.write_text(
            f"""global
    maxconn 1000
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout check 10s
    retries 3
    option redispatch
frontend portal
    bind 127.0.0.1:{PORT["lb"]}
    default_backend web
backend web
    balance roundrobin
    option httpchk
    http-check send meth GET uri /healthz hdr Host 127.0.0.1
    server a 127.0.0.1:{PORT["web_a"]} check inter 2s fall 3 rise 2
    server b 127.0.0.1:{PORT["web_b"]} check inter 2s fall 3 rise 2
"""
        )
        self.spawn("haproxy", ["haproxy", "-f", str(config), "-db"])

    def stop(self):
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        for data in reversed(self.clusters):
            subprocess.run(
                as_pg([f"{PGBIN}/pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop"]),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        if os.environ.get("STACK_KEEP") != "1":
            shutil.rmtree(self.dir, ignore_errors=True)


def start(stack):
    started = time.monotonic()
    stack.start_databases()
    stack.spawn("s3", [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(PORT["s3"])])
    wait_for(lambda: requests.get(f"http://127.0.0.1:{PORT['s3']}/", timeout=1).ok, 60, "moto_server")
    create_bucket(f"http://127.0.0.1:{PORT['s3']}", "stack")
    stack.manage("migrate", "--noinput")
    data = json.loads(stack.manage_json())
    stack.manage("collectstatic", "--noinput", "--verbosity", "0")
    stack.start_web("web_a")
    stack.start_web("web_b")
    stack.start_worker("worker")
    stack.start_haproxy()
    for name in ("web_a", "web_b"):
        url = f"http://127.0.0.1:{PORT[name]}/healthz"
        wait_for(lambda url=url: requests.get(url, timeout=2).status_code == 200, 120, name)
    wait_for(
        lambda: requests.get(f"http://127.0.0.1:{PORT['lb']}/healthz", timeout=2).json()["status"] == "ok", 60, "lb"
    )
    stack.up_seconds = round(time.monotonic() - started)
    return data


def _manage_json(self):
    result = subprocess.run(
        [sys.executable, "-m", "tests.stack.setup_data", str(OFFICIALS), str(LEADS)],
        cwd=BASE,
        env=self.env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


Stack.manage_json = _manage_json


def count_log(stack, name, text):
    return (stack.dir / f"{name}.log").read_text(errors="replace").count(text)


def test_the_stack_survives_a_graceful_restart_and_a_killed_worker(capsys):
    stack = Stack()
    try:
        run(stack, capsys)
    finally:
        stack.stop()


def run(stack, capsys):
    data = start(stack)
    lb = f"http://127.0.0.1:{PORT['lb']}"
    counter = load.Counter()
    accepted = {"reports": [], "activities": []}
    password = data["password"]

    # The department asks for reminders to the 200 communes (the request nobody answers in this test).
    staff = load.User(lb, data["staff"], password, counter)
    staff.login()
    page = f"/thong-ke/yeu-cau/{data['reminded_request']}/"
    token = load.CSRF.search(staff.call("GET", page).text).group(1)

    flows = [("official", name) for name in data["officials"]] + [("lead", lead) for lead in data["leads"]]
    random.Random(13).shuffle(flows)
    pool = ThreadPoolExecutor(max_workers=8)
    t0 = time.monotonic()

    def flow(kind, who):
        if kind == "official":
            load.official_flow(load.User(lb, who, password, counter), data["answered_request"], accepted)
        else:
            load.lead_flow(load.User(lb, who[0], password, counter), who[1], ACTIVITIES_PER_LEAD, accepted)

    futures = [pool.submit(flow, kind, who) for kind, who in flows]
    staff.post(f"/thong-ke/yeu-cau/{data['reminded_request']}/nhac-nop/", {"csrfmiddlewaretoken": token}, page)
    events = {"reminder_queued": round(time.monotonic() - t0, 1)}

    # The worker is killed in the middle of the reminder task; systemd would start it again.
    def delivered():
        return stack.sql("SELECT count(*) FROM portal_reminderdelivery")[0][0]

    wait_for(lambda: delivered() >= 40, 40, "the reminder task under way")
    stack.processes["worker"].send_signal(signal.SIGKILL)
    stack.processes["worker"].wait()
    events["worker_killed"] = round(time.monotonic() - t0, 1)
    events["delivered_before_kill"] = delivered()

    # One app server restarts gracefully under load (systemctl reload).
    time.sleep(1)
    stack.processes["web_a"].send_signal(signal.SIGHUP)
    events["web_a_sighup"] = round(time.monotonic() - t0, 1)
    time.sleep(1)
    stack.start_worker("worker2")
    events["worker_restarted"] = round(time.monotonic() - t0, 1)

    # The load is bounded: flows not started after LOAD_SECONDS are cancelled (counted, not failed);
    # those under way finish (a request times out after 120 s, as a patient browser would).
    wait(futures, timeout=max(1, LOAD_SECONDS - (time.monotonic() - t0)))
    pool.shutdown(wait=True, cancel_futures=True)
    load_seconds = time.monotonic() - t0
    done = [f for f in futures if not f.cancelled()]
    not_started = len(futures) - len(done)
    flow_errors = [repr(f.exception()) for f in done if f.exception()]

    wait_for(lambda: stack.sql("SELECT status FROM portal_reminderlog")[0][0] == "sent", 60, "the reminder task")
    events["reminder_sent"] = round(time.monotonic() - t0, 1)

    # Direct counts on the primary.
    reports = dict(
        stack.sql(
            "SELECT r.id, r.status || ':' || count(v.id) FROM reports_report r "
            "LEFT JOIN reports_reportversion v ON v.report_id = r.id WHERE r.request_id = %s GROUP BY r.id",
            [data["answered_request"]],
        )
    )
    notes = collections.Counter(
        dict(stack.sql("SELECT notes, count(*) FROM teams_activity WHERE notes LIKE 'stack-%%' GROUP BY notes"))
    )
    log = stack.sql("SELECT id, status, recipients, task_id FROM portal_reminderlog")
    (log_id, log_status, recipients, task_id) = log[0]
    deliveries = stack.sql("SELECT count(*), count(DISTINCT user_id) FROM portal_reminderdelivery")[0]
    task = stack.sql("SELECT status, worker_ids FROM django_tasks_database_dbtaskresult WHERE id = %s", [task_id])[0]
    mails = collections.Counter(stack.mails.read_text().split())

    # Dashboards, read by a department user who wrote nothing (so from the replica), once it caught up.
    viewer = load.User(lb, data["viewer"], password, counter)
    viewer.login()
    lsn = stack.sql("SELECT pg_current_wal_lsn()::text")[0][0]
    wait_for(
        lambda: stack.sql("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn], port=PORT["replica"])[0][0],
        30,
        "the replica",
    )
    replica_reads = "SELECT xact_commit FROM pg_stat_database WHERE datname = 'app'"
    before = stack.sql(replica_reads, port=PORT["replica"])[0][0]
    sheet = viewer.call("GET", f"/thong-ke/tinh/{data['province']}/?xuat=xlsx")
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    header = rows[0]
    column = next(i for i, title in enumerate(header) if title and "hoạt động" in str(title).lower())
    dashboard_activities = sum(int(row[column] or 0) for row in rows[1:] if isinstance(row[column], int | float))
    time.sleep(1.5)  # the replica's statistics are flushed every second
    after = stack.sql(replica_reads, port=PORT["replica"])[0][0]
    completeness = viewer.call("GET", f"/thong-ke/yeu-cau/{data['answered_request']}/").text
    # A province-wide list asked through the load balancer, made by the (restarted) worker, stored in
    # S3 and downloaded through the load balancer again: every team of the province, once.
    started = time.monotonic()
    job = viewer.post(
        f"/so-lieu/tinh/{data['province']}/to/xuat-excel/",
        {"csrfmiddlewaretoken": viewer.csrf()},
        f"/thong-ke/tinh/{data['province']}/",
    ).headers["Location"]
    wait_for(lambda: "Tải về" in viewer.call("GET", job).text, 60, "the province's team list")
    events["team_list_seconds"] = round(time.monotonic() - started, 1)
    team_list = viewer.call("GET", job + "tai-ve/")
    listed_teams = sorted(
        row[0] for row in load_workbook(io.BytesIO(team_list.content)).active.iter_rows(min_row=2, values_only=True)
    )
    stored = stack.sql("SELECT file FROM exports_export WHERE status = 'done'")
    direct_teams = sorted(
        row[0]
        for row in stack.sql(
            "SELECT t.name FROM teams_team t JOIN teams_commune c ON c.id = t.commune_id WHERE c.province_id = %s",
            [data["province"]],
        )
    )
    on_time = int(re.search(r'data-count="on_time">([\d.]+)<', completeness).group(1).replace(".", ""))
    direct_activities = stack.sql(
        "SELECT count(*) FROM teams_activity a JOIN teams_commune c ON c.id = a.commune_id "
        "WHERE c.province_id = %s AND a.date BETWEEN '2026-01-01' AND '2026-12-31'",
        [data["province"]],
    )[0][0]
    direct_submitted = stack.sql(
        "SELECT count(*) FROM reports_report WHERE request_id = %s AND status = 'submitted'", [data["answered_request"]]
    )[0][0]

    times = sorted(counter.times)
    figures = {
        "stack_up_seconds": stack.up_seconds,
        "load_seconds": round(load_seconds, 1),
        "requests": counter.requests,
        "failed_requests": len(counter.failures),
        "median_ms": round(1000 * times[len(times) // 2]),
        "p95_ms": round(1000 * times[int(len(times) * 0.95)]),
        "flows_finished": len(done) - len(flow_errors),
        "flows_failed": len(flow_errors),
        "flows_not_started_in_time": not_started,
        "reports_sent": len(accepted["reports"]),
        "activities_logged": len(accepted["activities"]),
        "web_a_reloads": count_log(stack, "web_a", "Handling signal: hup"),
        "events_s": events,
        "reminder": {
            "status": log_status,
            "recipients": recipients,
            "deliveries": deliveries[0],
            "distinct": deliveries[1],
            "task": task[0],
            "task_runs": len(task[1]),
            "mails_sent": sum(mails.values()),
            "mails_twice": sum(1 for n in mails.values() if n > 1),
        },
        "dashboard": {"activities": dashboard_activities, "direct": direct_activities},
        "completeness": {"on_time": on_time, "direct_submitted": direct_submitted},
        "team_list": {"rows": len(listed_teams), "direct": len(direct_teams), "stored": stored},
        "replica_transactions_during_dashboard": after - before,
    }
    with capsys.disabled():  # the figures are shown even when the test passes
        print("\nSTACK FIGURES " + json.dumps(figures, ensure_ascii=False))
    (BASE / "tests" / "stack" / "last-figures.json").write_text(json.dumps(figures, ensure_ascii=False, indent=1))
    assert counter.failures == [], counter.failures[:10]
    assert flow_errors == [], flow_errors[:5]
    assert accepted["reports"] and accepted["activities"], "no user finished within the time"
    # Every accepted write present exactly once, and nothing else written.
    for _, report_id in accepted["reports"]:
        assert reports[report_id] == "submitted:1", (report_id, reports[report_id])
    assert len(reports) == len(accepted["reports"])
    assert all(notes[note] == 1 for note in accepted["activities"])
    assert sum(notes.values()) == len(accepted["activities"])
    # The killed task ran to the end once: every official reminded once in the database; the mail
    # in flight at the kill may have left twice (at-least-once delivery to the mail relay).
    assert (log_status, recipients, deliveries[0], deliveries[1]) == ("sent", OFFICIALS, OFFICIALS, OFFICIALS)
    assert task[0] == "SUCCESSFUL" and len(task[1]) == 2
    assert len(mails) == OFFICIALS and figures["reminder"]["mails_twice"] <= 1
    assert figures["web_a_reloads"] == 1
    # Dashboards equal direct counts, and were read from the replica.
    assert dashboard_activities == direct_activities
    assert on_time == direct_submitted == len(accepted["reports"])
    assert after > before
    # The list the worker made holds what the database holds, and its file is in the S3 bucket.
    assert listed_teams == direct_teams and len(listed_teams) > 0
    assert len(stored) == 1 and stored[0][0].startswith("exports/")

    # The nightly housekeeping (deploy/portal-housekeeping.timer) with the production settings: the
    # reminder's task, aged past TASK_RESULT_KEEP_DAYS, is deleted from the primary; nothing else is.
    stack.sql(
        "UPDATE django_tasks_database_dbtaskresult SET finished_at = now() - interval '30 days' WHERE id = %s",
        [task_id],
    )
    tasks = stack.sql("SELECT count(*) FROM django_tasks_database_dbtaskresult")[0][0]
    output = stack.manage("housekeeping")
    assert "Đã xóa 1 tác vụ nền đã xong từ lâu." in output and "Đã xóa 0 phiên đăng nhập đã hết hạn." in output, output
    assert stack.sql("SELECT count(*) FROM django_tasks_database_dbtaskresult")[0][0] == tasks - 1
    assert not stack.sql("SELECT 1 FROM django_tasks_database_dbtaskresult WHERE id = %s", [task_id])
