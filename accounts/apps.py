from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Tài khoản"

    def ready(self):
        from django.conf import settings

        from accounts.models import OneTimeLink
        from accounts.throttle import prune_login_records
        from portal import housekeeping

        def spent_links():
            days = settings.ONE_TIME_LINK_KEEP_DAYS
            return OneTimeLink.objects.spent_before(housekeeping.days_ago(days)).delete()[0]

        housekeeping.register("bản ghi đăng nhập, đăng xuất, đăng nhập sai đã cũ", prune_login_records)
        housekeeping.register("liên kết đặt mật khẩu đã dùng hoặc hết hạn từ lâu", spent_links)
