from django.urls import path, re_path

from keikaku.web.portal import catalogue_views, views
from keikaku.web.portal import progress_views as pv
from keikaku.web.progress import dashboard

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan"),
    path("plans/<int:plan_id>/plan.json", views.plan_json, name="plan_json"),
    re_path(
        r"^plans/(?P<plan_id>[0-9]+)/(?P<table>measures|kpis|schedule)\.csv$", views.plan_csv, name="plan_csv"
    ),
    re_path(
        r"^plans/(?P<plan_id>[0-9]+)/plan\.(?P<fmt>docx|pdf)$", views.plan_document, name="plan_document"
    ),
    path("plans/<int:plan_id>/progress/", dashboard.dashboard, name="progress"),
    path("plans/<int:plan_id>/progress.csv", pv.progress_csv, name="progress_csv"),
    path("plans/<int:plan_id>/progress.json", pv.progress_json, name="progress_json"),
    path("plans/<int:plan_id>/feed.xml", pv.progress_feed, name="feed"),
    path("plans/<int:plan_id>/coverage/", views.coverage, name="coverage"),
    path("plans/<int:plan_id>/gantt/", views.gantt, name="gantt"),
    path("plans/<int:plan_id>/gantt.svg", views.gantt_svg, name="gantt_svg"),
    path("measures/<int:measure_id>/", views.measure_detail, name="measure"),
    path("compare/", views.compare, name="compare"),
    re_path(r"^catalog\.(?P<fmt>ttl|jsonld)$", catalogue_views.catalogue, name="catalogue"),
    re_path(r"^orgs/(?P<code>[0-9]{5,6})/$", views.organisation, name="organisation"),
    re_path(
        r"^orgs/(?P<code>[0-9]{5,6})/catalog\.(?P<fmt>ttl|jsonld)$",
        catalogue_views.organisation_catalogue,
        name="organisation_catalogue",
    ),
    re_path(r"^language/(?P<code>[a-z]{2}(?:-[a-z]{2,4})?)/$", views.language, name="language"),
    re_path(r"^schema/(?P<name>[a-z0-9-]+\.schema\.json)$", views.schema, name="schema"),
]
