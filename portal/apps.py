from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Cổng thông tin"

    def ready(self):
        from django.contrib.admin.options import BaseModelAdmin

        from portal import housekeeping, kept
        from portal.text import CleanTextModelForm

        # Django's admin is a way in for text too: every admin form that does not name its own
        # starts from a ModelForm that applies portal.text's rule (NFC, no control characters).
        BaseModelAdmin.form = CleanTextModelForm
        housekeeping.register("phiên đăng nhập đã hết hạn", housekeeping.expired_sessions)
        housekeeping.register("tác vụ nền đã xong từ lâu", housekeeping.finished_tasks)
        housekeeping.register("tệp xem trước khi nhập, không được xác nhận", kept.prune)
