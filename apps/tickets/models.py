"""Rectification tickets (整改工单): problem categories with time limits, routing rules, tickets,
their timeline (TicketEvent) and photos.

Lifecycle: 待立案 → 待派遣 → 待签收 → 整改中 → 待核查 → 已销号, with 退回 (back to 待派遣),
返工 (back to 整改中), 延期 (a new deadline on approval), 挂账 (shelved with approval, clock paused)
and 作废. Every change is a service in apps/tickets/services/ that checks its own permission and
writes a TicketEvent.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from apps.calendars.models import DeadlineUnit
from apps.core.models import TimeStampedModel
from apps.regions.models import Point, Region, Unit, UnitType, coordinate_field
from apps.tickets.choices import (
    CLOCK_RUNNING,
    FINISHED,
    STATUS_GROUP,
    EventAction,
    PhotoKind,
    Supervision,
    TicketSource,
    TicketStatus,
)
from apps.tickets.querysets import ProblemCategoryQuerySet, TicketQuerySet

# The choices live in apps/tickets/choices.py (the QuerySets need them too); they are imported here so that
# `from apps.tickets.models import TicketStatus` keeps working.
__all__ = [
    "CLOCK_RUNNING",
    "FINISHED",
    "STATUS_GROUP",
    "EventAction",
    "PhotoKind",
    "ProblemCategory",
    "RoutingRule",
    "Supervision",
    "Ticket",
    "TicketCounter",
    "TicketEvent",
    "TicketPhoto",
    "TicketSource",
    "TicketStatus",
]


class ProblemCategory(models.Model):
    """A problem category, two levels (大类 → 小类); a 小类 without its own time limit uses its 大类's."""

    parent = models.ForeignKey(
        "self", verbose_name="大类", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    code = models.CharField("编码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=50)
    order = models.PositiveSmallIntegerField("顺序", default=0)
    deadline_value = models.PositiveSmallIntegerField("处置时限", null=True, blank=True)
    deadline_unit = models.CharField("时限单位", max_length=10, choices=DeadlineUnit.choices, blank=True)
    default_unit_type = models.CharField(
        "默认责任单位类型", max_length=20, choices=UnitType.choices, blank=True
    )
    is_active = models.BooleanField("启用", default=True)

    objects = ProblemCategoryQuerySet.as_manager()

    class Meta:
        verbose_name = "问题类别"
        verbose_name_plural = "问题类别"
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline_value__isnull=True, deadline_unit="")
                | Q(deadline_value__gt=0) & ~Q(deadline_unit=""),
                name="category_deadline_value_and_unit_together",
            )
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} / {self.name}" if self.parent_id and self.parent else self.name

    def clean(self) -> None:
        """Two levels only; a 小类 needs a time limit unless its 大类 has one."""
        if self.parent_id and self.parent and self.parent.parent_id:
            raise ValidationError({"parent": "问题类别只有两级：所选上级本身是小类。"})
        if bool(self.deadline_value) != bool(self.deadline_unit):
            raise ValidationError({"deadline_unit": "处置时限和时限单位须同时填写或同时留空。"})
        if self.parent_id and not self.deadline_value and self.parent and not self.parent.deadline_value:
            raise ValidationError({"deadline_value": "小类须有处置时限（或其大类有）。"})

    @property
    def time_limit(self) -> tuple[int, str] | None:
        """(value, unit) of the category's own time limit, else its 大类's."""
        if self.deadline_value and self.deadline_unit:
            return self.deadline_value, self.deadline_unit
        if self.parent_id and self.parent and self.parent.deadline_value:
            return self.parent.deadline_value, self.parent.deadline_unit
        return None

    @property
    def time_limit_label(self) -> str:
        """The time limit for people: 「4 工作时」."""
        limit = self.time_limit
        return f"{limit[0]} {DeadlineUnit(limit[1]).label}" if limit else "—"

    @property
    def unit_type(self) -> str:
        """The category's default responsible unit type, else its 大类's."""
        return self.default_unit_type or (
            self.parent.default_unit_type if self.parent_id and self.parent else ""
        )


class RoutingRule(TimeStampedModel):
    """Category × region → responsible unit; the deepest region wins, then a 小类 over its 大类."""

    category = models.ForeignKey(
        ProblemCategory, verbose_name="问题类别", on_delete=models.CASCADE, related_name="routing_rules"
    )
    region = models.ForeignKey(
        Region, verbose_name="区域", on_delete=models.CASCADE, related_name="routing_rules"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="责任单位", on_delete=models.CASCADE, related_name="routing_rules"
    )
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "派遣规则"
        verbose_name_plural = "派遣规则"
        constraints = [models.UniqueConstraint(fields=["category", "region"], name="routing_rule_once")]

    def __str__(self) -> str:
        return f"{self.category} @ {self.region.name} → {self.unit}"


class Ticket(TimeStampedModel):
    """A problem a responsible unit must fix by a deadline, re-checked by someone independent, then closed."""

    number = models.CharField("工单编号", max_length=24, unique=True)
    source = models.CharField("来源", max_length=12, choices=TicketSource.choices)
    category = models.ForeignKey(
        ProblemCategory, verbose_name="问题类别", on_delete=models.PROTECT, related_name="tickets"
    )
    title = models.CharField("问题标题", max_length=100)
    description = models.TextField("问题描述", blank=True)
    region = models.ForeignKey(
        Region, verbose_name="所在区域", on_delete=models.PROTECT, related_name="tickets"
    )
    point = models.ForeignKey(
        Point, verbose_name="点位", on_delete=models.SET_NULL, null=True, blank=True, related_name="tickets"
    )
    address = models.CharField("位置描述", max_length=200, blank=True)
    lat: models.DecimalField[Decimal | None, Decimal | None] = coordinate_field("纬度", limit=90)
    lng: models.DecimalField[Decimal | None, Decimal | None] = coordinate_field("经度", limit=180)
    responsible_unit = models.ForeignKey(
        Unit, verbose_name="责任单位", on_delete=models.PROTECT, null=True, blank=True, related_name="tickets"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上报人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reported_tickets",
    )
    status = models.CharField(
        "状态", max_length=12, choices=TicketStatus.choices, default=TicketStatus.REPORTED
    )
    supervision = models.PositiveSmallIntegerField(
        "督办级别", choices=Supervision.choices, default=Supervision.NORMAL
    )
    deadline = models.DateTimeField("整改时限", null=True, blank=True)
    allowed_minutes = models.PositiveIntegerField("允许工作分钟数", null=True, blank=True)
    dispatched_at = models.DateTimeField("派遣时间", null=True, blank=True)
    accepted_at = models.DateTimeField("签收时间", null=True, blank=True)
    submitted_at = models.DateTimeField("提交整改时间", null=True, blank=True)
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    closed_on_time = models.BooleanField("按期办结", null=True, blank=True)
    # Working minutes from the last dispatch to the accepted submission, fixed at 销号: the KPIs sum it in SQL
    # instead of redoing calendar arithmetic for every closed ticket on every dashboard view.
    handling_minutes = models.PositiveIntegerField("处置用时(工作分钟)", null=True, blank=True)
    paused_at = models.DateTimeField("挂账时间", null=True, blank=True)
    extension_until = models.DateTimeField("申请延期至", null=True, blank=True)
    extension_reason = models.CharField("延期理由", max_length=300, blank=True)
    shelve_reason = models.CharField("挂账理由", max_length=300, blank=True)
    shelve_requested = models.BooleanField("已申请挂账", default=False)
    warned_at = models.DateTimeField("临期提醒时间", null=True, blank=True)
    rework_count = models.PositiveSmallIntegerField("返工次数", default=0)
    return_count = models.PositiveSmallIntegerField("退单次数", default=0)
    recurrence_of = models.ForeignKey(
        "self",
        verbose_name="反弹自",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recurrences",
    )

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = "整改工单"
        verbose_name_plural = "整改工单"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "deadline"], name="ticket_status_deadline_idx"),
            # A unit's inbox: its tickets in one state, earliest deadline first.
            models.Index(
                fields=["responsible_unit", "status", "deadline", "id"], name="ticket_unit_inbox_idx"
            ),
            models.Index(fields=["region", "status"], name="ticket_region_status_idx"),
            models.Index(fields=["category", "point", "closed_at"], name="ticket_recurrence_idx"),
            models.Index(fields=["-created_at", "-id"], name="ticket_newest_idx"),
            # The list filtered by status, newest first: an index walk instead of sorting every match.
            models.Index(fields=["status", "-created_at", "-id"], name="ticket_status_newest_idx"),
            # The day's list (unfinished, most urgent first, apps/tickets/views/lists.py SORTS["deadline"]):
            # the first page is an index walk, not a sort of every open ticket. PostgreSQL puts NULLs last in
            # an ascending index, as the list's `nulls_last` asks (SQLite cannot say NULLS LAST in an index).
            models.Index(
                fields=["deadline", "-supervision", "id"],
                condition=~Q(status__in=FINISHED),
                name="ticket_open_urgent_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def status_group(self) -> str:
        """new, wait, work, done, parked or void: which of the status tags' looks this status takes."""
        return STATUS_GROUP.get(self.status, "new")  # type: ignore[call-overload]

    @property
    def clock_running(self) -> bool:
        """The unit holds it (待签收, 整改中): the deadline applies."""
        return self.status in CLOCK_RUNNING

    def is_overdue(self, now: datetime) -> bool:
        """The unit holds it and the deadline has passed."""
        return self.clock_running and self.deadline is not None and self.deadline < now


class TicketEvent(models.Model):
    """One step of a ticket's timeline: who, when, from → to, comment, photos; `unit` is acted upon."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="为空表示系统自动操作。",
    )
    at = models.DateTimeField("时间")
    action = models.CharField("操作", max_length=20, choices=EventAction.choices)
    from_status = models.CharField("原状态", max_length=12, choices=TicketStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=12, choices=TicketStatus.choices, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name="涉及单位", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "工单记录"
        verbose_name_plural = "工单记录"
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["ticket", "at"], name="event_ticket_at_idx"),
            models.Index(fields=["action", "unit"], name="event_action_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket.number} {self.get_action_display()}"


def photo_upload_to(instance: TicketPhoto, filename: str) -> str:
    """Random names under the ticket's month; the extension comes from the re-encoded content."""
    suffix = PurePosixPath(filename).suffix.lower() or ".jpg"
    return f"tickets/{instance.ticket.created_at:%Y/%m}/{instance.ticket_id}/{uuid.uuid4().hex}{suffix}"


class TicketPhoto(models.Model):
    """A photo of the problem (整改前), the fix (整改后) or the re-check, re-encoded on upload."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="photos")
    event = models.ForeignKey(
        TicketEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="photos"
    )
    kind = models.CharField("类型", max_length=8, choices=PhotoKind.choices)
    image = models.ImageField("照片", upload_to=photo_upload_to, width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    taken_at = models.DateTimeField("拍摄时间", null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "工单照片"
        verbose_name_plural = "工单照片"
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.ticket.number} {self.get_kind_display()}"


class TicketCounter(models.Model):
    """The last number handed out per day, so ticket numbers (ZG-20261123-0042) never collide."""

    day = models.DateField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "工单编号计数"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.day}: {self.last}"
