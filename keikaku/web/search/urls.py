from django.urls import path

from keikaku.web.search import views

app_name = "search"
urlpatterns = [path("", views.search, name="search")]
