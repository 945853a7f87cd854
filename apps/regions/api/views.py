"""Read endpoints for regions, units and points (every queryset goes through visible_to), plus point PATCH."""

from __future__ import annotations

from typing import Any, cast

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from apps.accounts.models import User
from apps.core.api.exceptions import validated
from apps.regions.api.rows import COLUMNS as POINT_COLUMNS
from apps.regions.api.rows import point_rows
from apps.regions.api.serializers import (
    PointSerializer,
    PointUpdateSerializer,
    RegionSerializer,
    UnitSerializer,
)
from apps.regions.filters import PointFilter, RegionFilter, UnitFilter
from apps.regions.models import Point, Region, Unit
from apps.regions.services import point_update


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Territory nodes the caller can see, in tree order."""

    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    ordering_fields = ["path", "code", "name"]

    def get_queryset(self) -> Any:
        return Region.objects.visible_to(self.request.user).with_parent_id()


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Responsible units the caller can see."""

    serializer_class = UnitSerializer
    filterset_class = UnitFilter
    ordering_fields = ["name", "type"]

    def get_queryset(self) -> Any:
        return Unit.objects.visible_to(self.request.user).order_by("type", "name")


class PointViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Points the caller can see; PATCH edits one where the caller manages it (else 403)."""

    serializer_class = PointSerializer
    filterset_class = PointFilter
    ordering_fields = ["code", "name", "type", "updated_at"]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        return (
            Point.objects.visible_to(self.request.user)
            .select_related("grid", "responsible_unit")
            .order_by("code")
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A page of rows read with .values() and written by point_rows (PointSerializer's output)."""
        points = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(points.values(*POINT_COLUMNS)) or []
        return self.get_paginated_response(point_rows(page))

    @extend_schema(request=PointUpdateSerializer, responses=PointSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Edit a point through the same service as the page."""
        point = self.get_object()
        serializer = PointUpdateSerializer(
            point, data=request.data, partial=True, context={"request": request}
        )
        validated(serializer)
        point = point_update(
            point=point, actor=cast(User, request.user), data=dict(serializer.validated_data)
        )
        return Response(PointSerializer(point).data, status=status.HTTP_200_OK)
