"""/m/: the grid worker's installable phone app (PWA)."""

from django.urls import path

from apps.patrols.views import mobile, rechecks

app_name = "mobile"

urlpatterns = [
    path("", mobile.mobile_home, name="home"),
    path("sw.js", mobile.service_worker, name="sw"),
    path("manifest.webmanifest", mobile.manifest, name="manifest"),
    path("rechecks/", rechecks.recheck_list, name="rechecks"),
    path("rechecks/<int:pk>/", rechecks.recheck_detail, name="recheck"),
]
