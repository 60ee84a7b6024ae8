from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("keikaku.web.api.urls")),
    path("search/", include("keikaku.web.search.urls")),
    path("accounts/", include("keikaku.web.accounts.urls")),
    path("manage/", include("keikaku.web.progress.urls_reports")),
    path("manage/", include("keikaku.web.progress.urls")),
    path("manage/", include("keikaku.web.progress.urls_editor")),
    path("", include("keikaku.web.portal.urls")),
]
