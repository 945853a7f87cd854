"""The ticket list as an Excel workbook: one row per ticket, with a one-cell summary of its timeline.

openpyxl's write-only mode spools rows to disk as they are appended, and the tickets are read in chunks, so
a large export holds neither all rows nor all model instances in memory.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from datetime import datetime
from typing import IO, Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from apps.tickets.models import Ticket, TicketEvent

CHUNK = 1000
COLUMNS: list[tuple[str, int]] = [
    ("工单编号", 18),
    ("问题标题", 30),
    ("问题大类", 12),
    ("问题小类", 14),
    ("来源", 10),
    ("所在区域", 12),
    ("点位", 16),
    ("位置描述", 20),
    ("责任单位", 18),
    ("状态", 8),
    ("督办级别", 9),
    ("上报人", 10),
    ("上报时间", 17),
    ("派遣时间", 17),
    ("整改时限", 17),
    ("提交整改时间", 17),
    ("销号时间", 17),
    ("是否超期", 8),
    ("返工次数", 8),
    ("退单次数", 8),
    ("处理过程", 80),
]


def export_rows(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """The tickets with everything a row needs, fetched alongside (a fixed number of queries per chunk)."""
    events = TicketEvent.objects.select_related("actor").order_by("at", "pk")
    return tickets.select_related(
        "category__parent", "region", "point", "responsible_unit", "reporter"
    ).prefetch_related(Prefetch("events", queryset=events))


def _local(value: datetime | None) -> datetime | None:
    """Excel has no time zones: local wall-clock time without one."""
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def timeline_summary(events: Iterable[TicketEvent]) -> str:
    """「11-20 16:00 上报（张三）→ 11-20 16:05 派遣（创卫办）：…」, one step after another."""
    steps = []
    for event in events:
        who = event.actor.display_name if event.actor else "系统"
        step = f"{timezone.localtime(event.at):%m-%d %H:%M} {event.get_action_display()}（{who}）"
        steps.append(f"{step}：{event.comment}" if event.comment else step)
    return " → ".join(steps)


def ticket_row(ticket: Ticket, now: datetime) -> list[Any]:
    """One ticket as the workbook's cells."""
    category = ticket.category
    parent = category.parent.name if category.parent_id and category.parent else ""
    return [
        ticket.number,
        ticket.title,
        parent,
        category.name,
        ticket.get_source_display(),
        ticket.region.name,
        ticket.point.name if ticket.point else "",
        ticket.address,
        ticket.responsible_unit.name if ticket.responsible_unit else "",
        ticket.get_status_display(),
        ticket.get_supervision_display(),
        ticket.reporter.display_name if ticket.reporter else "",
        _local(ticket.created_at),
        _local(ticket.dispatched_at),
        _local(ticket.deadline),
        _local(ticket.submitted_at),
        _local(ticket.closed_at),
        "是" if ticket.is_overdue(now) or ticket.closed_on_time is False else "",
        ticket.rework_count,
        ticket.return_count,
        timeline_summary(ticket.events.all()),
    ]


def ticket_workbook(tickets: QuerySet[Ticket], *, now: datetime) -> IO[bytes]:
    """Write the tickets into a temporary .xlsx and return it open at the start (closing it deletes it)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("整改工单")
    for index, (_, width) in enumerate(COLUMNS):
        sheet.column_dimensions[_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([_bold(sheet, title) for title, _ in COLUMNS])
    for ticket in export_rows(tickets).iterator(chunk_size=CHUNK):
        sheet.append(ticket_row(ticket, now))
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 — the response closes (and so removes) it
    book.save(handle)
    handle.seek(0)
    return handle


def _letter(index: int) -> str:
    """Column letter for a 0-based index (the workbook has fewer than 27 columns)."""
    return chr(ord("A") + index)


def _bold(sheet: Any, value: str) -> WriteOnlyCell:
    """A header cell."""
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = Font(bold=True)
    return cell
