from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = "Sổ theo dõi Tổ CNSCĐ"

    def ready(self):
        from exports.jobs import register
        from teams import lists

        register(lists.PROVINCE_EXPORT, lists.province_file, lists.province_in_scope)
