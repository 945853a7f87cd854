"""A fortnight of demo patrols for the demo city, written in bulk: most grids walked most working days, some
points skipped, a few grids left out, and a handful of findings filed through the real service."""

from __future__ import annotations

import io
import random
import uuid
from collections import Counter
from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from apps.calendars.demo_clock import DemoClock
from apps.calendars.worktime import add_work_time, is_workday
from apps.patrols.models import CheckItem, CheckResult, Outcome, Patrol, PatrolCheck, PatrolVisit
from apps.patrols.services import PhotoUpload, finding_submit
from apps.patrols.templates_for import items_for_point
from apps.regions.models import GridAssignment, Point
from apps.tickets.demo import settle_demo_tickets

DAYS = 14
SEED = 20261130


@transaction.atomic
def build_demo_patrols(*, days: int = DAYS, findings: int = 24, now: datetime | None = None) -> Counter[str]:
    """Patrols, visits and results over the last `days` days; returns counts by kind of row written."""
    # Findings and their tickets happen on working time, like the tickets of apps/tickets/demo.
    clock = DemoClock(now)
    now = now or timezone.now()
    rng = random.Random(SEED)  # noqa: S311 - repeatable demo data, not secrets
    workers: dict[int, int] = {}
    for assignment in GridAssignment.objects.order_by("grid_id", "pk"):
        workers.setdefault(assignment.grid_id, assignment.worker_id)
    points: dict[int, list[Point]] = {}
    for point in Point.objects.active().filter(grid_id__in=workers).order_by("pk"):
        points.setdefault(point.grid_id, []).append(point)
    items = {kind: items_for_point(sample[0]) for kind, sample in _one_point_per_type(points).items()}
    skipped = set(rng.sample(sorted(workers), k=max(1, len(workers) // 12)))  # grids nobody walked
    walks: list[tuple[Patrol, list[Point]]] = []
    today = timezone.localdate(now)
    for offset in range(days, -1, -1):
        day = today - timedelta(days=offset)
        if not is_workday(day):
            continue
        morning = timezone.make_aware(datetime.combine(day, time(8, 30)))
        for grid_id, worker_id in workers.items():
            start = add_work_time(morning, rng.randint(1, 300))  # working time, so never in the lunch break
            if grid_id in skipped or rng.random() < 0.2 or start > now:
                continue
            patrol = Patrol(
                uuid=uuid.uuid4(),
                worker_id=worker_id,
                grid_id=grid_id,
                started_at=start,
                client_started_at=start,
                ended_at=start + timedelta(minutes=rng.randint(40, 120)),
            )
            walks.append((patrol, [p for p in points.get(grid_id, []) if rng.random() < 0.85]))
    # Bulk writes: one service call per row would take a minute for the whole city.
    Patrol.objects.bulk_create([patrol for patrol, _ in walks], batch_size=500)
    visits = PatrolVisit.objects.bulk_create(
        [
            PatrolVisit(patrol=patrol, point=point, visited_at=patrol.started_at + timedelta(minutes=8 * i))
            for patrol, walked in walks
            for i, point in enumerate(walked)
        ],
        batch_size=1000,
    )
    checks = PatrolCheck.objects.bulk_create(
        [
            PatrolCheck(visit=visit, item=item, result=_result(rng))
            for visit in visits
            for item in items.get(visit.point.type, [])
        ],
        batch_size=2000,
    )
    counts: Counter[str] = Counter(patrols=len(walks), visits=len(visits), checks=len(checks))
    tickets: list[int] = []
    counts.update(_findings(rng, workers, points, items, findings, clock, tickets))
    counts["waiting_recheck"] = _fixed_and_waiting_for_recheck(rng, items, clock, tickets)
    settle_demo_tickets(tickets, clock)
    return counts


def _one_point_per_type(points: dict[int, list[Point]]) -> dict[str, list[Point]]:
    """One sample point for each point type present, to look its check items up once per type."""
    by_type: dict[str, list[Point]] = {}
    for grid_points in points.values():
        for point in grid_points:
            by_type.setdefault(point.type, [point])
    return by_type


def _result(rng: random.Random) -> str:
    """Mostly 合格, sometimes 有问题 or 不涉及."""
    roll = rng.random()
    return (
        CheckResult.PROBLEM if roll < 0.05 else CheckResult.NOT_APPLICABLE if roll < 0.1 else CheckResult.OK
    )


def _findings(
    rng: random.Random,
    workers: dict[int, int],
    points: dict[int, list[Point]],
    items: dict[str, list[CheckItem]],
    count: int,
    clock: DemoClock,
    tickets: list[int],
) -> Counter[str]:
    """Findings filed through the service (photos re-encoded, reported ones opening tickets)."""
    from apps.accounts.models import User

    counts: Counter[str] = Counter()
    grids = [grid for grid in sorted(workers) if points.get(grid)]
    users = User.objects.in_bulk(list(workers.values()))
    for number in range(count):
        grid_id = rng.choice(grids)
        point = rng.choice(points[grid_id])
        choices = items.get(point.type) or []
        if not choices:
            continue
        item = rng.choice(choices)
        fixed = number % 3 == 0
        finding, _ = finding_submit(
            worker=users[workers[grid_id]],
            uuid=uuid.uuid4(),
            point=point,
            category=item.category,
            check_item=item,
            outcome=Outcome.FIXED if fixed else Outcome.REPORTED,
            photos=[_photo(rng, "problem")],
            after_photos=[_photo(rng, "fixed")] if fixed else [],
            now=clock.within(rng, 5),
        )
        counts["findings"] += 1
        counts["tickets"] += finding.ticket_id is not None
        if finding.ticket_id is not None:
            tickets.append(finding.ticket_id)
    return counts


def _fixed_and_waiting_for_recheck(
    rng: random.Random, items: dict[str, list[CheckItem]], clock: DemoClock, tickets: list[int]
) -> int:
    """A report by the demo login `grid` that its unit has fixed, so 核查 on the phone has something to do."""
    from apps.accounts.models import Role, User
    from apps.tickets.services import ticket_accept, ticket_submit

    worker = User.objects.filter(username="grid").first()
    assignment = GridAssignment.objects.filter(worker=worker).select_related("grid").first()
    point = Point.objects.active().filter(grid=assignment.grid).order_by("pk").first() if assignment else None
    choices = items.get(point.type) if point else None
    if worker is None or point is None or not choices:
        return 0
    reported = clock.back(240)
    finding, _ = finding_submit(
        worker=worker,
        uuid=uuid.uuid4(),
        point=point,
        category=choices[0].category,
        check_item=choices[0],
        outcome=Outcome.REPORTED,
        photos=[_photo(rng, "problem")],
        now=reported,
    )
    ticket = finding.ticket
    if ticket is not None:
        tickets.append(ticket.pk)
    staff = (
        User.objects.filter(unit=ticket.responsible_unit, role_grants__role=Role.UNIT).first()
        if ticket
        else None
    )
    if ticket is None or staff is None:
        return 0
    accepted = clock.after(reported, 45)
    ticket = ticket_accept(ticket=ticket, actor=staff, now=accepted)
    ticket_submit(
        ticket=ticket,
        actor=staff,
        comment="已整改",
        photos=[_photo(rng, "fixed").file],
        now=clock.after(accepted, 90),
    )
    return 1


def _photo(rng: random.Random, name: str) -> PhotoUpload:
    """A small generated JPEG standing in for a phone photo."""
    colour = (rng.randint(60, 200), rng.randint(60, 200), rng.randint(60, 200))
    out = io.BytesIO()
    Image.new("RGB", (480, 360), colour).save(out, format="JPEG", quality=80)
    return PhotoUpload(uuid.uuid4(), SimpleUploadedFile(f"{name}.jpg", out.getvalue(), "image/jpeg"))
