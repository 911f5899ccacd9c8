from django.apps import AppConfig
from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def client_address_behind_a_proxy(app_configs, **kwargs):
    """Behind a proxy (it says which requests were HTTPS), each client's address must come from the
    header it appends, or throttling by address (accounts/throttle.py) counts every client as one."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and not settings.TRUSTED_PROXY_HEADER:
        message = "SECURE_PROXY_SSL_HEADER is set (behind a proxy) but TRUSTED_PROXY_HEADER is not."
        hint = "Set TRUSTED_PROXY_HEADER=HTTP_X_FORWARDED_FOR and TRUSTED_PROXY_COUNT=1 behind one nginx."
        return [checks.Warning(message, hint=hint, id="portal.W001")]
    return []


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
