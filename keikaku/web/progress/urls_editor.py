"""Routes of the plan editor and the plan version's workflow, under /manage/ (keikaku/web/urls.py)."""

from django.urls import path

from keikaku.web.progress import draft_views as dv
from keikaku.web.progress import editor_views as ev
from keikaku.web.progress import plan_editor_views as pv
from keikaku.web.progress import plan_workbook_views as xv
from keikaku.web.progress import structure_views as sv
from keikaku.web.progress import workflow_views as wv

app_name = "editor"
urlpatterns = [
    path("plans/new/", dv.draft_start, name="draft_start"),
    path("plans/new/measures/", dv.draft_measures, name="draft_measures"),
    path("plans/<int:plan_id>/gaps/", dv.gaps, name="gaps"),
    path("plans/<int:plan_id>/gaps/add/", dv.gap_add, name="gap_add"),
    path("plans/<int:plan_id>/edit/", pv.plan_edit, name="plan"),
    path("plans/<int:plan_id>/edit/measures/new/", pv.measure_new, name="measure_new"),
    path("plans/<int:plan_id>/edit/workbook/", xv.workbook, name="workbook"),
    path("plans/<int:plan_id>/edit/workbook.xlsx", xv.workbook_download, name="workbook_download"),
    path("plans/<int:plan_id>/workflow/", wv.workflow, name="workflow"),
    path("plans/<int:plan_id>/workflow/<str:action>/", wv.workflow_action, name="workflow_action"),
    path("plans/<int:plan_id>/preview/", wv.preview, name="preview"),
    path("plans/<int:plan_id>/edit/plan/", sv.plan_fields, name="plan_fields"),
    path("plans/<int:plan_id>/edit/sections/", sv.sections, name="sections"),
    path("sections/<int:section_id>/edit/", sv.section_edit, name="section"),
    path("sections/<int:section_id>/<str:action>/", sv.section_action, name="section_action"),
    path("plans/<int:plan_id>/edit/policies/", sv.policies, name="policies"),
    path("policies/<int:policy_id>/edit/", sv.policy_edit, name="policy"),
    path("policies/<int:policy_id>/<str:action>/", sv.policy_action, name="policy_action"),
    path("measures/<int:measure_id>/edit/", ev.measure_edit, name="measure"),
    path("measures/<int:measure_id>/edit/kpis/new/", ev.kpi_new, name="kpi_new"),
    path("measures/<int:measure_id>/edit/schedule/", ev.schedule_edit, name="schedule"),
    path("measures/<int:measure_id>/delete/", ev.measure_delete, name="measure_delete"),
    path("measures/<int:measure_id>/confirm/", ev.measure_confirm, name="measure_confirm"),
    path("measures/<int:measure_id>/edit/title/", ev.measure_title, name="measure_title"),
    path("measures/<int:measure_id>/list/<str:action>/", pv.measure_list_action, name="measure_list"),
    path("kpis/<int:kpi_id>/edit/", ev.kpi_edit, name="kpi"),
    path("kpis/<int:kpi_id>/delete/", ev.kpi_delete, name="kpi_delete"),
]
