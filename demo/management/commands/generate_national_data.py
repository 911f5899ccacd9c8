import datetime
import sys
import time
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from demo import national_data
from portal import vietnamese
from reports.models import Report, ReportRequest, ReportVersion
from teams.admin_units import sync_admin_units
from teams.models import (
    Activity,
    ActivityMonth,
    Commune,
    CommuneCount,
    Member,
    MemberCount,
    Province,
    ProvinceActivityMonth,
    Team,
    Village,
)


class Command(BaseCommand):
    help = (
        "Sinh dữ liệu quy mô toàn quốc thẳng vào PostgreSQL để đo tốc độ (bench/run.py): 34 tỉnh, "
        "3.321 xã (import_admin_units), khoảng 75.000 thôn và tổ, 400.000 thành viên, 5 triệu hoạt động "
        "trong hai năm, yêu cầu báo cáo của mỗi tỉnh với báo cáo ở mọi trạng thái, và tài khoản thử "
        f"'{national_data.BENCH_USER_PREFIX}…' (mật khẩu {national_data.BENCH_PASSWORD}). "
        "Khoảng ba phút rưỡi trên 2 nhân (hai phút để đóng băng các bản báo cáo đã gửi). "
        "Chỉ chạy trên PostgreSQL, và từ chối cơ sở dữ liệu đã có sổ theo dõi "
        "(trừ khi có --replace). Generates national-scale benchmark data with set-based SQL."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Tỷ lệ số xã có dữ liệu, 0 < scale <= 1 (mặc định 1: cả nước; 0.01: mỗi tỉnh một xã, cho kiểm thử).",
        )
        parser.add_argument(
            "--seed", type=int, default=2025, help="Hạt giống ngẫu nhiên: cùng hạt giống, cùng dữ liệu."
        )
        parser.add_argument(
            "--until",
            type=datetime.date.fromisoformat,
            default=None,
            help="Ngày cuối của hai năm hoạt động, YYYY-MM-DD (mặc định hôm nay).",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Xóa trắng các bảng sổ theo dõi và báo cáo trước (giữ tỉnh, xã và tài khoản; "
            "tài khoản tổ trưởng không phải của bench mất liên kết với tổ).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Chỉ in số bản ghi; mã thoát 1 nếu chưa có dữ liệu hoạt động "
            "hoặc có báo cáo đã gửi mà chưa có bản đã gửi (dữ liệu của bản sinh cũ).",
        )

    def handle(self, *args, scale, seed, until, replace, check, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                f"Lệnh này chỉ chạy trên PostgreSQL (đang dùng {connection.vendor}). "
                "Đặt DATABASE_URL=postgres://... rồi chạy lại, ví dụ qua bin/bench."
            )
        if check:
            self.print_counts()
            unfrozen = Report.objects.filter(status__in=national_data.SENT, versions__isnull=True)
            if not Activity.objects.exists() or unfrozen.exists():  # data of an older generator
                sys.exit(1)
            return
        if not 0 < scale <= 1:
            raise CommandError("--scale phải lớn hơn 0 và không quá 1.")
        until = until or datetime.date.today()
        has_data = any(m.objects.exists() for m in (Village, Team, Member, Activity, ReportRequest))
        if has_data and not replace:
            raise CommandError(
                "Cơ sở dữ liệu đã có thôn, tổ, hoạt động hoặc yêu cầu báo cáo: không ghi đè. "
                "Thêm --replace để xóa trắng các bảng đó rồi sinh lại (chỉ dùng với cơ sở dữ liệu đo tốc độ)."
            )
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")
            if replace:
                with self.step("Xóa trắng sổ theo dõi và báo cáo"), transaction.atomic():
                    detached = national_data.truncate_registry(cursor)
                if detached:
                    self.stdout.write(f"  {detached} tài khoản tổ trưởng không còn gắn với tổ nào.")
            with self.step("Tỉnh và xã (vietnam-provinces)"):
                sync_admin_units()
            with self.step("Chọn xã") as done, transaction.atomic():
                # setseed takes a number in [-1, 1].
                done(national_data.choose_communes(cursor, scale, (seed % 2000) / 1000 - 1), "xã")
            with self.step("Thôn, tổ dân phố") as done, transaction.atomic():
                done(national_data.generate_villages(cursor), "thôn")
            with self.step("Tổ CNSCĐ") as done, transaction.atomic():
                done(national_data.generate_teams(cursor), "tổ")
            with (
                self.step("Thành viên") as done,
                transaction.atomic(),
                national_data.bulk_load(cursor, Member._meta.db_table),
            ):
                done(national_data.generate_members(cursor, until), "thành viên")
            with self.step("Số tổ và thành viên của từng xã") as done:
                CommuneCount.objects.rebuild()  # raw SQL above: the kept counts are recounted once
                done(CommuneCount.objects.count(), "xã")
            with (
                self.step("Hoạt động") as done,
                transaction.atomic(),
                national_data.bulk_load(cursor, Activity._meta.db_table),
            ):
                done(national_data.generate_activities(cursor, until), "hoạt động")
            with self.step("Hoạt động theo tháng") as done:
                ActivityMonth.objects.rebuild()
                done(ActivityMonth.objects.count(), "dòng")
            with self.step("Yêu cầu báo cáo và báo cáo") as done, transaction.atomic():
                requests, reports = national_data.generate_reports(cursor, until)
                done(requests, f"yêu cầu, {vietnamese.number(reports)} báo cáo")
            with self.step("Bản đã gửi của các báo cáo") as done, transaction.atomic():
                done(national_data.freeze_versions(), "bản")
            with self.step("Tài khoản") as done, transaction.atomic():
                done(national_data.generate_users(), "tài khoản")
            with self.step("VACUUM ANALYZE"):
                # Fresh statistics for the planner, and the visibility map that lets counts use
                # index-only scans, as on a server that has run for a while. VACUUM marks a page
                # all-visible only once the commits before it are flushed: one synchronous commit.
                cursor.execute("SET synchronous_commit = on")
                with transaction.atomic():
                    cursor.execute("SELECT txid_current()")
                tables = [
                    m._meta.db_table
                    for m in (
                        Village,
                        Team,
                        Member,
                        CommuneCount,
                        MemberCount,
                        Activity,
                        ActivityMonth,
                        ProvinceActivityMonth,
                        ReportRequest,
                        Report,
                        ReportVersion,
                    )
                ]
                cursor.execute(f"VACUUM (ANALYZE) {', '.join(tables)}")
                cursor.execute("DROP TABLE IF EXISTS gen_commune, gen_team")
        self.stdout.write(f"Xong trong {time.monotonic() - started:.1f} s.")
        self.print_counts()

    @contextmanager
    def step(self, label):
        """Times a step and prints it with what it made."""
        result = []
        started = time.monotonic()
        yield lambda n, what: result.append(f"{vietnamese.number(n)} {what}")
        elapsed = time.monotonic() - started
        self.stdout.write(f"{elapsed:7.1f} s  {label}" + (f": {result[0]}" if result else ""))

    def print_counts(self):
        for label, model in [
            ("tỉnh", Province),
            ("xã", Commune),
            ("thôn", Village),
            ("tổ", Team),
            ("thành viên", Member),
            ("hoạt động", Activity),
            ("yêu cầu báo cáo", ReportRequest),
            ("báo cáo", Report),
            ("bản báo cáo đã gửi", ReportVersion),
        ]:
            self.stdout.write(f"  {label}: {vietnamese.number(model.objects.count())}")
