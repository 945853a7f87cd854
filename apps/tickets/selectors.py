"""Report reads over tickets: per-unit performance figures (综合评价) for a period."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.regions.models import Unit
from apps.tickets.choices import EventAction, TicketStatus
from apps.tickets.models import Ticket, TicketEvent
from apps.tickets.querysets import overdue_q


@dataclass
class UnitKpi:
    """One unit's figures: counts over the period, open and overdue as of now, and the rates from them.

    Rates are fractions between 0 and 1, None when there is nothing to divide by.
    """

    unit_id: int
    dispatched: int = 0  # 派遣 events to the unit in the period (a re-dispatch counts again)
    returned: int = 0  # 退回 events by the unit in the period
    closed: int = 0  # tickets closed in the period while assigned to the unit
    closed_on_time: int = 0  # of those, submitted by the deadline
    reworked: int = 0  # of those, sent back for rework at least once
    timed: int = 0  # of those, with both a dispatch and a submission time
    handling_minutes: int = 0  # working minutes from the last dispatch to the last submission, summed
    recurrences: int = 0  # 反弹: tickets opened in the period that repeat one the unit had closed
    open: int = 0  # assigned to the unit and not finished, now
    overdue: int = 0  # held by the unit past the deadline, now

    @property
    def return_rate(self) -> float | None:
        """退单率: returned / dispatched."""
        return _rate(self.returned, self.dispatched)

    @property
    def on_time_rate(self) -> float | None:
        """按期办结率: closed on time / closed."""
        return _rate(self.closed_on_time, self.closed)

    @property
    def rework_rate(self) -> float | None:
        """返工率: closed after at least one rework / closed."""
        return _rate(self.reworked, self.closed)

    @property
    def average_handling_hours(self) -> float | None:
        """平均处置时长 in working hours, over the closed tickets with a known handling time."""
        return None if not self.timed else self.handling_minutes / self.timed / 60


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def unit_kpis(
    *,
    units: Iterable[Unit] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    now: datetime | None = None,
) -> dict[int, UnitKpi]:
    """Figures per unit (all active units by default) for [since, until); until defaults to now.

    Four queries (five without `units`) however many units and tickets: each count is one grouped query, the
    handling time a sum of what 销号 stored (Ticket.handling_minutes).
    """
    now = now or timezone.now()
    until = until or now
    if units is None:
        units = Unit.objects.filter(is_active=True).only("pk")
    kpis = {unit.pk: UnitKpi(unit.pk) for unit in units}
    ids = list(kpis)
    _add_events(kpis, _window("at", since, until) & Q(unit_id__in=ids))
    _add_closed(kpis, _window("closed_at", since, until) & Q(responsible_unit_id__in=ids))
    repeats = Q(recurrence_of__responsible_unit_id__in=ids)
    _add_recurrences(kpis, _window("created_at", since, until) & repeats)
    _add_current(kpis, ids, now)
    return kpis


def _window(field: str, since: datetime | None, until: datetime) -> Q:
    """`field` within [since, until)."""
    return Q(**{f"{field}__lt": until}) & (Q(**{f"{field}__gte": since}) if since else Q())


def _add_events(kpis: dict[int, UnitKpi], where: Q) -> None:
    """Dispatches to and returns by each unit, one grouped query."""
    rows = (
        TicketEvent.objects.filter(where, action__in=[EventAction.DISPATCH, EventAction.RETURN])
        .order_by()  # the model's ordering would otherwise join the GROUP BY
        .values("unit_id")
        .annotate(
            dispatched=Count("pk", filter=Q(action=EventAction.DISPATCH)),
            returned=Count("pk", filter=Q(action=EventAction.RETURN)),
        )
    )
    for row in rows:
        _fill(kpis[row["unit_id"]], row, "dispatched", "returned")


def _add_closed(kpis: dict[int, UnitKpi], where: Q) -> None:
    """Closed tickets per unit: counts and handling time (fixed at 销号), one grouped query."""
    rows = (
        Ticket.objects.filter(where, status=TicketStatus.CLOSED)
        .order_by()
        .values("responsible_unit_id")
        .annotate(
            closed=Count("pk"),
            closed_on_time=Count("pk", filter=Q(closed_on_time=True)),
            reworked=Count("pk", filter=Q(rework_count__gt=0)),
            timed=Count("handling_minutes"),
            handling_minutes=Coalesce(Sum("handling_minutes"), 0),
        )
    )
    for row in rows:
        _fill(kpis[row["responsible_unit_id"]], row, "closed", "closed_on_time", "reworked", "timed")
        kpis[row["responsible_unit_id"]].handling_minutes = row["handling_minutes"]


def _add_recurrences(kpis: dict[int, UnitKpi], where: Q) -> None:
    """反弹 per unit that had closed the earlier ticket; voided repeats (misreports) do not count."""
    rows = (
        Ticket.objects.filter(where, recurrence_of__isnull=False)
        .exclude(status=TicketStatus.VOID)
        .order_by()
        .values("recurrence_of__responsible_unit_id")
        .annotate(recurrences=Count("pk"))
    )
    for row in rows:
        _fill(kpis[row["recurrence_of__responsible_unit_id"]], row, "recurrences")


def _add_current(kpis: dict[int, UnitKpi], ids: list[int], now: datetime) -> None:
    """Open and overdue tickets per unit as of now."""
    rows = (
        Ticket.objects.unfinished()
        .filter(responsible_unit_id__in=ids)
        .order_by()
        .values("responsible_unit_id")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=overdue_q(now)),
        )
    )
    for row in rows:
        _fill(kpis[row["responsible_unit_id"]], row, "open", "overdue")


def _fill(kpi: UnitKpi, row: dict[str, Any], *names: str) -> None:
    for name in names:
        setattr(kpi, name, row[name])
