"""Admin for PDCA records (the office's escape hatch; day-to-day work goes through /manage/)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from keikaku.db.progress import models as gm


class KpiActualInline(admin.TabularInline):
    model = gm.KpiActual
    extra = 0


@admin.register(gm.ReportingPeriod)
class ReportingPeriodAdmin(SimpleHistoryAdmin):
    list_display = ("plan", "fiscal_year", "quarter", "state", "due_date")
    list_filter = ("state", "fiscal_year")


@admin.register(gm.ProgressReport)
class ProgressReportAdmin(SimpleHistoryAdmin):
    list_display = ("measure", "period", "status", "state", "updated_at")
    list_filter = ("state", "period__fiscal_year")
    search_fields = ("measure__title", "narrative")
    inlines = [KpiActualInline]


@admin.register(gm.Evaluation)
class EvaluationAdmin(SimpleHistoryAdmin):
    list_display = ("measure", "fiscal_year", "decision", "updated_at")
    list_filter = ("decision", "fiscal_year")


@admin.register(gm.ProgressStatus)
class ProgressStatusAdmin(admin.ModelAdmin):
    list_display = ("organisation", "order", "label", "kind")


@admin.register(gm.MeasureLineage)
class MeasureLineageAdmin(admin.ModelAdmin):
    list_display = ("from_measure", "to_measure", "decision", "from_plan", "to_plan")


admin.site.register(gm.KpiActual)
