from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Tài khoản"

    def ready(self):
        from accounts.links import prune_spent_links
        from accounts.reset import prune_reset_requests
        from accounts.throttle import prune_login_records
        from portal import housekeeping

        housekeeping.register("bản ghi đăng nhập, đăng xuất, đăng nhập sai đã cũ", prune_login_records)
        housekeeping.register("liên kết đặt mật khẩu đã dùng hoặc hết hạn từ lâu", prune_spent_links)
        housekeeping.register("yêu cầu quên mật khẩu quá một ngày", prune_reset_requests)
