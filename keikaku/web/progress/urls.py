"""/manage/: PDCA pages."""

from django.urls import path

from keikaku.web.progress import evaluation_grid_views as egv
from keikaku.web.progress import evaluation_views as ev
from keikaku.web.progress import import_views as iv
from keikaku.web.progress import views as v

app_name = "progress"
urlpatterns = [
    path("", v.index, name="index"),
    path("import/", iv.import_upload, name="import"),
    path("import/save/", iv.import_save, name="import_save"),
    path("import/jobs/<str:token>/", iv.import_job, name="import_job"),
    path("plans/<int:plan_id>/", v.plan_progress, name="plan"),
    path("plans/<int:plan_id>/periods/new/", v.period_new, name="period_new"),
    path("plans/<int:plan_id>/revise/", v.plan_revise_view, name="revise"),
    path("plans/<int:plan_id>/publish/", v.plan_publish_view, name="publish"),
    path("plans/<int:plan_id>/diff/<int:other_id>/", v.plan_diff_view, name="diff"),
    path("plans/<int:plan_id>/evaluations/<int:fiscal_year>/", egv.evaluation_grid, name="evaluation_grid"),
    path("periods/<int:period_id>/", v.period_edit, name="period_edit"),
    path("periods/<int:period_id>/measures/<int:measure_id>/report/", v.report_edit, name="report_edit"),
    path("reports/<int:report_id>/", v.report_detail, name="report"),
    path("reports/<int:report_id>/<action>/", v.report_action, name="report_action"),
    path("measures/<int:measure_id>/evaluations/<int:fiscal_year>/", ev.evaluation_edit, name="evaluation"),
    path(
        "measures/<int:measure_id>/evaluations/<int:fiscal_year>/<action>/",
        ev.evaluation_action,
        name="evaluation_action",
    ),
    path(
        "plans/<int:plan_id>/evaluations/<int:fiscal_year>/<action>/",
        ev.evaluations_year_action,
        name="evaluations_year_action",
    ),
    path("measures/<int:measure_id>/history/", v.measure_history, name="history"),
    path("organisations/<int:org_id>/departments/", v.departments, name="departments"),
]
