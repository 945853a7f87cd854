"""Template helpers for ticket rows: how long ago something happened, in working people's words."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils.dateformat import format as date_format
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
    shown = date_format(localtime(ticket.deadline), "m-d H:i")
    if not ticket.clock_running:
        return format_html('<span class="muted nowrap">{}</span>', shown)
    if ticket.deadline < now:
        return format_html(
            '<span class="overdue nowrap">{} <span class="tag bad st-late">已超期</span></span>', shown
        )
    return format_html('<span class="nowrap">{}</span>', shown)
