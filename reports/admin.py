from django.contrib import admin

from reports.models import Report, ReportRequest


@admin.register(ReportRequest)
class ReportRequestAdmin(admin.ModelAdmin):
    list_display = ["letter_number", "letter_date", "province", "deadline"]
    autocomplete_fields = ["province", "communes"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["commune", "request", "status", "first_submitted_at"]
    list_filter = ["status"]
