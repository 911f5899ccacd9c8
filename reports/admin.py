from django.contrib import admin

from reports.models import (
    CommuneCertificate,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    ProvinceSummary,
    Report,
    ReportEvent,
    ReportRequest,
    SignedDocument,
)


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "province", "active", "position"]
    list_filter = ["active", "unit"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["province"]


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


@admin.register(CommuneCertificate)
class CommuneCertificateAdmin(admin.ModelAdmin):
    # Certificates are uploaded through the portal's page, which reads them with their password.
    list_display = ["commune", "common_name", "not_before", "not_after", "uploaded_at"]
    readonly_fields = ["subject", "common_name", "organisation", "serial", "not_before", "not_after"]
    search_fields = ["commune__name", "common_name"]

    def has_add_permission(self, request):
        return False


@admin.register(SignedDocument)
class SignedDocumentAdmin(admin.ModelAdmin):
    list_display = ["version", "kind", "original_name", "uploaded_by", "uploaded_at"]
    list_filter = ["kind"]
    readonly_fields = ["sha256", "size", "content_type", "validation"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # stored exactly as signed; a change would break the signature it carries


@admin.register(ProvinceSummary)
class ProvinceSummaryAdmin(admin.ModelAdmin):
    list_display = ["request", "number", "issued_on", "updated_at"]
    raw_id_fields = ["request"]
