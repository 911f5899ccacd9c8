from django.core.management.base import BaseCommand
from django.db import transaction

from teams.admin_units import sync_admin_units


class Command(BaseCommand):
    help = (
        "Nạp/cập nhật 34 tỉnh, thành phố và 3.321 xã, phường, đặc khu từ gói vietnam-provinces. "
        "Chạy lại không thay đổi gì; đơn vị không còn trong gói được đóng (không xóa)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Chỉ báo cáo thay đổi, không ghi.")

    def handle(self, *args, dry_run=False, **options):
        with transaction.atomic():
            report = sync_admin_units()
            for label, rows in [
                ("Thêm mới", report.created),
                ("Cập nhật", report.updated),
                ("Đóng", report.closed),
                ("Mở lại", report.reopened),
            ]:
                if len(rows) > 20:
                    self.stdout.write(f"{label}: {len(rows)} đơn vị")
                else:
                    for row in rows:
                        self.stdout.write(f"{label}: {row}")
            if not report.changed:
                self.stdout.write("Không có thay đổi.")
            if dry_run:
                transaction.set_rollback(True)
                self.stdout.write("Chạy thử (--dry-run): không ghi gì.")
