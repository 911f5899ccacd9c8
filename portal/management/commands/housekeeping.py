from django.core.management.base import BaseCommand

from portal import housekeeping, vietnamese


class Command(BaseCommand):
    help = (
        "Xóa những gì cổng chỉ giữ một thời gian: phiên đăng nhập hết hạn, tác vụ nền đã xong, "
        "nhật ký đăng nhập cũ, liên kết đặt mật khẩu đã dùng hoặc hết hạn, tệp xuất cũ. Chạy mỗi đêm."
    )

    def handle(self, *args, **options):
        for label, count in housekeeping.run().items():
            self.stdout.write(f"Đã xóa {vietnamese.number(count)} {label}.")
