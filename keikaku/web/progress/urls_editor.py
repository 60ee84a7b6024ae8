"""Routes of the plan editor and the plan version's workflow, under /manage/ (keikaku/web/urls.py)."""

from django.urls import path

from keikaku.web.progress import editor_views as ev
from keikaku.web.progress import plan_editor_views as pv

app_name = "editor"
urlpatterns = [
    path("plans/<int:plan_id>/edit/", pv.plan_edit, name="plan"),
    path("plans/<int:plan_id>/edit/measures/new/", pv.measure_new, name="measure_new"),
    path("measures/<int:measure_id>/edit/", ev.measure_edit, name="measure"),
    path("measures/<int:measure_id>/edit/kpis/new/", ev.kpi_new, name="kpi_new"),
    path("measures/<int:measure_id>/edit/schedule/", ev.schedule_edit, name="schedule"),
    path("measures/<int:measure_id>/delete/", ev.measure_delete, name="measure_delete"),
    path("measures/<int:measure_id>/list/<str:action>/", pv.measure_list_action, name="measure_list"),
    path("kpis/<int:kpi_id>/edit/", ev.kpi_edit, name="kpi"),
    path("kpis/<int:kpi_id>/delete/", ev.kpi_delete, name="kpi_delete"),
]
