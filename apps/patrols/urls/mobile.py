"""/m/: the grid worker's installable phone app (PWA)."""

from django.urls import path

app_name = "mobile"

urlpatterns: list = []
