"""Campaigns, tasks and evidence over the API: reads through visible_to, changes through the services."""

from __future__ import annotations

from typing import Any, cast

from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.filters import OrderingFilter
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from apps.accounts.models import User
from apps.checklists.api.filters import CampaignFilter, EvidenceFilter, TaskFilter
from apps.checklists.api.serializers import (
    CampaignSerializer,
    EvidenceBulkReviewSerializer,
    EvidenceSerializer,
    EvidenceUploadSerializer,
    ProgressNoteSerializer,
    ReviewCommentSerializer,
    ReviewDecision,
    TaskSerializer,
)
from apps.checklists.models import Campaign, Evidence, Task
from apps.checklists.progress import progress_of
from apps.checklists.services import (
    evidence_review,
    evidence_review_many,
    evidence_upload,
    task_set_progress,
)
from apps.core.api.exceptions import validated

FORBIDDEN = OpenApiResponse(description="无权执行此操作")
BAD_INPUT = OpenApiResponse(description="输入有误（中文说明）")
NOT_FOUND = OpenApiResponse(description="不存在或无权查看")
# State-changing actions take no list filters or pages (and must not look the object up through them).
ACTION: dict[str, Any] = {"filter_backends": [], "pagination_class": None}
# `q` is the text search; DRF's SearchFilter would only add a `search` parameter that does nothing here.
READ_FILTERS = [DjangoFilterBackend, OrderingFilter]


class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    """创建/复审 cycles: the office, leaders, inspectors and every unit's staff see them."""

    serializer_class = CampaignSerializer
    filter_backends = READ_FILTERS
    filterset_class = CampaignFilter
    ordering_fields = ["inspection_on", "starts_on", "name"]

    def get_queryset(self) -> Any:
        return (
            Campaign.objects.visible_to(self.request.user)
            .select_related("standard")
            .order_by("-inspection_on", "pk")
        )


class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    """Tasks the caller can see (all for the office and leaders; led or supported for a unit's staff)."""

    serializer_class = TaskSerializer
    filter_backends = READ_FILTERS
    filterset_class = TaskFilter
    ordering_fields = ["deadline", "status", "updated_at"]

    def get_queryset(self) -> Any:
        return (
            Task.objects.visible_to(self.request.user)
            .select_related("campaign", "item__category", "lead_unit")
            .prefetch_related("supporting_units", "item__requirements")
            .due_first()
        )

    def get_serializer(self, *args: Any, **kwargs: Any) -> BaseSerializer:
        """Task output carries progress computed for the whole page at once (two queries, not two per row)."""
        serializer_class = self.get_serializer_class()
        context = {**self.get_serializer_context(), "today": timezone.localdate()}
        instance = args[0] if args else kwargs.get("instance")
        if serializer_class is TaskSerializer and instance is not None:
            context["progress"] = progress_of(list(instance) if kwargs.get("many") else [instance])
        return serializer_class(*args, **{**kwargs, "context": context})

    @extend_schema(
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses={201: EvidenceSerializer(many=True), 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[MultiPartParser, FormParser],
        serializer_class=EvidenceUploadSerializer,
        **ACTION,
    )
    def evidence(self, request: Request, pk: str | None = None) -> Response:
        """Upload files for one requirement slot: each is checked by content, and all or none are kept."""
        task = self.get_object()
        serializer = self.get_serializer(data=request.data)
        validated(serializer)
        data = serializer.validated_data
        stored = evidence_upload(
            task=task,
            requirement=data["requirement"],
            year=data["year"],
            files=data["files"],
            actor=cast(User, request.user),
        )
        return Response(EvidenceSerializer(stored, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ProgressNoteSerializer,
        responses={200: TaskSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], serializer_class=ProgressNoteSerializer, **ACTION)
    def progress(self, request: Request, pk: str | None = None) -> Response:
        """Record the lead unit's progress note."""
        task = self.get_object()
        serializer = self.get_serializer(data=request.data)
        validated(serializer)
        task = task_set_progress(
            task=task, actor=cast(User, request.user), note=serializer.validated_data["note"]
        )
        context = {"request": request, "today": timezone.localdate(), "progress": progress_of([task])}
        return Response(TaskSerializer(task, context=context).data)


class EvidenceViewSet(viewsets.ReadOnlyModelViewSet):
    """Evidence of the tasks the caller can see; only the office reviews it."""

    serializer_class = EvidenceSerializer
    filter_backends = READ_FILTERS
    filterset_class = EvidenceFilter
    ordering_fields = ["uploaded_at", "reviewed_at", "status"]

    def get_queryset(self) -> Any:
        return (
            Evidence.objects.visible_to(self.request.user)
            .select_related("requirement", "uploaded_by", "reviewed_by")
            .order_by("-uploaded_at", "-pk")
        )

    def _review_one(self, request: Request, *, approve: bool) -> Response:
        """Approve or return the evidence in the URL with the posted comment."""
        evidence = self.get_object()
        serializer = self.get_serializer(data=request.data)
        validated(serializer)
        evidence_review(
            evidence=evidence,
            actor=cast(User, request.user),
            approve=approve,
            comment=serializer.validated_data["comment"],
        )
        return Response(EvidenceSerializer(self.get_object()).data)

    @extend_schema(
        request=ReviewCommentSerializer,
        responses={200: EvidenceSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], serializer_class=ReviewCommentSerializer, **ACTION)
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """通过: the evidence goes into the binder; the task is done once every slot is approved."""
        return self._review_one(request, approve=True)

    @extend_schema(
        request=ReviewCommentSerializer,
        responses={200: EvidenceSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="return",
        url_name="return",
        serializer_class=ReviewCommentSerializer,
        **ACTION,
    )
    def return_(self, request: Request, pk: str | None = None) -> Response:
        """退回 with a comment telling the unit what to add."""
        return self._review_one(request, approve=False)

    @extend_schema(
        request=EvidenceBulkReviewSerializer,
        responses={200: EvidenceSerializer(many=True), 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=False, methods=["post"], serializer_class=EvidenceBulkReviewSerializer, **ACTION)
    def review(self, request: Request) -> Response:
        """The same decision for several pieces at once: if any cannot be reviewed, none changes."""
        serializer = self.get_serializer(data=request.data)
        validated(serializer)
        data = serializer.validated_data
        ids = set(data["ids"])
        evidence = list(self.get_queryset().filter(pk__in=ids))
        if len(evidence) != len(ids):
            raise NotFound("部分材料不存在或无权查看。")
        evidence_review_many(
            evidence=evidence,
            actor=cast(User, request.user),
            approve=data["decision"] == ReviewDecision.APPROVE,
            comment=data["comment"],
        )
        reviewed = self.get_queryset().filter(pk__in=ids)
        return Response(EvidenceSerializer(reviewed, many=True).data)
