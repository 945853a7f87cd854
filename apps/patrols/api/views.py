"""Patrols and findings over the API, for the phone: every write idempotent by the phone's UUID.

A first write answers 201, the same UUID again 200 with the stored record. Reads go through visible_to; a
patrol, point or grid outside the caller's scope is 404 with a Chinese message.
"""

from __future__ import annotations

from typing import Any, cast
from uuid import UUID

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from apps.accounts.models import User
from apps.core.api.exceptions import validated
from apps.core.api.parsers import JSONParser
from apps.patrols.api.serializers import (
    CheckTemplateSerializer,
    FindingInputSerializer,
    FindingPhotoInputSerializer,
    FindingPhotoSerializer,
    FindingSerializer,
    MyGridSerializer,
    PatrolFinishSerializer,
    PatrolSerializer,
    PatrolStartSerializer,
    VisitInputSerializer,
    VisitSerializer,
)
from apps.patrols.models import CheckItem, CheckTemplate, Finding, FindingPhoto, Patrol, PatrolVisit
from apps.patrols.permissions import my_grid_ids
from apps.patrols.services import (
    PhotoUpload,
    finding_add_photo,
    finding_submit,
    patrol_finish,
    patrol_start,
    patrol_visit,
)
from apps.regions.models import Point, Region

BAD_INPUT = OpenApiResponse(description="输入有误（中文说明），什么也没有保存")
FORBIDDEN = OpenApiResponse(description="不是您负责的网格或不是您的记录")
NOT_FOUND = OpenApiResponse(description="不存在或无权查看")
UPLOAD_PARSERS = [MultiPartParser, FormParser, JSONParser]
NO_LIST: dict[str, Any] = {"filter_backends": [], "pagination_class": None}


def _stored(created: bool) -> int:
    """201 for a first write, 200 when the UUID was already stored."""
    return status.HTTP_201_CREATED if created else status.HTTP_200_OK


class CheckTemplateViewSet(viewsets.ReadOnlyModelViewSet):
    """巡查模板 with their check items (reference data every signed-in user may read)."""

    serializer_class = CheckTemplateSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[CheckTemplate]:
        items = CheckItem.objects.select_related("category").order_by("order", "pk")
        return CheckTemplate.objects.filter(is_active=True).prefetch_related(
            Prefetch("items", queryset=items)
        )


def patrols_with_visits(patrols: QuerySet[Patrol]) -> QuerySet[Patrol]:
    """Patrols with grid, worker and visits with results, in a fixed number of queries."""
    visits = PatrolVisit.objects.prefetch_related("checks")
    return patrols.select_related("grid", "worker").prefetch_related(Prefetch("visits", queryset=visits))


class PatrolViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Patrols the caller may see; a grid worker starts, walks and finishes their own."""

    serializer_class = PatrolSerializer
    lookup_field = "uuid"
    lookup_value_converter = "uuid"

    def get_queryset(self) -> QuerySet[Patrol]:
        return patrols_with_visits(Patrol.objects.visible_to(self.request.user))

    def get_serializer_class(self) -> Any:
        return {
            "create": PatrolStartSerializer,
            "visits": VisitInputSerializer,
            "finish": PatrolFinishSerializer,
            "my_grids": MyGridSerializer,
        }.get(self.action, PatrolSerializer)

    def _patrol(self) -> Patrol:
        """The patrol in the URL, if the caller may see it."""
        patrol = Patrol.objects.visible_to(self.request.user).filter(uuid=self.kwargs["uuid"]).first()
        if patrol is None:
            raise NotFound("巡查记录不存在或无权查看。")
        return patrol

    def _show(self, patrol: Patrol, code: int = status.HTTP_200_OK) -> Response:
        patrol = patrols_with_visits(Patrol.objects.all()).get(pk=patrol.pk)
        return Response(PatrolSerializer(patrol).data, status=code)

    @extend_schema(
        request=PatrolStartSerializer,
        responses={201: PatrolSerializer, 200: PatrolSerializer, 400: BAD_INPUT, 403: FORBIDDEN},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """开始巡查 in one of the caller's grids; the same UUID again returns the stored patrol (200)."""
        data = self._input(request)
        grid = Region.objects.visible_to(request.user).grids().filter(pk=data["grid"]).first()
        if grid is None:
            raise NotFound("网格不存在或不是您负责的网格。")
        patrol, created = patrol_start(
            worker=cast(User, request.user),
            uuid=data["uuid"],
            grid=grid,
            client_started_at=data.get("client_started_at"),
        )
        return self._show(patrol, _stored(created))

    @extend_schema(
        request=VisitInputSerializer, responses={200: VisitSerializer, 400: BAD_INPUT, 404: NOT_FOUND}
    )
    @action(detail=True, methods=["post"], **NO_LIST)
    def visits(self, request: Request, uuid: UUID | None = None) -> Response:
        """A point walked with one result per check item; the same point again replaces its results."""
        patrol = self._patrol()
        data = self._input(request)
        point = _my_point(request, data["point"])
        visit = patrol_visit(
            worker=cast(User, request.user),
            patrol=patrol,
            point=point,
            results={row["item"]: row["result"] for row in data["results"]},
            visited_at=data["visited_at"],
        )
        visit = PatrolVisit.objects.prefetch_related("checks").get(pk=visit.pk)
        return Response(VisitSerializer(visit).data)

    @extend_schema(request=PatrolFinishSerializer, responses={200: PatrolSerializer, 404: NOT_FOUND})
    @action(detail=True, methods=["post"], **NO_LIST)
    def finish(self, request: Request, uuid: UUID | None = None) -> Response:
        """结束巡查 (server time); finishing again returns the patrol unchanged."""
        patrol = self._patrol()
        data = self._input(request)
        patrol = patrol_finish(
            worker=cast(User, request.user),
            patrol=patrol,
            track=data["track"],
            client_ended_at=data.get("client_ended_at"),
        )
        return self._show(patrol)

    @extend_schema(responses={200: MyGridSerializer(many=True)})
    @action(detail=False, methods=["get"], url_path="my-grids", **NO_LIST)
    def my_grids(self, request: Request) -> Response:
        """The caller's grids (as 网格员) with their active points, for the phone to cache."""
        points = Point.objects.active().order_by("name", "pk")
        grids = (
            Region.objects.filter(pk__in=my_grid_ids(cast(User, request.user)))
            .prefetch_related(Prefetch("points", queryset=points, to_attr="active_points"))
            .order_by("path")
        )
        return Response(MyGridSerializer(grids, many=True).data)

    def _input(self, request: Request) -> dict[str, Any]:
        serializer = self.get_serializer(data=request.data)
        validated(serializer)
        return dict(serializer.validated_data)


def _my_point(request: Request, pk: int) -> Point:
    """A point the caller can see, else 404 naming what is wrong."""
    point = Point.objects.visible_to(request.user).select_related("grid").filter(pk=pk).first()
    if point is None:
        raise NotFound("点位不存在或不在您负责的网格内。")
    return point


def findings_with_photos(findings: QuerySet[Finding]) -> QuerySet[Finding]:
    """Findings with everything the API shows, in a fixed number of queries."""
    return findings.select_related("category", "point", "grid", "patrol", "ticket").prefetch_related("photos")


class FindingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """巡查发现 the caller may see; a grid worker files them in their grids."""

    serializer_class = FindingSerializer
    lookup_field = "uuid"
    lookup_value_converter = "uuid"
    parser_classes = UPLOAD_PARSERS

    def get_queryset(self) -> QuerySet[Finding]:
        return findings_with_photos(Finding.objects.visible_to(self.request.user))

    def get_serializer_class(self) -> Any:
        return {"create": FindingInputSerializer, "photos": FindingPhotoInputSerializer}.get(
            self.action, FindingSerializer
        )

    @extend_schema(
        request={"multipart/form-data": FindingInputSerializer, "application/json": FindingInputSerializer},
        responses={
            201: FindingSerializer,
            200: FindingSerializer,
            400: BAD_INPUT,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """上报一条巡查发现; 上报 opens a ticket, 已现场整改 needs an after-photo. Same UUID again → 200."""
        serializer = self.get_serializer(data=request.data)
        validated(serializer)
        data = dict(serializer.validated_data)
        user = cast(User, request.user)
        stored = Finding.objects.filter(uuid=data["uuid"], worker=user).first()
        if stored is not None:  # a replay: answer before looking anything else up
            return self._show(stored, status.HTTP_200_OK)
        point = _my_point(request, data["point"]) if data["point"] is not None else None
        grid = None
        if data["grid"] is not None:
            grid = Region.objects.visible_to(user).grids().filter(pk=data["grid"]).first()
            if grid is None:
                raise NotFound("网格不存在或不是您负责的网格。")
        patrol = None
        if data["patrol"] is not None:
            patrol = Patrol.objects.filter(uuid=data["patrol"], worker=user).first()
            if patrol is None:
                raise NotFound("巡查记录不存在，请先同步巡查。")
        finding, created = finding_submit(
            worker=user,
            uuid=data["uuid"],
            category=data["category"],
            outcome=data["outcome"],
            point=point,
            grid=grid,
            patrol=patrol,
            check_item=data["check_item"],
            description=data["description"],
            lat=data["lat"],
            lng=data["lng"],
            accuracy_m=data["accuracy_m"],
            taken_at=data["taken_at"],
            photos=_uploads(data["photos"], data["photo_uuids"]),
            after_photos=_uploads(data["after_photos"], data["after_photo_uuids"]),
        )
        photographed = bool(data["photos"] or data["after_photos"])
        return self._show(finding, _stored(created), photographed=photographed)

    @extend_schema(
        request={"multipart/form-data": FindingPhotoInputSerializer},
        responses={201: FindingPhotoSerializer, 200: FindingPhotoSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], **NO_LIST)
    def photos(self, request: Request, uuid: UUID | None = None) -> Response:
        """One more photo for the caller's finding (and its ticket); the same photo UUID is stored once."""
        finding = self.get_object()
        serializer = self.get_serializer(data=request.data)
        validated(serializer)
        data = serializer.validated_data
        photo, created = finding_add_photo(
            worker=cast(User, request.user),
            finding=finding,
            photo=PhotoUpload(data["uuid"], data["image"]),
            kind=data["kind"],
            lat=data["lat"],
            lng=data["lng"],
            taken_at=data["taken_at"],
        )
        return Response(
            FindingPhotoSerializer(photo, context={"request": request}).data, status=_stored(created)
        )

    def _show(self, finding: Finding, code: int, *, photographed: bool = True) -> Response:
        """The finding as the API shows it; one just written is in hand, but for its photos (if any)."""
        if code == status.HTTP_201_CREATED:
            photos = FindingPhoto.objects.all() if photographed else FindingPhoto.objects.none()
            prefetch_related_objects([finding], Prefetch("photos", queryset=photos))
        else:
            finding = findings_with_photos(Finding.objects.all()).get(pk=finding.pk)
        return Response(FindingSerializer(finding, context=self.get_serializer_context()).data, status=code)


def _uploads(files: list[Any], uuids: list[UUID]) -> list[PhotoUpload]:
    """Pair each uploaded file with the UUID the phone gave it."""
    return [PhotoUpload(uuid, file) for uuid, file in zip(uuids, files, strict=True)]
