from django.urls import path

from keikaku.web.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan"),
    path("plans/<int:plan_id>/plan.json", views.plan_json, name="plan_json"),
]
