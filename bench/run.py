"""Server time of the portal's heaviest pages on national-scale data.

    DATABASE_URL=postgres://... .venv/bin/python bench/run.py [--repeat 20] [--warmup 2] [--province 1]

The database must hold the data of `manage.py generate_national_data` (bin/bench starts a
local cluster and generates it once). Each page is requested in-process through Django's test
client, logged in as the role that uses it, with production settings (DEBUG off): the time is
the server's (URL routing, views, queries, templates), without network or browser. Prints a
table and writes bench/results/latest.json.
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
# Production settings: no debug templates, no query log. The key signs nothing that outlives the run.
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")

# WhiteNoise warns that collectstatic's folder is missing; static files are not measured here.
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from portal.models import Role, User  # noqa: E402
from reports.models import Report, ReportRequest  # noqa: E402
from teams.models import Activity, Commune, Member, Province, Team, Village  # noqa: E402

# Targets of issue 5, on a 2-core machine (ms, for the median and the 95th percentile).
TARGETS = {"teams:commune_detail": 50, "dashboards:province_dashboard": 200, "dashboards:national_dashboard": 500}
RESULTS = ROOT / "bench" / "results" / "latest.json"


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
        sys.exit(f"Không có tài khoản vai trò {role} cho {unit or 'toàn quốc'}: chạy generate_national_data.")
    return user


def pages(province, commune, request):
    """(label, URL name, args, user) of each page measured."""
    staff = user_for(Role.PROVINCE, province=province)
    return [
        (f"Trang xã ({commune.name})", "teams:commune_detail", [commune.pk], user_for(Role.COMMUNE, commune=commune)),
        (f"Bảng điều khiển tỉnh ({province.name})", "dashboards:province_dashboard", [province.pk], staff),
        ("Toàn quốc", "dashboards:national_dashboard", [], user_for(Role.ADMIN)),
        (f"Tình hình nộp báo cáo ({request})", "dashboards:completeness", [request.pk] if request else [], staff),
    ]


def measure(client, url, repeat, warmup):
    for _ in range(warmup):
        _get(client, url)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        _get(client, url)
        times.append((time.perf_counter() - started) * 1000)
    # One more request, apart, to count the queries and time them (that costs a little time).
    sql_seconds = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_seconds.append(time.perf_counter() - started)

    with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(timed):
        size = len(_get(client, url).content)
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(statistics.quantiles(times, n=20, method="inclusive")[-1], 1),
        "min_ms": round(min(times), 1),
        "max_ms": round(max(times), 1),
        "queries": len(queries.captured_queries),
        "sql_ms": round(sum(sql_seconds) * 1000, 1),
        "bytes": size,
    }


def _get(client, url):
    response = client.get(url)
    if response.status_code != 200:
        sys.exit(f"{url}: HTTP {response.status_code}")
    return response


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
    return {"cores": os.cpu_count(), "cpu": cpu, "python": platform.python_version(), "postgresql": postgres}


def load_average():
    """The 1, 5 and 15-minute load averages: other work on the machine slows the pages down."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else ""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20, help="measured requests per page (default 20)")
    parser.add_argument("--warmup", type=int, default=2, help="requests before measuring (default 2)")
    parser.add_argument("--province", type=int, help="province code (default: the one with most communes; 1 = Hà Nội)")
    parser.add_argument(
        "--pg-options",
        help="PostgreSQL settings for each connection instead of the portal's (settings.POSTGRES_OPTIONS), "
        "e.g. '-c random_page_cost=1.1'; '' for the server's own",
    )
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Cần PostgreSQL: đặt DATABASE_URL=postgres://... (bin/bench làm sẵn).")
    if options.pg_options is not None:
        connection.close()
        connection.settings_dict["OPTIONS"] = {"options": options.pg_options} if options.pg_options else {}
    pg_options = connection.settings_dict.get("OPTIONS", {}).get("options", "")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # Static file URLs without collectstatic's manifest: the pages' work is the same.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    province, commune, request = choose_subjects(options.province)
    sizes = data_sizes()
    print(", ".join(f"{name}: {count:,}" for name, count in sizes.items()))
    print(f"{options.repeat} lần đo mỗi trang sau {options.warmup} lần chạy nóng; thời gian phía máy chủ, ms.")
    load_before = load_average()
    print(f"Thiết lập PostgreSQL: {pg_options or 'mặc định của máy chủ'}; tải máy lúc đầu: {load_before}\n")
    header = f"{'trang':<58} {'trung vị':>9} {'p95':>8} {'truy vấn':>9} {'SQL':>8}  mục tiêu"
    print(header)
    print("-" * len(header))
    results = []
    for label, name, args, user in pages(province, commune, request):
        try:
            url = reverse(name, args=args)
        except NoReverseMatch:
            print(f"{label[:58]:<58} {'chưa có (not built yet): ' + name}")
            results.append({"page": name, "label": label, "skipped": "not built yet"})
            continue
        client = Client()
        client.force_login(user)
        result = {
            "page": name,
            "label": label,
            "url": url,
            "user": user.username,
            **measure(client, url, options.repeat, options.warmup),
        }
        target = TARGETS.get(name)
        met = target is not None and result["median_ms"] < target and result["p95_ms"] < target
        verdict = "" if target is None else f"< {target} {'đạt' if met else 'KHÔNG ĐẠT'}"
        result["target_ms"] = target
        results.append(result)
        print(
            f"{label[:58]:<58} {result['median_ms']:>9.1f} {result['p95_ms']:>8.1f} "
            f"{result['queries']:>9} {result['sql_ms']:>8.1f}  {verdict}"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                "machine": machine(),
                "data": sizes,
                "repeat": options.repeat,
                "warmup": options.warmup,
                "pg_options": pg_options,
                "load_average": {"before": load_before, "after": load_average()},
                "pages": results,
            },
            ensure_ascii=False,
            indent=2,
        )
    )
    print(f"\nTải máy lúc cuối: {load_average()}. Đã ghi {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
