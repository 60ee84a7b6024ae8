"""The project's URLs plus the dashboard / report / workbook routes (until the lead includes them)."""

from django.urls import include, path

from keikaku.web.urls import urlpatterns as project

urlpatterns = [path("manage/", include("keikaku.web.progress.urls_reports")), *project]
