"""Template helpers for ticket rows: how long ago something happened, in working people's words."""

from __future__ import annotations

from datetime import datetime

from django import template

from apps.tickets.views.common import duration_text

register = template.Library()


@register.simple_tag
def elapsed(since: datetime | None, now: datetime) -> str:
    """「2天3小时」 from `since` to `now`; empty when there is no start."""
    return duration_text(now - since) if since else ""
