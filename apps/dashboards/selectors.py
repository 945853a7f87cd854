"""What each role has to do today, in numbers; every number is counted over a `visible_to(user)` queryset
with the same condition as the list its link opens, so the count and the list always agree.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Substr
from django.utils import timezone

from apps.accounts.models import User
from apps.calendars.worktime import add_work_time
from apps.checklists.choices import CampaignStatus
from apps.checklists.models import Campaign, Evidence, Task
from apps.checklists.progress import progress_of
from apps.checklists.selectors import RISK_RULE, campaign_readiness
from apps.core.dates import day_start
from apps.core.numbers import fingerprint, namespace_of, remembered
from apps.patrols.models import Patrol
from apps.patrols.selectors import (
    coverage,
    current_week_start,
    iso_week_label,
    totals,
    week_bounds,
    worker_week,
)
from apps.regions.choices import Level
from apps.regions.models import GridAssignment, Region, Unit
from apps.regions.scope import territory_scope
from apps.tickets.choices import FINISHED, Supervision, TicketStatus
from apps.tickets.models import Ticket
from apps.tickets.querysets import clock_running_q, overdue_q
from apps.tickets.selectors import unit_kpis

T = TypeVar("T")

TASK_DAYS = 7  # the office and units look a week ahead for task deadlines
DUE_HOURS = 24  # a unit's "due soon": within this many working hours
BEHIND = 5  # districts and units shown as furthest behind
# On-time rates cover the last quarter: long enough to mean something, short enough to move.
KPI_WINDOW = timedelta(days=90)


def current_campaign(user: User) -> Campaign | None:
    """The campaign whose 迎检 comes next (an active or preparing one), else none."""
    live = [CampaignStatus.ACTIVE, CampaignStatus.PREPARING]
    campaigns = Campaign.objects.visible_to(user).filter(status__in=live).select_related("standard")
    return campaigns.order_by("inspection_on").first()


def campaign_block(user: User, today: date) -> dict[str, Any] | None:
    """Days to 迎检 and clauses at risk, by the readiness page's own definition."""
    campaign = current_campaign(user)
    if campaign is None:
        return None
    readiness = campaign_readiness(campaign, user, today=today)
    return {
        "campaign": campaign,
        "days_left": campaign.days_to_inspection(today),
        "at_risk": len(readiness.at_risk),
        "risk_rule": RISK_RULE,
    }


def _remember(name: str, user: User, now: datetime, compute: Callable[[], T]) -> T:
    """A ticket number as this viewer sees it, remembered for up to a minute (apps/core/numbers.py): everyone
    who sees the whole city shares one; others see theirs (their scope, and the tickets they reported)."""
    scope = territory_scope(user)
    parts = (scope.subtree_paths, sorted(scope.grid_ids), scope.unit_id, sorted(user.roles))
    viewer = "city" if scope.everything else fingerprint(user.pk, *parts)
    return remembered(namespace_of(Ticket), f"{name}:{viewer}", compute, now=now)


def city_tickets(user: User, now: datetime) -> dict[str, Any]:
    """New today, awaiting 立案 and overdue per supervision level, in one query (remembered for a minute)."""
    return _remember("city", user, now, lambda: _city_tickets(user, now))


def _city_tickets(user: User, now: datetime) -> dict[str, Any]:
    today = timezone.localdate(now)
    start = day_start(today)  # as the list's 上报自 filter reads a day
    levels = {
        f"overdue_{lv.value}": Count("pk", filter=overdue_q(now) & Q(supervision=lv.value))
        for lv in Supervision
    }
    counted = Q(created_at__gte=start) | Q(status=TicketStatus.REPORTED) | overdue_q(now)
    row = (
        Ticket.objects.visible_to(user)
        # Only rows some count takes: index ranges instead of reading every ticket the city ever had.
        .filter(counted)
        .order_by()
        .aggregate(
            new_today=Count("pk", filter=Q(created_at__gte=start)),
            reported=Count("pk", filter=Q(status=TicketStatus.REPORTED)),
            overdue=Count("pk", filter=overdue_q(now)),
            **levels,
        )
    )
    row["by_level"] = [
        {"value": lv.value, "label": lv.label, "n": row[f"overdue_{lv.value}"]} for lv in Supervision
    ]
    row["today"] = today
    return row


def unpatrolled_grids(grids: Any, week: date) -> int:
    """Grids without a patrol started in the week (as the coverage page's 本周未巡查 list)."""
    start, end = week_bounds(week)
    patrolled = Patrol.objects.filter(grid=OuterRef("pk"), started_at__gte=start, started_at__lt=end)
    return grids.exclude(Exists(patrolled)).count()


def office_home(user: User, now: datetime) -> dict[str, Any]:
    """The 创卫办's day (leaders' and inspectors' too, read-only): campaign, evidence, tickets, patrols."""
    today = timezone.localdate(now)
    week = current_week_start(now)
    return {
        "campaign": campaign_block(user, today),
        "evidence_pending": Evidence.objects.visible_to(user).pending().count(),
        "tickets": city_tickets(user, now),
        "unpatrolled": unpatrolled_grids(Region.objects.visible_to(user).grids(), week),
        "week_label": iso_week_label(week),
        "tasks_due": Task.objects.visible_to(user).due_within(today, TASK_DAYS).count(),
        "task_days": TASK_DAYS,
    }


def districts_behind(user: User, now: datetime) -> list[dict[str, Any]]:
    """The districts with the most overdue tickets (top BEHIND), remembered for a minute."""
    return _remember("districts", user, now, lambda: _districts_behind(user, now))


def _districts_behind(user: User, now: datetime) -> list[dict[str, Any]]:
    """One grouped query, one name lookup."""
    width = Level.DISTRICT.depth * Region.steplen
    rows = (
        Ticket.objects.visible_to(user)
        .filter(overdue_q(now))
        .annotate(district_path=Substr("region__path", 1, width))
        .order_by()
        .values("district_path")
        .annotate(n=Count("pk"))
    )
    counts = {row["district_path"]: row["n"] for row in rows}
    districts = Region.objects.visible_to(user).filter(level=Level.DISTRICT, path__in=list(counts))
    ranked = [{"region": d, "n": counts[d.path]} for d in districts]
    return sorted(ranked, key=lambda row: (-row["n"], row["region"].name))[:BEHIND]


def units_behind(user: User, now: datetime) -> list[dict[str, Any]]:
    """The units with the most overdue tickets, then the lowest on-time rate over KPI_WINDOW (top BEHIND),
    remembered for a minute."""
    return _remember("units", user, now, lambda: _units_behind(user, now))


def _units_behind(user: User, now: datetime) -> list[dict[str, Any]]:
    units = {u.pk: u for u in Unit.objects.visible_to(user).active().only("pk", "name", "short_name")}
    kpis = unit_kpis(units=list(units.values()), since=now - KPI_WINDOW, now=now)
    rows = [
        {"unit": units[pk], "overdue": k.overdue, "rate": k.on_time_rate, "closed": k.closed}
        for pk, k in kpis.items()
        if k.overdue or (k.on_time_rate is not None and k.on_time_rate < 1)
    ]
    rows.sort(key=lambda r: (-r["overdue"], 2 if r["rate"] is None else r["rate"], r["unit"].name))
    return rows[:BEHIND]


def leader_home(user: User, now: datetime) -> dict[str, Any]:
    """The office's numbers read-only, plus who is furthest behind."""
    return {
        **office_home(user, now),
        "districts": districts_behind(user, now),
        "units": units_behind(user, now),
        "kpi_days": KPI_WINDOW.days,
    }


def unit_home(user: User, now: datetime) -> dict[str, Any]:
    """A unit's day: tickets to sign, due soon and overdue; tasks due and their gaps; returned evidence."""
    unit = user.unit
    if unit is None:
        return {}
    today = timezone.localdate(now)
    until = add_work_time(now, DUE_HOURS * 60)
    held = (
        Ticket.objects.visible_to(user)
        .filter(clock_running_q())  # every count below is of tickets the unit holds
        .order_by()
    )
    tickets = _remember(
        "unit",
        user,
        now,
        lambda: held.aggregate(
            to_sign=Count("pk", filter=Q(status=TicketStatus.DISPATCHED)),
            due_soon=Count("pk", filter=clock_running_q() & Q(deadline__gte=now, deadline__lt=until)),
            overdue=Count("pk", filter=overdue_q(now)),
        ),
    )
    due = list(Task.objects.visible_to(user).due_within(today, TASK_DAYS).select_related("campaign"))
    progress = progress_of(due)
    return {
        "unit": unit,
        "tickets": tickets,
        "due_hours": DUE_HOURS,
        "tasks_due": len(due),
        "slots_missing": sum(len(p.missing) for p in progress.values()),
        "task_days": TASK_DAYS,
        "returned": Task.objects.visible_to(user).with_returned_evidence().count(),
        "kpi": _remember(
            "unit-kpi", user, now, lambda: unit_kpis(units=[unit], since=now - KPI_WINDOW, now=now)[unit.pk]
        ),
        "kpi_days": KPI_WINDOW.days,
    }


def territory_home(user: User, now: datetime) -> dict[str, Any]:
    """A 街道/社区's day: open and overdue tickets, this week's patrol coverage, grids without a worker."""
    root = user.scope_region
    if root is None:
        return {}
    inside = Ticket.objects.visible_to(user).filter(region__path__startswith=root.path).order_by()
    tickets = _remember(
        "territory",
        user,
        now,
        lambda: inside.aggregate(
            open=Count("pk", filter=~Q(status__in=FINISHED)),
            overdue=Count("pk", filter=overdue_q(now)),
        ),
    )
    grids = Region.objects.visible_to(user).subtree_of(root).grids()
    week = current_week_start(now)
    assigned = Exists(GridAssignment.objects.filter(grid=OuterRef("pk")))
    return {
        "root": root,
        "tickets": tickets,
        "coverage": totals(coverage(grids, week)),
        "week_label": iso_week_label(week),
        "unstaffed": grids.exclude(assigned).count(),
    }


def grid_worker_home(user: User, now: datetime) -> dict[str, Any]:
    """A grid worker's week: patrol progress in their grids, re-checks waiting, their open reports."""
    return worker_week(user, now)
