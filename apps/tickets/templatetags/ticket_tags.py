"""Template helpers for ticket rows: how long ago something happened, in working people's words."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

from apps.tickets.models import Ticket
from apps.tickets.views.common import duration_text

register = template.Library()


@register.simple_tag
def elapsed(since: datetime | None, now: datetime) -> str:
    """「2天3小时」 from `since` to `now`; empty when there is no start."""
    return duration_text(now - since) if since else ""


# The row tags below are written in Python: a list page shows them on every row, and three template
# includes per row were a third of the page's time.


@register.simple_tag
def status_tag(ticket: Ticket) -> SafeString:
    """The status as a tag in its group's colour and glyph (app.css .st-…)."""
    return format_html(
        '<span class="tag st st-{}">{}</span>', ticket.status_group, ticket.get_status_display()
    )


@register.simple_tag
def supervision_tag(ticket: Ticket) -> SafeString:
    """黄牌 / 红牌 / 挂牌督办 as a tag; nothing for 普通."""
    if not ticket.supervision:
        return mark_safe("")
    return format_html(
        '<span class="tag sup-{}">{}</span>', ticket.supervision, ticket.get_supervision_display()
    )


@register.simple_tag
def deadline_cell(ticket: Ticket, now: datetime) -> SafeString:
    """The deadline: red with 已超期 when the clock runs past it, muted when the clock is stopped."""
    if ticket.deadline is None:
        return mark_safe('<span class="muted">—</span>')
    shown = _minute(ticket.deadline)
    if not ticket.clock_running:
        return format_html('<span class="muted nowrap">{}</span>', shown)
    if ticket.deadline < now:
        return format_html(
            '<span class="overdue nowrap">{} <span class="tag bad st-late">已超期</span></span>', shown
        )
    return format_html('<span class="nowrap">{}</span>', shown)


def _minute(moment: datetime) -> str:
    """「12-08 09:30」 in local time (the template filter date:"m-d H:i", without its machinery)."""
    return localtime(moment).strftime("%m-%d %H:%M")


@dataclass(frozen=True)
class RowOptions:
    """Which cells a ticket table shows; `pick` names the form a row's checkbox belongs to, and `accept`
    adds the row's own 签收 button to it."""

    pick: str
    accept: bool
    show_created: bool
    show_point: bool
    show_unit: bool
    show_overdue: bool

    @property
    def columns(self) -> int:
        """How many cells a row has (for the empty row's colspan)."""
        return 7 + bool(self.pick) + self.accept + self.show_unit


@register.simple_tag
def ticket_rows(
    tickets: Iterable[Ticket],
    now: datetime,
    *,
    pick: str = "",
    accept: bool = False,
    show_created: bool = False,
    show_point: bool = True,
    show_unit: bool = True,
    show_overdue: bool = False,
    empty: str = "没有工单。",
) -> SafeString:
    """The <tr> rows of a ticket table (tickets/_table.html and the list page), one line of Python per cell:
    rows are most of a list page's time, and template nodes per cell cost several times this. Flags may come
    from a template as "" (unset) or any truthy value."""
    options = RowOptions(
        pick=pick or "",
        accept=bool(accept),
        show_created=bool(show_created),
        show_point=bool(show_point),
        show_unit=bool(show_unit),
        show_overdue=bool(show_overdue),
    )
    marker = 987654321
    detail = reverse("tickets:detail", args=[marker]).replace(str(marker), "{}")
    rows = [_ticket_row(t, now, detail, options) for t in tickets]
    if rows:
        return mark_safe("".join(rows))  # noqa: S308 - every cell is format_html's, its values escaped
    return format_html('<tr><td colspan="{}" class="muted">{}</td></tr>', options.columns, empty)


def _ticket_row(t: Ticket, now: datetime, detail: str, options: RowOptions) -> str:
    """One row; every value is escaped by format_html."""
    url = detail.format(t.pk)
    cells = []
    if options.pick:
        cells.append(
            format_html(
                '<td class="pick"><input type="checkbox" name="tickets" value="{}" form="{}" '
                'aria-label="选择 {}"></td>',
                t.pk,
                options.pick,
                t.number,
            )
        )
    created = (
        format_html(' <span class="small muted nowrap" title="上报时间">{}</span>', _minute(t.created_at))
        if options.show_created
        else ""
    )
    number = '<td data-label="编号"><a class="nowrap" href="{}">{}</a>{}</td>'
    cells.append(format_html(number, url, t.number, created))
    cells.append(format_html('<td data-label="问题"><a href="{}">{}</a></td>', url, t.title))
    cells.append(format_html('<td data-label="类别">{}</td>', t.category.name))
    if options.show_point:
        point = format_html(" · {}", t.point.name) if t.point else ""
        cells.append(format_html('<td data-label="位置">{}{}</td>', t.region.name, point))
    else:
        cells.append(format_html('<td data-label="区域">{}</td>', t.region.name))
    if options.show_unit:
        unit = t.responsible_unit.name if t.responsible_unit else "—"
        cells.append(format_html('<td data-label="责任单位">{}</td>', unit))
    cells.append(format_html('<td data-label="状态">{}</td>', status_tag(t)))
    empty_mark = "" if t.supervision else mark_safe(" data-empty")
    cells.append(format_html('<td data-label="督办"{}>{}</td>', empty_mark, supervision_tag(t)))
    late = (
        format_html(' <span class="small overdue nowrap">超期 {}</span>', elapsed(t.deadline, now))
        if options.show_overdue
        else ""
    )
    cells.append(format_html('<td data-label="整改时限">{}{}</td>', deadline_cell(t, now), late))
    if options.accept:
        cells.append(
            format_html(
                '<td class="row-action"><button class="btn secondary" type="submit" form="{}" name="only" '
                'value="{}">签收</button></td>',
                options.pick,
                t.pk,
            )
        )
    return "<tr>" + "".join(cells) + "</tr>"
