"""The evidence review queue."""

from django.urls import path

from apps.checklists.views import review as views

app_name = "review"

urlpatterns = [
    path("", views.review_queue, name="queue"),
    path("decide/", views.review_decide, name="decide"),
]
