"""Region pages."""

from django.urls import path

from apps.regions.views import regions as views

app_name = "regions"

urlpatterns = [
    path("", views.region_list, name="list"),
    path("<int:pk>/", views.region_detail, name="detail"),
    path("<int:pk>/edit/", views.region_edit, name="edit"),
    path("<int:pk>/workers/", views.region_workers, name="workers"),
]
