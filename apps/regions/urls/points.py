"""Point pages."""

from django.urls import path

from apps.regions.views import points as views

app_name = "points"

urlpatterns = [
    path("", views.point_list, name="list"),
    path("<int:pk>/", views.point_detail, name="detail"),
    path("<int:pk>/edit/", views.point_edit, name="edit"),
]
