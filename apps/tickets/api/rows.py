"""The ticket list's API rows from `.values()`: TicketSerializer's output at a fraction of its cost."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from apps.core.api.rows import moment, ref
from apps.tickets.choices import CLOCK_RUNNING, Supervision, TicketSource, TicketStatus

COLUMNS = (
    "id",
    "number",
    "source",
    "category_id",
    "category__code",
    "category__name",
    "category__parent__name",
    "title",
    "region_id",
    "region__name",
    "region__level",
    "point_id",
    "point__name",
    "address",
    "responsible_unit_id",
    "responsible_unit__name",
    "status",
    "supervision",
    "deadline",
    "created_at",
    "updated_at",
)
SOURCES, STATUSES, LEVELS = dict(TicketSource.choices), dict(TicketStatus.choices), dict(Supervision.choices)


def ticket_row(row: dict[str, Any], now: datetime) -> dict[str, Any]:
    """One list row as TicketSerializer writes it; overdue judged against `now`."""
    deadline = row["deadline"]
    return {
        "id": row["id"],
        "number": row["number"],
        "source": row["source"],
        "source_display": SOURCES.get(row["source"], row["source"]),
        "category": {
            "id": row["category_id"],
            "code": row["category__code"],
            "name": row["category__name"],
            "parent_name": row["category__parent__name"],
        },
        "title": row["title"],
        "region": ref(row, "region", name="name", level="level"),
        "point": ref(row, "point", name="name"),
        "address": row["address"],
        "responsible_unit": ref(row, "responsible_unit", name="name"),
        "status": row["status"],
        "status_display": STATUSES.get(row["status"], row["status"]),
        "supervision": row["supervision"],
        "supervision_display": LEVELS.get(row["supervision"], row["supervision"]),
        "deadline": moment(deadline),
        "is_overdue": row["status"] in CLOCK_RUNNING and deadline is not None and deadline < now,
        "created_at": moment(row["created_at"]),
        "updated_at": moment(row["updated_at"]),
    }


def ticket_rows(rows: Iterable[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
    """Every row of a page."""
    return [ticket_row(row, now) for row in rows]
