"""Ticket pages."""

from django.urls import path

from apps.tickets.views import boards, create, detail, lists, rules

app_name = "tickets"

urlpatterns = [
    path("", lists.ticket_list, name="list"),
    path("new/", create.ticket_create, name="create"),
    path("new/points/", create.point_options, name="point_options"),
    path("export/", lists.ticket_export, name="export"),
    path("bulk-dispatch/", lists.ticket_bulk_dispatch, name="bulk_dispatch"),
    path("inbox/", boards.ticket_inbox, name="inbox"),
    path("inbox/accept/", boards.ticket_bulk_accept, name="bulk_accept"),
    path("overdue/", boards.ticket_overdue, name="overdue"),
    path("shelf/", boards.ticket_shelf, name="shelf"),
    path("rules/", rules.rule_list, name="rules"),
    path("rules/<int:pk>/delete/", rules.rule_delete, name="rule_delete"),
    path("photos/<int:pk>/", detail.ticket_photo, name="photo"),
    path("<int:pk>/", detail.ticket_detail, name="detail"),
    path("<int:pk>/<slug:action>/", detail.ticket_act, name="act"),
]
