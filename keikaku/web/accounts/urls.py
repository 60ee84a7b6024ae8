"""/accounts/: Django's own login and logout, the profile page with API tokens."""

from django.contrib.auth import views as auth_views
from django.urls import path

from keikaku.web.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="/"), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("tokens/new/", views.token_new, name="token_new"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke_view, name="token_revoke"),
]
