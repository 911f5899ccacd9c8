from django.contrib import admin

from reports.models import IndicatorTarget, IndicatorValue, Report, ReportEvent, ReportRequest


class IndicatorTargetInline(admin.TabularInline):
    model = IndicatorTarget
    extra = 0


@admin.register(ReportRequest)
class ReportRequestAdmin(admin.ModelAdmin):
    list_display = ["letter_number", "letter_date", "province", "deadline"]
    autocomplete_fields = ["province", "communes"]
    inlines = [IndicatorTargetInline]


class ReportEventInline(admin.TabularInline):
    """The workflow's record: read-only, steps are taken in the portal (reports/workflow.py)."""

    model = ReportEvent
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "actor", "at", "reason", "version"]

    def has_add_permission(self, request, obj=None):
        return False


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 0


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["commune", "request", "status", "first_submitted_at"]
    list_filter = ["status"]
    readonly_fields = ["status", "first_submitted_at", "submitted_at", "accepted_at"]
    inlines = [IndicatorValueInline, ReportEventInline]
