"""Server time of the portal's pages and heavy jobs on national-scale data, against issue 14's targets.

    DATABASE_URL=postgres://... .venv/bin/python bench/run.py [--repeat 20] [--warmup 2] [--province 1]
                                                              [--demo-database app_demo] [--no-readme]

The database must hold the data of `manage.py generate_national_data` (bin/bench starts a
local cluster, generates it once, and seeds the demo data into a second database for the
growth row). Each page is requested in-process through Django's test client, logged in as the
role that uses it, with production settings (DEBUG off): the time is the server's (URL routing,
views, queries, templates), without network or browser. "4 concurrent" is four processes (as
gunicorn's workers), each with its own client and database connection, requesting the page at once; the figure is the
median time of one request among them. Heavy jobs (PDFs, signing, exports, imports) are timed
the same way, fewer times. Prints a table with the target beside each figure and the load
average, and writes bench/results/latest.json and the table into bench/README.md.
"""

import argparse
import datetime
import io
import json
import logging
import multiprocessing
import os
import platform
import statistics
import subprocess
import sys
import sysconfig
import time
import tracemalloc
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
# Production settings: no debug templates, no query log. The key signs nothing that outlives the run.
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-x7Kq2mP9vR4tW8yB3nC6aHj5LsD1fG")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")  # the test client speaks plain HTTP
# The bench's sessions count as past the second factor (accounts/middleware.py still runs).
os.environ.setdefault("REQUIRE_2FA_ROLES", "")

# WhiteNoise warns that collectstatic's folder is missing; static files are not measured here.
warnings.filterwarnings("ignore", message="No directory at")
# pyHanko logs why the bench's self-signed certificate is not trusted: expected, not news.
logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
logging.getLogger("pyhanko_certvalidator").setLevel(logging.CRITICAL)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from portal.models import Role, User  # noqa: E402

# One log line per request (portal/logging) would bury the table: the bench keeps warnings only.
for name in ("portal.requests", "weasyprint", "fontTools"):
    logging.getLogger(name).setLevel(logging.ERROR)
from exports.jobs import BUILDERS  # noqa: E402
from reports.models import Report, ReportRequest  # noqa: E402
from reports.summary_files import SUMMARY_PDF  # noqa: E402
from teams.lists import PROVINCE_EXPORT  # noqa: E402
from teams.models import Activity, Commune, Member, Province, Team, Village  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "latest.json"
README = ROOT / "bench" / "README.md"
# bench/README.md: the latest run goes between these two lines; the history stays below them.
BEGIN, END = "<!-- bench:latest -->", "<!-- /bench:latest -->"
CONCURRENCY = 4
EXPORT_MEMBERS = 25_000
IMPORT_MEMBERS = 5_000


class Unavailable(Exception):
    """A row that cannot be measured (yet): what is missing, in a few words."""


# Subjects ---------------------------------------------------------------------------------------


def choose_subjects(province_code=None):
    """The province with the most communes (or the one asked for), its most typical commune
    (the median number of active teams) and its report request whose deadline passed last."""
    provinces = Province.objects.open_on().annotate(n=Count("communes", filter=Q(communes__closed_on__isnull=True)))
    province = provinces.get(code=province_code) if province_code else provinces.order_by("-n", "code").first()
    communes = list(
        Commune.objects.filter(province=province, teams__isnull=False)
        .annotate(teams_count=Count("teams", filter=Q(teams__status=Team.Status.ACTIVE)))
        .order_by("teams_count", "code")
    )
    if not communes:
        sys.exit(f"{province} chưa có tổ nào: chạy manage.py generate_national_data trước (bin/bench làm việc đó).")
    commune = communes[len(communes) // 2]
    request = (
        ReportRequest.objects.filter(province=province, deadline__lt=timezone.now()).order_by("-deadline").first()
        or ReportRequest.objects.filter(province=province).first()
    )
    return province, commune, request


def user_for(role, **unit):
    user = User.objects.filter(role=role, is_active=True, **unit).order_by("username").first()
    if user is None:
        raise Unavailable(f"không có tài khoản vai trò {role} cho {unit or 'toàn quốc'}")
    return user


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def url_of(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        raise Unavailable(f"chưa có (not built yet): {name}") from None


def _get(client, url, status=200):
    response = client.get(url)
    if response.status_code != status:
        raise Unavailable(f"{url}: HTTP {response.status_code}")
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    return response


# Timing -----------------------------------------------------------------------------------------


def timed(function, repeat, warmup=0):
    """Milliseconds of each of ``repeat`` calls of ``function`` after ``warmup`` untimed ones."""
    for _ in range(warmup):
        function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def summary(times):
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(statistics.quantiles(times, n=20, method="inclusive")[-1], 1) if len(times) > 1 else times[0],
        "min_ms": round(min(times), 1),
        "max_ms": round(max(times), 1),
        "runs": len(times),
    }


def queries_of(function):
    """(number of SQL queries, their total time in ms) of one call of ``function``."""
    seconds = []

    def timer(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            seconds.append(time.perf_counter() - started)

    with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(timer):
        function()
    return len(queries.captured_queries), round(sum(seconds) * 1000, 1)


def concurrent(user, url, repeat, warmup, workers=CONCURRENCY):
    """Each of ``workers`` processes, with its own client and connection, requests ``url``
    ``repeat`` times at the same moment as the others; every request's time.

    Processes, not threads: production runs gunicorn's sync workers, one Python interpreter
    each (deploy/gunicorn.conf.py), as issue 14's own measurement did (4 workers). Threads of
    one process would queue for its interpreter lock, which no server request waits for."""
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(workers)
    results = context.Queue()
    connections.close_all()  # each process opens its own connection

    def work():
        try:
            client = client_for(user)
            for _ in range(warmup):
                _get(client, url)
            barrier.wait()
            started = time.perf_counter()  # CLOCK_MONOTONIC: comparable between processes
            times = timed(lambda: _get(client, url), repeat)
            results.put((None, times, started, time.perf_counter()))
        except BaseException as error:  # reported by the parent
            barrier.abort()
            results.put((repr(error), [], 0, 0))
        finally:
            connections.close_all()

    processes = [context.Process(target=work) for _ in range(workers)]
    for process in processes:
        process.start()
    outcomes = [results.get() for _ in processes]  # before join: a process with queued data waits
    for process in processes:
        process.join()
    errors = [error for error, *_ in outcomes if error]
    if errors:
        raise Unavailable(errors[0])
    times = [t for _, run, _, _ in outcomes for t in run]
    elapsed = max(end for *_, end in outcomes) - min(start for _, _, start, _ in outcomes)
    return {**summary(times), "requests_per_s": round(len(times) / elapsed, 1)}


# Rows -------------------------------------------------------------------------------------------


class Row:
    """One line of the table: what was measured, its figure and its target."""

    def __init__(self, key, label, target, unit="ms", lower_is_better=True):
        self.key, self.label, self.target, self.unit = key, label, target, unit
        self.lower_is_better = lower_is_better
        self.figure = None
        self.detail = {}
        self.note = ""

    @property
    def met(self):
        if self.figure is None or self.target is None:
            return None
        return self.figure <= self.target

    def shown(self, value):
        if value is None:
            return "–"
        if self.unit == "s":
            return f"{value / 1000:.2f} s"
        if self.unit == "×":
            return f"{value:.2f}×"
        if self.unit == "MiB":
            return f"{value:.1f} MiB"
        return f"{value:.1f} ms"

    def target_text(self):
        if self.target is None:
            return "–"
        symbol = "<" if self.unit == "ms" else "≤"
        return f"{symbol} {self.shown(self.target)}"

    def verdict(self):
        if self.target is None and self.figure is not None:
            return ""
        return {None: "chưa đo", True: "đạt", False: "KHÔNG ĐẠT"}[self.met]

    def as_json(self):
        return {
            "key": self.key,
            "label": self.label,
            "figure": self.figure,
            "unit": self.unit,
            "target": self.target,
            "met": self.met,
            "note": self.note,
            **self.detail,
        }


def page_row(row, client, url, repeat, warmup):
    times = timed(lambda: _get(client, url), repeat, warmup)
    row.detail = summary(times)
    row.detail["queries"], row.detail["sql_ms"] = queries_of(lambda: _get(client, url))
    row.figure = row.detail["median_ms"]
    row.note = f"p95 {row.detail['p95_ms']:.1f} ms, {row.detail['queries']} truy vấn, SQL {row.detail['sql_ms']:.1f} ms"
    return row


def concurrent_row(row, user, url, repeat, warmup):
    row.detail = concurrent(user, url, repeat, warmup)
    row.figure = row.detail["median_ms"]
    row.note = f"p95 {row.detail['p95_ms']:.1f} ms, {row.detail['requests_per_s']} yêu cầu/giây"
    return row


def demo_province_median(database, repeat, warmup):
    """The province dashboard's median on the demo data (``database`` on the same server)."""
    connection.close()
    default = connection.settings_dict["NAME"]
    connection.settings_dict["NAME"] = database
    try:
        province = Province.objects.filter(communes__teams__isnull=False).distinct().order_by("code").first()
        if province is None:
            raise Unavailable(f"cơ sở dữ liệu {database} chưa có dữ liệu mẫu (manage.py seed_demo)")
        staff = user_for(Role.PROVINCE, province=province)
        url = url_of("dashboards:province_dashboard", province.pk)
        return province, statistics.median(timed(lambda: _get(client_for(staff), url), repeat, warmup))
    finally:
        connection.close()
        connection.settings_dict["NAME"] = default


def first_pdf_in_fresh_process(url, username):
    """Milliseconds of the first request of a new process (as a server worker's first request),
    the server's start (the WSGI application and its warm-up) done before the clock starts."""
    output = subprocess.run(
        [sys.executable, __file__, "--first-request", url, "--as", username],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ},
    ).stdout
    return float(output.strip().splitlines()[-1])


def _first_request(url, username):
    from portal.warmup import warm_up
    from portal.wsgi import application  # noqa: F401  the server's start, as gunicorn's master does it
    from reports.rendering import warm_up as warm_up_documents

    warm_up()  # deploy/gunicorn.conf.py's on_starting does these two
    warm_up_documents()
    connections.close_all()

    client = client_for(User.objects.get(username=username))
    started = time.perf_counter()
    _get(client, url)
    print(round((time.perf_counter() - started) * 1000, 1))


def signing_rows(sign_row, validate_row, client, version_url, repeat):
    from demo.signing import make_test_p12, seal_png, signature_png
    from reports.signing import pdf as signing

    pdf = _get(client, version_url).content
    password = "bench-password"
    p12 = make_test_p12("Bench", "UBND xã Bench", password)
    images = {"signature_image": signature_png(), "seal_image": seal_png()}
    signed = []

    def sign():
        signed.append(signing.sign_pdf(pdf, p12, password, organisation="UBND xã Bench", location="Bench", **images))

    sign_row.detail = summary(timed(sign, repeat, 1))
    sign_row.figure = sign_row.detail["median_ms"]
    sign_row.note = f"{len(pdf) // 1024} KB, khóa RSA-2048, có chữ ký và con dấu"
    validate_row.detail = summary(timed(lambda: signing.validate_pdf(signed[-1]), repeat, 1))
    validate_row.figure = validate_row.detail["median_ms"]
    validate_row.note = "1 chữ ký, không truy cập mạng"


def make_file(kind, user, params):
    """Runs the builder of a background job (exports.jobs) as its task would; returns the file's size."""
    built = BUILDERS[kind](user, params)
    try:
        return built.content.size
    finally:
        built.content.close()


def province_with_members(count):
    """The province whose members number closest above ``count`` (else the one with most)."""
    sizes = list(
        Member.objects.order_by()
        .values_list("team__commune__province")
        .annotate(n=Count("pk"))
        .values_list("team__commune__province", "n")
    )
    above = sorted((n, code) for code, n in sizes if n >= count)
    n, code = above[0] if above else max((n, code) for code, n in sizes)
    return Province.objects.get(pk=code), n


def export_row(row, memory_row, repeat):
    """The member export of the province with the most members (every member, those who left
    too). The national data has no province of 25,000 members, so the time is also scaled to
    25,000 rows (the work is linear in the rows) and that scaled time is compared with the target."""
    province, members = province_with_members(EXPORT_MEMBERS)
    staff = user_for(Role.PROVINCE, province=province)

    def export(query=""):
        # The work of the background job the department's button queues (exports/, teams/lists.py):
        # the whole .xlsx, written to its temporary file; storing it is a copy of that file.
        params = {"list": "member", "province": province.pk, "query": "trang_thai=tat-ca" + query}
        make_file(PROVINCE_EXPORT, staff, params)

    row.detail = summary(timed(export, repeat, 1))
    row.detail["members"] = members
    row.figure = round(row.detail["median_ms"] * max(EXPORT_MEMBERS / members, 1), 1)
    row.note = f"{province.name}: {members:,} thành viên trong {row.detail['median_ms'] / 1000:.2f} s".replace(",", ".")
    if members < EXPORT_MEMBERS:
        row.note += f", tính ra {EXPORT_MEMBERS:,}".replace(",", ".")
    # Peak Python memory of one export, then of one commune's: flat if they are close.
    peaks = []
    small = Commune.objects.filter(province=province).order_by("code").first()
    for query in ("", f"&xa={small.pk}"):
        tracemalloc.start()
        export(query)
        peaks.append(tracemalloc.get_traced_memory()[1] / 2**20)
        tracemalloc.stop()
    memory_row.figure = round(peaks[0], 1)
    memory_row.detail = {"peak_mib_province": round(peaks[0], 1), "peak_mib_one_commune": round(peaks[1], 1)}
    memory_row.note = f"một xã: {peaks[1]:.1f} MiB (bộ nhớ Python cao nhất, tracemalloc)"


def import_workbook(commune, rows):
    from openpyxl import Workbook

    from teams import excel

    sheet = excel.member_sheet(commune)
    teams = list(Team.objects.filter(commune=commune).active().values_list("name", flat=True))
    book = Workbook(write_only=True)
    page = book.create_sheet(sheet.title)
    page.append(sheet.headers)
    for index in range(rows):
        page.append(
            [teams[index % len(teams)], f"Bench Thành Viên {index:05d}", "Thành viên", "Người dân tình nguyện"]
            + [f"0912{index:06d}"]
            + ["Nam", 1990, 1, "01/01/2026"]
        )
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def import_row(row, commune, repeat):
    """Preview and confirm of a 5,000-member file, each run rolled back (the data stays as it was)."""
    preview_url = url_of("teams:member_import", commune.pk)
    confirm_url = url_of("teams:member_import_confirm", commune.pk)
    client = client_for(user_for(Role.COMMUNE, commune=commune))
    data = import_workbook(commune, IMPORT_MEMBERS)
    before = Member.objects.filter(team__commune=commune).count()
    previews, confirms = [], []

    class Rollback(Exception):
        pass

    for _ in range(repeat):
        upload = io.BytesIO(data)
        upload.name = "thanh-vien.xlsx"
        try:
            with transaction.atomic():
                started = time.perf_counter()
                response = client.post(preview_url, {"file": upload})
                middle = time.perf_counter()
                confirmed = client.post(confirm_url)
                ended = time.perf_counter()
                added = Member.objects.filter(team__commune=commune).count() - before
                if response.status_code != 200 or confirmed.status_code != 302 or added != IMPORT_MEMBERS:
                    raise Unavailable(
                        f"nhập thử không thành: HTTP {response.status_code}/{confirmed.status_code}, {added}"
                    )
                raise Rollback
        except Rollback:
            pass
        previews.append((middle - started) * 1000)
        confirms.append((ended - middle) * 1000)
    totals = [p + c for p, c in zip(previews, confirms, strict=True)]
    row.detail = {**summary(totals), "preview_ms": round(statistics.median(previews), 1)}
    row.detail["confirm_ms"] = round(statistics.median(confirms), 1)
    row.figure = row.detail["median_ms"]
    row.note = f"xem trước {row.detail['preview_ms'] / 1000:.2f} s + xác nhận {row.detail['confirm_ms'] / 1000:.2f} s"


# The run ----------------------------------------------------------------------------------------


def data_sizes():
    return {
        "provinces": Province.objects.count(),
        "communes": Commune.objects.count(),
        "villages": Village.objects.count(),
        "teams": Team.objects.count(),
        "members": Member.objects.count(),
        "activities": Activity.objects.count(),
        "report_requests": ReportRequest.objects.count(),
        "reports": Report.objects.count(),
    }


def machine():
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "python_build": python_build(),
        "postgresql": postgres,
    }


def python_build():
    """How this interpreter was compiled: "PGO+LTO" (as Debian's and the python.org images' are) or
    "no PGO, no LTO" (pyenv's default build, the one .python-version names here). The same
    WeasyPrint rendering took 20–25 % longer on pyenv's CPython 3.11.7 than on Debian's 3.11.2
    (PGO+LTO) on this machine; see bench/README.md."""
    flags = sysconfig.get_config_var("CONFIG_ARGS") or ""
    chosen = [name for flag, name in (("--enable-optimizations", "PGO"), ("--with-lto", "LTO")) if flag in flags]
    return "+".join(chosen) if chosen else "no PGO, no LTO"


def calibration_ms():
    """The time of a fixed pure-Python loop (5 million additions), the median of 3: this machine's
    speed at the moment of the run. A virtual machine's speed moves between hours (on 2026-12-01 the
    same loop written at module level took 530 to 830 ms), and every row of the table moves with it."""
    times = []
    for _ in range(3):
        start = time.perf_counter()
        total = 0
        for number in range(5_000_000):
            total += number
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times))


def load_average():
    """The 1, 5 and 15-minute load averages: other work on the machine slows the pages down."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else ""


def measure_all(options):
    province, commune, request = choose_subjects(options.province)
    staff = user_for(Role.PROVINCE, province=province)
    admin = user_for(Role.ADMIN)
    official = user_for(Role.COMMUNE, commune=commune)
    repeat, warmup, heavy = options.repeat, options.warmup, options.heavy
    # The report PDF rows time a rendering, so their report is one being written (a draft, or one
    # returned for changes): a sent report's PDF is the file stored when it was sent.
    editable = Report.objects.filter(request=request, status__in=[Report.Status.DRAFT, Report.Status.RETURNED])
    report = editable.filter(commune=commune).first() or editable.order_by("commune__code").first()

    rows = {}

    def row(key, label, target, unit="ms"):
        rows[key] = Row(key, label, target, unit)
        return rows[key]

    def national():
        result = page_row(
            row("national", "Toàn quốc (34 tỉnh)", 100),
            client_for(admin),
            url_of("dashboards:national_dashboard"),
            repeat,
            warmup,
        )
        sql = row("national_sql", "  thời gian SQL của trang toàn quốc", 30)
        sql.figure = result.detail["sql_ms"]
        sql.note = f"{result.detail['queries']} truy vấn"

    def growth():
        grown = row("growth", "Tăng từ dữ liệu mẫu lên toàn quốc (trang tỉnh)", 2, "×")
        if "province" not in rows:
            raise Unavailable("cần đo trang tỉnh trước (--only province,growth)")
        demo, median = demo_province_median(options.demo_database, repeat, warmup)
        national_median = rows["province"].figure
        grown.figure = round(national_median / median, 2)
        grown.note = f"{demo.name} mẫu {median:.1f} ms → {national_median:.1f} ms"

    def report_pdf():
        pdf = row("report_pdf", "PDF báo cáo của xã", 300, "s")
        url = url_of("reports:report_pdf", report.pk)
        client = client_for(official if report.commune_id == commune.pk else admin)
        pdf.detail = summary(timed(lambda: _get(client, url), heavy, 1))
        pdf.figure = pdf.detail["median_ms"]
        pdf.note = f"{len(_get(client, url).content) // 1024} KB"

    def first_pdf():
        first = row("report_pdf_first", "  yêu cầu PDF đầu tiên của một tiến trình mới", 300, "s")
        user = official if report.commune_id == commune.pk else admin
        runs = [first_pdf_in_fresh_process(url_of("reports:report_pdf", report.pk), user.username) for _ in range(3)]
        first.detail = summary(runs)
        first.figure = first.detail["median_ms"]
        first.note = "3 tiến trình mới; khởi động như gunicorn (WSGI, hai hàm warm_up) không tính"

    def summary_pdf():
        # The work of the background job that "Tải PDF" queues (exports/, reports/summary_files.py).
        pdf = row("summary_pdf", "PDF báo cáo tổng hợp của tỉnh", 500, "s")
        pdf.detail = summary(timed(lambda: make_file(SUMMARY_PDF, staff, {"request": request.pk}), heavy, 1))
        pdf.figure = pdf.detail["median_ms"]
        pdf.note = f"{make_file(SUMMARY_PDF, staff, {'request': request.pk}) // 1024} KB, tạo trong tiến trình nền"

    plan = [
        (
            "commune",
            lambda: page_row(
                row("commune", f"Trang xã ({commune.name})", 25),
                client_for(official),
                url_of("teams:commune_detail", commune.pk),
                repeat,
                warmup,
            ),
        ),
        (
            "province",
            lambda: page_row(
                row("province", f"Bảng điều khiển tỉnh ({province.name})", 75),
                client_for(staff),
                url_of("dashboards:province_dashboard", province.pk),
                repeat,
                warmup,
            ),
        ),
        (
            "province_4",
            lambda: concurrent_row(
                row("province_4", f"Bảng điều khiển tỉnh, {CONCURRENCY} yêu cầu đồng thời", 150),
                staff,
                url_of("dashboards:province_dashboard", province.pk),
                max(repeat // 2, 5),
                1,
            ),
        ),
        ("national", national),
        (
            "national_4",
            lambda: concurrent_row(
                row("national_4", f"Toàn quốc, {CONCURRENCY} yêu cầu đồng thời", 250),
                admin,
                url_of("dashboards:national_dashboard"),
                max(repeat // 2, 5),
                1,
            ),
        ),
        ("growth", growth),
        (
            "completeness",
            lambda: page_row(
                row("completeness", f"Tình hình nộp báo cáo ({request}), không có mục tiêu", None),
                client_for(staff),
                url_of("dashboards:completeness", request.pk),
                repeat,
                warmup,
            ),
        ),
        ("report_pdf", report_pdf),
        ("first_pdf", first_pdf),
        ("summary_pdf", summary_pdf),
        (
            "signing",
            lambda: signing_rows(
                row("signing", "Ký số trong cổng (một bản PDF)", 150),
                row("validation", "Kiểm tra chữ ký của bản đã ký", 50),
                client_for(admin),
                url_of("reports:report_pdf", report.pk),
                heavy * 2,
            ),
        ),
        (
            "export",
            lambda: export_row(
                row("export", f"Xuất Excel thành viên toàn tỉnh (~{EXPORT_MEMBERS:,})".replace(",", "."), 2000, "s"),
                row("export_memory", "  bộ nhớ Python cao nhất của lần xuất đó (phẳng)", 10, "MiB"),
                heavy,
            ),
        ),
        (
            "import",
            lambda: import_row(
                row(
                    "import",
                    f"Nhập Excel {IMPORT_MEMBERS:,} thành viên: xem trước + xác nhận".replace(",", "."),
                    2000,
                    "s",
                ),
                commune,
                heavy,
            ),
        ),
    ]

    for name, step in plan:
        if options.only and name not in options.only.split(","):
            continue
        before = set(rows)
        try:
            step()
        except Unavailable as reason:
            for key in set(rows) - before:
                rows[key].note = str(reason)
            if set(rows) == before:
                print(f"  bỏ qua: {reason}")
        for key in [k for k in rows if k not in before]:
            print_row(rows[key])
    return province, commune, request, list(rows.values())


def print_row(row):
    print(
        f"{row.label[:60]:<60} {row.shown(row.figure):>11} {row.target_text():>11}  {row.verdict():<9} {row.note}",
        flush=True,
    )


def markdown(results):
    lines = [
        f"Run of {results['measured_at']} on commit {results['commit']}: {results['machine']['cores']} cores "
        f"({results['machine']['cpu']}), PostgreSQL {results['machine']['postgresql']}, Python "
        f"{results['machine']['python']} ({results['machine']['python_build']}); load average "
        f"{results['load_average']['before']} before, {results['load_average']['after']} after; "
        f"calibration loop {results['calibration_ms']['before']} ms before, {results['calibration_ms']['after']} ms "
        f"after (bench/run.py's calibration_ms); {results['repeat']} requests a page, "
        f"{results['heavy']} runs a heavy job (median).",
        "",
        "| what | figure | target | met | notes |",
        "|---|---:|---:|:---:|---|",
    ]
    for row in results["rows"]:
        item = Row(row["key"], row["label"], row["target"], row["unit"])
        item.figure = row["figure"]
        met = {None: "–", True: "yes", False: "**no**"}[item.met]
        lines.append(
            f"| {row['label'].strip()} | {item.shown(row['figure'])} | {item.target_text()} | {met} | {row['note']} |"
        )
    return "\n".join(lines)


def write_readme(text):
    current = README.read_text() if README.exists() else "# Benchmark\n\n"
    block = f"{BEGIN}\n{text}\n{END}"
    if BEGIN in current and END in current:
        head, rest = current.split(BEGIN, 1)
        current = head + block + rest.split(END, 1)[1]
    else:
        marker = "\n## "
        head, sep, tail = current.partition(marker)
        current = f"{head.rstrip()}\n\n## Latest run (written by bench/run.py)\n\n{block}\n" + (
            f"{sep}{tail}" if sep else ""
        )
    README.write_text(current)


def commit():
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20, help="measured requests per page (default 20)")
    parser.add_argument("--warmup", type=int, default=2, help="requests before measuring (default 2)")
    parser.add_argument("--heavy", type=int, default=5, help="measured runs of each heavy job (default 5)")
    parser.add_argument("--province", type=int, help="province code (default: the one with most communes; 1 = Hà Nội)")
    parser.add_argument("--demo-database", default="app_demo", help="database holding manage.py seed_demo's data")
    parser.add_argument("--only", help="measure only these rows, e.g. 'signing,export' (names in measure_all)")
    parser.add_argument("--no-readme", action="store_true", help="do not write the table into bench/README.md")
    parser.add_argument(
        "--pg-options",
        help="PostgreSQL settings for each connection instead of the portal's (settings.POSTGRES_OPTIONS), "
        "e.g. '-c random_page_cost=1.1'; '' for the server's own",
    )
    parser.add_argument("--first-request", help=argparse.SUPPRESS)
    parser.add_argument("--as", dest="username", help=argparse.SUPPRESS)
    options = parser.parse_args()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # The users are logged in with force_login: without this, staff and administrators would be
    # sent to the two-factor step (REQUIRE_2FA_ROLES) and the bench would time a redirect.
    settings.REQUIRE_2FA_ROLES = []
    # Static file URLs without collectstatic's manifest: the pages' work is the same.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    if options.first_request:
        return _first_request(options.first_request, options.username)
    if connection.vendor != "postgresql":
        sys.exit("Cần PostgreSQL: đặt DATABASE_URL=postgres://... (bin/bench làm sẵn).")
    if options.pg_options is not None:
        connection.close()
        connection.settings_dict["OPTIONS"] = {"options": options.pg_options} if options.pg_options else {}
    pg_options = connection.settings_dict.get("OPTIONS", {}).get("options", "")

    sizes = data_sizes()
    print(", ".join(f"{name}: {count:,}" for name, count in sizes.items()))
    print(
        f"{options.repeat} lần đo mỗi trang sau {options.warmup} lần chạy nóng, {options.heavy} lần mỗi việc nặng; "
        "thời gian phía máy chủ, trung vị."
    )
    load_before = load_average()
    speed_before = calibration_ms()
    print(f"Thiết lập PostgreSQL: {pg_options or 'mặc định của máy chủ'}; tải máy lúc đầu: {load_before}")
    print(f"Python {platform.python_version()} ({python_build()}); vòng lặp chuẩn: {speed_before} ms\n")
    header = f"{'đo':<60} {'kết quả':>11} {'mục tiêu':>11}  {'':<9} ghi chú"
    print(header)
    print("-" * len(header))
    province, commune, request, rows = measure_all(options)
    results = {
        "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "commit": commit(),
        "machine": machine(),
        "data": sizes,
        "subjects": {"province": province.name, "commune": commune.name, "request": str(request)},
        "repeat": options.repeat,
        "warmup": options.warmup,
        "heavy": options.heavy,
        "pg_options": pg_options,
        "load_average": {"before": load_before, "after": load_average()},
        "calibration_ms": {"before": speed_before, "after": calibration_ms()},
        "rows": [row.as_json() for row in rows],
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    missed = [row.label.strip() for row in rows if row.met is False]
    unmeasured = [row.label.strip() for row in rows if row.met is None and row.key != "completeness"]
    print(
        f"\nTải máy lúc cuối: {results['load_average']['after']}; "
        f"vòng lặp chuẩn: {results['calibration_ms']['after']} ms. Đã ghi {RESULTS.relative_to(ROOT)}",
        end="",
    )
    if not options.no_readme:
        write_readme(markdown(results))
        print(f" và {README.relative_to(ROOT)}", end="")
    print(".")
    print(f"Không đạt: {len(missed)}; chưa đo: {len(unmeasured)}.")
    return 1 if missed or unmeasured else 0


if __name__ == "__main__":
    sys.exit(main())
