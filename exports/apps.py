from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "exports"
    verbose_name = "Tệp xuất"

    def ready(self):
        from exports import jobs
        from portal import housekeeping

        housekeeping.register("tệp xuất đã quá hạn giữ", jobs.prune)
