"""Standard pages: list, detail, Excel export and import."""

from django.urls import path

from apps.checklists.views import standards as views

app_name = "standards"

urlpatterns = [
    path("", views.standard_list, name="list"),
    path("import/", views.standard_import, name="import"),
    path("<int:pk>/", views.standard_detail, name="detail"),
    path("<int:pk>/export/", views.standard_export, name="export"),
]
