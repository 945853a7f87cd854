"""Tickets over the API: reads through visible_to, every step of the lifecycle through its service.

One endpoint per step (`POST tickets/{id}/<step>/`, the names `allowed_actions` lists). A ticket the caller
cannot see is 404; a step the caller may not take is 403 and a step the ticket's state does not allow is 400,
both with the service's Chinese message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from apps.accounts.models import User
from apps.core.api.exceptions import validated
from apps.core.api.parsers import JSONParser
from apps.tickets.api.filters import TicketFilter
from apps.tickets.api.rows import COLUMNS as ROW_COLUMNS
from apps.tickets.api.rows import ticket_rows
from apps.tickets.api.serializers import (
    CommentSerializer,
    DecisionSerializer,
    DispatchSerializer,
    ExtensionSerializer,
    RecheckSerializer,
    ReturnSerializer,
    ShelveSerializer,
    SubmitSerializer,
    SuperviseSerializer,
    TicketCreateSerializer,
    TicketDetailSerializer,
    TicketEventSerializer,
    TicketSerializer,
    VoidSerializer,
)
from apps.tickets.models import Ticket, TicketEvent
from apps.tickets.services import (
    ticket_accept,
    ticket_decide_extension,
    ticket_decide_shelve,
    ticket_dispatch,
    ticket_file,
    ticket_recheck,
    ticket_report,
    ticket_request_extension,
    ticket_request_shelve,
    ticket_resume,
    ticket_return,
    ticket_submit,
    ticket_supervise,
    ticket_void,
)

FORBIDDEN = OpenApiResponse(description="无权执行此操作（中文说明）")
BAD_INPUT = OpenApiResponse(description="输入有误或工单当前状态不允许此操作（中文说明）")
NOT_FOUND = OpenApiResponse(description="不存在或无权查看")
STEP_RESPONSES = {200: TicketDetailSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND}
# State-changing actions take no list filters or pages (and must not look the object up through them).
ACTION: dict[str, Any] = {"filter_backends": [], "pagination_class": None}
# `q` is the text search; DRF's SearchFilter would only add a `search` parameter that does nothing here.
READ_FILTERS = [DjangoFilterBackend, OrderingFilter]
UPLOAD_PARSERS = [MultiPartParser, FormParser]
ROW_RELATIONS = ("category__parent", "region", "point", "responsible_unit")


def with_detail(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """Everything the detail shows in a fixed number of queries: relations, photos, events with theirs."""
    events = TicketEvent.objects.select_related("actor", "unit").prefetch_related("photos")
    return tickets.select_related(*ROW_RELATIONS, "reporter", "assignee", "recurrence_of").prefetch_related(
        "photos", Prefetch("events", queryset=events)
    )


@extend_schema_view(
    list=extend_schema(
        description="工单列表（仅本人可见的工单），新上报的在前；可按状态、超期、督办级别、类别、来源、区域、单位、日期和关键词筛选。"
    ),
    retrieve=extend_schema(
        description="工单详情：照片、处置记录、当前用户可执行的操作（allowed_actions）及派遣前的建议责任单位。",
        responses={200: TicketDetailSerializer, 404: NOT_FOUND},
    ),
)
class TicketViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Tickets the caller can see (all for the office, leaders and inspectors; the territory for 街道/社区;
    the unit's own; a grid worker's grids; and whatever the caller reported)."""

    serializer_class = TicketSerializer
    filter_backends = READ_FILTERS
    filterset_class = TicketFilter
    ordering_fields = ["created_at", "deadline", "updated_at", "supervision"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self) -> Any:
        tickets = Ticket.objects.visible_to(self.request.user)
        if self.action == "list":
            return tickets  # read as .values(ROW_COLUMNS) in list()
        if self.action == "retrieve":
            return with_detail(tickets)
        # A step locks and re-reads the row itself; the lookup only needs to prove the ticket is visible.
        return tickets

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A page of rows read with .values() and written by ticket_rows (TicketSerializer's output)."""
        tickets = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(tickets.values(*ROW_COLUMNS)) or []
        return self.get_paginated_response(ticket_rows(page, now=timezone.now()))

    def get_serializer_class(self) -> type[Serializer]:
        if self.action == "retrieve":
            return TicketDetailSerializer
        if self.action == "create":
            return TicketCreateSerializer
        return cast(type[Serializer], super().get_serializer_class())

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "now": timezone.now()}

    def _detail(self, ticket_id: int, *, status_code: int = status.HTTP_200_OK) -> Response:
        """The ticket after a step, as the detail shows it.

        Read without visible_to: after 退回 the unit no longer sees the ticket, yet it should still get the
        result of its own step (with no further actions allowed).
        """
        ticket = with_detail(Ticket.objects.all()).get(pk=ticket_id)
        data = TicketDetailSerializer(ticket, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    def _step(self, service: Callable[..., Ticket], *, with_input: bool = True) -> Response:
        """Find the visible ticket (else 404), read the action's input, run the service, return the detail.

        The input serializer is the action's `serializer_class`; its fields are the service's keywords.
        """
        ticket = self.get_object()
        values: dict[str, Any] = {}
        if with_input:
            serializer = self.get_serializer(data=self.request.data)
            validated(serializer)
            values = dict(serializer.validated_data)
        service(ticket=ticket, actor=cast(User, self.request.user), **values)
        return self._detail(ticket.pk)

    @extend_schema(
        request={
            "multipart/form-data": TicketCreateSerializer,
            "application/json": TicketCreateSerializer,
        },
        responses={
            201: TicketDetailSerializer,
            200: OpenApiResponse(TicketDetailSerializer, description="同一问题已有未办结工单：已并入该工单"),
            400: BAD_INPUT,
            403: FORBIDDEN,
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """上报: a new ticket (201; the office's at 待派遣), or a further report on an open one (200)."""
        serializer = self.get_serializer(data=request.data)
        validated(serializer)
        reported = ticket_report(actor=cast(User, request.user), **serializer.validated_data)
        if reported.joined and not self.get_queryset().filter(pk=reported.ticket.pk).exists():
            return Response({"number": reported.ticket.number, "joined": True}, status=status.HTTP_200_OK)
        code = status.HTTP_200_OK if reported.joined else status.HTTP_201_CREATED
        return self._detail(reported.ticket.pk, status_code=code)

    @extend_schema(responses={200: TicketEventSerializer(many=True), 404: NOT_FOUND})
    @action(detail=True, methods=["get"], serializer_class=TicketEventSerializer, **ACTION)
    def events(self, request: Request, pk: str | None = None) -> Response:
        """The timeline, oldest first: who did what, when, from which state to which, with photos."""
        ticket = self.get_object()
        events = ticket.events.select_related("actor", "unit").prefetch_related("photos")
        return Response(TicketEventSerializer(events, many=True, context={"request": request}).data)

    @extend_schema(request=CommentSerializer, responses=STEP_RESPONSES)
    @action(detail=True, methods=["post"], serializer_class=CommentSerializer, **ACTION)
    def file(self, request: Request, pk: str | None = None) -> Response:
        """立案 (创卫办): a reported problem becomes a case waiting for dispatch."""
        return self._step(ticket_file)

    @extend_schema(request=DispatchSerializer, responses=STEP_RESPONSES)
    @action(
        detail=True,
        methods=["post"],
        url_path="dispatch",
        url_name="dispatch",
        serializer_class=DispatchSerializer,
        **ACTION,
    )
    def dispatch_to(self, request: Request, pk: str | None = None) -> Response:
        """派遣 (创卫办) to a unit; without a deadline the category's time limit on the working calendar."""
        return self._step(ticket_dispatch)

    @extend_schema(request=None, responses=STEP_RESPONSES)
    @action(detail=True, methods=["post"], **ACTION)
    def accept(self, request: Request, pk: str | None = None) -> Response:
        """签收 (the handling unit): the caller becomes the 经办人."""
        return self._step(ticket_accept, with_input=False)

    @extend_schema(request=ReturnSerializer, responses=STEP_RESPONSES)
    @action(
        detail=True,
        methods=["post"],
        url_path="return",
        url_name="return",
        serializer_class=ReturnSerializer,
        **ACTION,
    )
    def return_(self, request: Request, pk: str | None = None) -> Response:
        """退回 (the handling unit): not its problem; back to 待派遣, counted against the unit."""
        return self._step(ticket_return)

    @extend_schema(request={"multipart/form-data": SubmitSerializer}, responses=STEP_RESPONSES)
    @action(
        detail=True,
        methods=["post"],
        parser_classes=UPLOAD_PARSERS,
        serializer_class=SubmitSerializer,
        **ACTION,
    )
    def submit(self, request: Request, pk: str | None = None) -> Response:
        """提交整改 (the handling unit) with at least one after-photo; the ticket waits for 核查."""
        return self._step(ticket_submit)

    @extend_schema(
        request={"multipart/form-data": RecheckSerializer, "application/json": RecheckSerializer},
        responses=STEP_RESPONSES,
    )
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[*UPLOAD_PARSERS, JSONParser],
        serializer_class=RecheckSerializer,
        **ACTION,
    )
    def recheck(self, request: Request, pk: str | None = None) -> Response:
        """核查 (office, inspector or the grid's worker, never the handler): pass → 已销号, fail → 返工."""
        return self._step(ticket_recheck)

    @extend_schema(request=ExtensionSerializer, responses=STEP_RESPONSES)
    @action(detail=True, methods=["post"], serializer_class=ExtensionSerializer, **ACTION)
    def extension(self, request: Request, pk: str | None = None) -> Response:
        """申请延期 (the handling unit): a later deadline and why; the office decides."""
        return self._step(ticket_request_extension)

    @extend_schema(request=DecisionSerializer, responses=STEP_RESPONSES)
    @action(
        detail=True,
        methods=["post"],
        url_path="extension-decision",
        url_name="extension-decision",
        serializer_class=DecisionSerializer,
        **ACTION,
    )
    def extension_decision(self, request: Request, pk: str | None = None) -> Response:
        """审批延期 (创卫办): approved, the requested time becomes the deadline; refused needs a comment."""
        return self._step(ticket_decide_extension)

    @extend_schema(request=ShelveSerializer, responses=STEP_RESPONSES)
    @action(detail=True, methods=["post"], serializer_class=ShelveSerializer, **ACTION)
    def shelve(self, request: Request, pk: str | None = None) -> Response:
        """申请挂账 (the handling unit): cannot be fixed for now, and why."""
        return self._step(ticket_request_shelve)

    @extend_schema(request=DecisionSerializer, responses=STEP_RESPONSES)
    @action(
        detail=True,
        methods=["post"],
        url_path="shelve-decision",
        url_name="shelve-decision",
        serializer_class=DecisionSerializer,
        **ACTION,
    )
    def shelve_decision(self, request: Request, pk: str | None = None) -> Response:
        """审批挂账 (创卫办): approved, the clock pauses; refused needs a comment."""
        return self._step(ticket_decide_shelve)

    @extend_schema(request=CommentSerializer, responses=STEP_RESPONSES)
    @action(detail=True, methods=["post"], serializer_class=CommentSerializer, **ACTION)
    def resume(self, request: Request, pk: str | None = None) -> Response:
        """恢复整改 (创卫办): off the shelf, the deadline moved on by the paused working time."""
        return self._step(ticket_resume)

    @extend_schema(request=VoidSerializer, responses=STEP_RESPONSES)
    @action(detail=True, methods=["post"], serializer_class=VoidSerializer, **ACTION)
    def void(self, request: Request, pk: str | None = None) -> Response:
        """作废 (创卫办) with a reason."""
        return self._step(ticket_void)

    @extend_schema(request=SuperviseSerializer, responses=STEP_RESPONSES)
    @action(detail=True, methods=["post"], serializer_class=SuperviseSerializer, **ACTION)
    def supervise(self, request: Request, pk: str | None = None) -> Response:
        """提级督办 (创卫办 or a city leader): supervision only goes up."""
        return self._step(ticket_supervise)
