from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse

from demo.onboarding import write_onboarding_file
from demo.seed import DEMO_PASSWORD, seed
from demo.signing import DEMO_CERTIFICATE_PASSWORD


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu mẫu: Thành phố Hải Phòng với các xã, phường của báo cáo mẫu, thôn, tổ, thành viên, "
        "hoạt động, báo cáo và một tài khoản cho mỗi vai trò. Chạy lại không tạo trùng."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            users = seed()
        self.stdout.write(f"Dữ liệu mẫu đã sẵn sàng. Tài khoản đăng nhập (mật khẩu chung: {DEMO_PASSWORD}):")
        for user in users:
            unit = f" · {user.unit}" if user.unit else ""
            self.stdout.write(f"  {user.username:<22} {user.get_role_display()}{unit}")
        self.stdout.write(f"Mật khẩu chứng thư số thử nghiệm của Xã Hà Tây: {DEMO_CERTIFICATE_PASSWORD}")
        if settings.REQUIRE_2FA_ROLES:
            self.stdout.write(
                "quantri và so.haiphong xác thực hai bước (ứng dụng xác thực trên điện thoại) từ lần đăng nhập đầu; "
                "để thử không cần điện thoại: REQUIRE_2FA_ROLES= make run"
            )
        path, province = write_onboarding_file()
        self.stdout.write(f"Quản lý tài khoản: {reverse('accounts:user_list')} (so.haiphong, xa.hatay hoặc quantri).")
        self.stdout.write(
            f"Tệp mẫu tạo tài khoản cho 3 xã, phường của Hải Phòng: {path}; "
            f"so.haiphong tải lên tại {reverse('accounts:onboarding', args=[province.pk])}"
        )
