from django.core.management.base import BaseCommand

from exports.jobs import prune


class Command(BaseCommand):
    help = (
        "Xóa các tệp xuất (danh sách toàn tỉnh, báo cáo tổng hợp...) đã yêu cầu quá EXPORT_KEEP_DAYS ngày, "
        "cùng tệp đã lưu. Mỗi lần tạo xong một tệp, cổng cũng tự làm việc này."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="chỉ đếm, không xóa")

    def handle(self, *args, dry_run=False, **options):
        count = prune(dry_run=dry_run)
        self.stdout.write(f"{'Sẽ xóa' if dry_run else 'Đã xóa'} {count} tệp xuất.")
