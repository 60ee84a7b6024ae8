from django.contrib import admin
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from keikaku.db.plans import models as m


class KpiInline(admin.TabularInline):
    model = m.Kpi
    extra = 0
    fields = ("order", "indicator", "unit", "baseline_value", "baseline_fy", "direction")


class ScheduleInline(admin.TabularInline):
    model = m.ScheduleEntry
    extra = 0


class PillarInline(admin.TabularInline):
    model = m.MeasurePillar
    extra = 0


class DepartmentLinkInline(admin.TabularInline):
    model = m.MeasureDepartment
    extra = 0


@admin.register(m.Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ("key", "title", "plan", "priority", "reposted")
    list_filter = ("plan__organisation", "priority", "reposted")
    search_fields = ("title", "description", "key")
    readonly_fields = ("source_excerpt",)
    fields = (
        "plan",
        "order",
        "key",
        "policy_key",
        "policy",
        "title",
        "description",
        "priority_areas",
        "priority",
        "reposted",
        "deadline_fy",
        "national_measures",
        "source_excerpt",
        "provenance",
    )
    inlines = [PillarInline, DepartmentLinkInline, KpiInline, ScheduleInline]

    @admin.display(description="出典の抜粋 / source excerpt")
    def source_excerpt(self, obj: m.Measure) -> str:
        p = obj.provenance or {}
        where = []
        if p.get("source"):
            where.append(p["source"])
        if p.get("page"):
            where.append(f"p.{p['page']}")
        if p.get("line_start"):
            where.append(f"L{p['line_start']}–{p.get('line_end') or p['line_start']}")
        return format_html(
            '<div><small>{}</small><pre style="white-space:pre-wrap;max-width:60em">{}</pre></div>',
            " ".join(where) or "—",
            p.get("text") or "",
        )


@admin.register(m.Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ("title", "organisation", "period_start", "period_end", "status")
    list_filter = ("status", "organisation__prefecture")
    search_fields = ("title", "organisation__name")


@admin.register(m.Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "prefecture", "code", "kind")
    search_fields = ("name", "code")


@admin.register(m.Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ("name", "organisation")
    search_fields = ("name",)


for model in (
    m.Section,
    m.Policy,
    m.Kpi,
    m.KpiTarget,
    m.ScheduleEntry,
    m.PreviousPlanReview,
    m.Catalogue,
    m.SourceFile,
    m.MeasurePillar,
    m.MeasureDepartment,
):
    admin.site.register(model)


@admin.register(m.PlanChange)
class PlanChangeAdmin(admin.ModelAdmin):
    """The editor's change log: read-only (it is the record of what people changed)."""

    list_display = ("at", "plan", "action", "target", "user")
    list_filter = ("action",)
    search_fields = ("target",)

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False
