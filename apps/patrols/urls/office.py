"""/patrols/: coverage, findings and check templates for the 创卫办 and territory staff."""

from django.urls import path

from apps.patrols.views import photos

app_name = "patrols"

urlpatterns = [
    path("photos/<int:pk>/", photos.finding_photo, name="finding-photo"),
]
