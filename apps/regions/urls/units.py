"""Responsible-unit pages."""

from django.urls import path

from apps.regions.views import units as views

app_name = "units"

urlpatterns = [
    path("", views.unit_list, name="list"),
    path("<int:pk>/", views.unit_detail, name="detail"),
    path("<int:pk>/edit/", views.unit_edit, name="edit"),
]
