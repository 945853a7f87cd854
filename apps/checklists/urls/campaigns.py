"""Campaign pages: list, standard tree, assignment, readiness."""

from django.urls import path

from apps.checklists.views import campaigns as views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/items/<int:item_pk>/assign/", views.task_create, name="assign"),
    path("<int:pk>/assign-category/", views.category_assign, name="assign_category"),
    path("<int:pk>/readiness/", views.readiness, name="readiness"),
]
