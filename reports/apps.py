from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Báo cáo"

    def ready(self):
        from exports.jobs import register
        from reports import summary_files

        register(summary_files.SUMMARY_PDF, summary_files.pdf_file, summary_files.request_in_scope)
        register(summary_files.SUMMARY_XLSX, summary_files.xlsx_file, summary_files.request_in_scope)
