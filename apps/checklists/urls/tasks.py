"""Task pages: the workbench, a task, its uploads and evidence files."""

from django.urls import path

from apps.checklists.views import tasks as views

app_name = "tasks"

urlpatterns = [
    path("", views.task_list, name="list"),
    path("<int:pk>/", views.task_detail, name="detail"),
    path("<int:pk>/edit/", views.task_edit, name="edit"),
    path("<int:pk>/upload/", views.task_upload, name="upload"),
    path("<int:pk>/progress/", views.task_progress, name="progress"),
    path("<int:pk>/fail/", views.task_fail, name="fail"),
    path("evidence/<int:pk>/file/", views.evidence_file, name="evidence_file"),
]
