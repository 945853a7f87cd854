"""The caller's notifications over the API: list (optionally unread only), mark one or all read."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.accounts.models import User
from apps.notifications.api.serializers import NotificationSerializer, ReadAllResultSerializer
from apps.notifications.models import Notification
from apps.notifications.services import notification_mark_read, notifications_mark_all_read

NOT_FOUND = OpenApiResponse(description="不存在或无权查看")
# State changes take no list filters or pages (and must not look the object up through them).
ACTION: dict[str, Any] = {"filter_backends": [], "pagination_class": None}


class NotificationFilter(filters.FilterSet):
    """`?unread=true` keeps only unread notifications."""

    unread = filters.BooleanFilter(label="仅未读", method="filter_unread")

    class Meta:
        model = Notification
        fields = ["unread"]

    def filter_unread(self, queryset: QuerySet[Notification], name: str, value: bool | None) -> Any:
        """True: unread only; false: read only."""
        if value is None:
            return queryset
        return queryset.filter(read_at__isnull=value)


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's own notifications, newest first; everyone else's are 404."""

    serializer_class = NotificationSerializer
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = NotificationFilter

    def get_queryset(self) -> Any:
        return Notification.objects.visible_to(self.request.user).newest_first()

    @extend_schema(request=None, responses={200: NotificationSerializer, 404: NOT_FOUND})
    @action(detail=True, methods=["post"], **ACTION)
    def read(self, request: Request, pk: str | None = None) -> Response:
        """Mark one notification read (again is harmless)."""
        notification = notification_mark_read(notification=self.get_object(), actor=cast(User, request.user))
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=None, responses={200: ReadAllResultSerializer})
    @action(detail=False, methods=["post"], url_path="read-all", url_name="read-all", **ACTION)
    def read_all(self, request: Request) -> Response:
        """Mark all of the caller's unread notifications read."""
        updated = notifications_mark_all_read(actor=cast(User, request.user))
        return Response(ReadAllResultSerializer({"updated": updated}).data)
