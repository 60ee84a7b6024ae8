"""Routes of the progress dashboard, the evaluation report and the Excel round-trip.

Include at the root (keikaku/web/urls.py), before the "manage/" include of keikaku.web.progress.urls:
    path("manage/", include("keikaku.web.progress.urls_reports")),
"""

from django.urls import path

from keikaku.web.progress import dashboard, report_views

app_name = "pdca_reports"
urlpatterns = [
    path("plans/<int:plan_id>/dashboard/", dashboard.dashboard_moved, name="dashboard"),
    path(
        "plans/<int:plan_id>/evaluation-report.<str:fmt>",
        report_views.evaluation_report_view,
        name="evaluation_report",
    ),
    path("periods/<int:period_id>/workbooks/", report_views.workbooks, name="workbooks"),
    path("periods/<int:period_id>/workbooks/all.zip", report_views.workbooks_zip, name="workbooks_zip"),
    path(
        "periods/<int:period_id>/workbooks/<int:department_id>.xlsx",
        report_views.workbook_download,
        name="workbook",
    ),
]
