"""迎检档案 pages: a campaign's exports, one export's progress, the download."""

from django.urls import path

from apps.checklists.views import binders as views

app_name = "binders"

urlpatterns = [
    path("campaign/<int:campaign_pk>/", views.binder_campaign, name="campaign"),
    path("<int:pk>/status/", views.binder_status, name="status"),
    path("<int:pk>/download/", views.binder_download, name="download"),
]
