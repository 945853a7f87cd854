"""The demo campaign's work so far, through the real services: task deadlines spread around today (some
met, some overdue, some due within a week, the rest later) and evidence in every review state, uploaded by
each lead unit's own staff and reviewed by the office on working time.

The services stamp upload and review times with the wall clock; `_stamp` gives those rows the story's working
moments right after each call, from the same demo clock the tickets use (apps/calendars/demo_clock.py).
"""

from __future__ import annotations

import io
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from apps.accounts.models import Role, User
from apps.calendars.demo_clock import DemoClock
from apps.checklists.models import Campaign, Evidence, Requirement, Task
from apps.checklists.services import evidence_review, evidence_upload, task_update

SEED = 20261207
RETURN_COMMENTS = (
    "材料缺少盖章页，请补充盖章扫描件后重新上传",
    "会议纪要未体现研究爱国卫生工作的内容，请补充",
    "台账只有一个月的记录，请上传全年台账",
    "照片未标注拍摄时间和地点，请重新整理",
)


@dataclass(frozen=True)
class Phase:
    """Where a task stands: its deadline relative to today and how much of its evidence is in and reviewed."""

    name: str
    days: tuple[int, int]  # deadline = today + a number of days in this range
    uploaded: float  # share of the task's slots with evidence
    reviewed: float  # share of the uploaded pieces the office has reviewed
    returned: float  # share of the reviewed pieces sent back with a comment


# Met: everything in and approved before the deadline (a returned piece was replaced and approved).
# Overdue: the deadline passed with gaps and returned pieces. Due soon: most in, much still awaiting review.
PHASES = (
    Phase("met", (-60, -15), 1.0, 1.0, 0.0),
    Phase("overdue", (-30, -3), 0.6, 0.7, 0.4),
    Phase("due_soon", (1, 7), 0.8, 0.3, 0.2),
    Phase("later", (30, 150), 0.3, 0.5, 0.2),
)


def build_demo_evidence(*, campaign: Campaign, office: User, now: datetime | None = None) -> int:
    """Spread the task deadlines, then upload and review their evidence; returns the pieces stored."""
    rng = random.Random(SEED)  # noqa: S311 - repeatable demo data, not secrets
    clock = DemoClock(now)
    today = timezone.localdate(clock.end)
    tasks = list(campaign.tasks.select_related("item", "lead_unit", "campaign").order_by("item__order", "pk"))
    staff = _staff({task.lead_unit_id for task in tasks})
    stored = 0
    for index, task in enumerate(tasks):
        phase = PHASES[index % len(PHASES)] if index < 3 * len(PHASES) else PHASES[-1]
        deadline = _clamped(campaign, today + timedelta(days=rng.randint(*phase.days)))
        task = task_update(task=task, actor=office, data={"deadline": deadline})
        uploader = staff.get(task.lead_unit_id)
        if uploader is not None:
            stored += _evidence(rng, clock, task, phase, uploader, office)
    return stored


def _staff(unit_ids: set[int]) -> dict[int, User]:
    """One staff account per lead unit: who uploads for it."""
    staff: dict[int, User] = {}
    for user in User.objects.filter(
        role_grants__role=Role.UNIT, unit_id__in=unit_ids, is_active=True
    ).order_by("pk"):
        staff.setdefault(user.unit_id, user)  # type: ignore[arg-type]
    return staff


def _clamped(campaign: Campaign, deadline: date) -> date:
    """Inside the campaign, as the services require."""
    return min(max(deadline, campaign.starts_on), campaign.inspection_on)


def _slots(task: Task, *, all_years: bool, today: date) -> list[tuple[Requirement, int | None]]:
    """The task's requirement × year slots; per-year ones up to this year unless the task is complete."""
    years: list[int | None] = [y for y in task.campaign.years if all_years or y <= today.year]
    return [
        (requirement, year)
        for requirement in task.item.requirements.order_by("order")
        for year in (years if requirement.per_year else [None])
    ]


def _evidence(
    rng: random.Random, clock: DemoClock, task: Task, phase: Phase, uploader: User, office: User
) -> int:
    """Upload the phase's share of slots before the deadline (or now), then review its share of them."""
    today = timezone.localdate(clock.end)
    complete = phase.name == "met"
    slots = _slots(task, all_years=complete, today=today)
    slots = slots[: max(1, round(len(slots) * phase.uploaded))]
    # Uploads happen in the month before the deadline (or before today, for deadlines still ahead), at least a
    # working day before the story's end so each review can follow its upload.
    # A met task was complete a few days before its deadline.
    last_day = min(task.deadline - timedelta(days=5 if complete else 0), today)
    closing = timezone.make_aware(datetime.combine(last_day, time(23, 59)))
    uploads = DemoClock(min(closing, clock.back(clock.day_minutes())))
    stored = 0
    for requirement, year in slots:
        at = uploads.within(rng, 20)
        [piece] = evidence_upload(
            task=task,
            requirement=requirement,
            year=year,
            files=[_file(rng, requirement, year)],
            actor=uploader,
        )
        _stamp([piece], uploaded_at=at)
        stored += 1
        if rng.random() >= phase.reviewed:
            continue
        reviewed = clock.after(at, rng.randint(60, 3 * clock.day_minutes()))
        if complete and rng.random() < 0.25:
            # Sent back once, replaced the next day, then approved: the binder shows the approved copy.
            _review(piece, office, approve=False, comment=rng.choice(RETURN_COMMENTS), at=reviewed)
            again = clock.after(reviewed, clock.day_minutes())
            [piece] = evidence_upload(
                task=task,
                requirement=requirement,
                year=year,
                files=[_file(rng, requirement, year)],
                actor=uploader,
            )
            _stamp([piece], uploaded_at=again)
            stored += 1
            reviewed = clock.after(again, rng.randint(60, clock.day_minutes()))
        returned = not complete and rng.random() < phase.returned
        _review(
            piece,
            office,
            approve=not returned,
            comment=rng.choice(RETURN_COMMENTS) if returned else "",
            at=reviewed,
        )
    return stored


def _review(piece: Evidence, office: User, *, approve: bool, comment: str, at: datetime) -> None:
    """The office's decision through the service, stamped with the story's moment."""
    evidence_review(evidence=piece, actor=office, approve=approve, comment=comment)
    _stamp([piece], reviewed_at=at)


def _stamp(pieces: Sequence[Evidence], **moments: datetime) -> None:
    """Replace the wall-clock times the services wrote with the story's working moments."""
    Evidence.objects.filter(pk__in=[p.pk for p in pieces]).update(**moments)


def _file(rng: random.Random, requirement: Requirement, year: int | None) -> SimpleUploadedFile:
    """A one-page PDF (a photo for 现场照片) standing in for the scanned document."""
    shade = rng.randint(200, 250)
    page = Image.new(
        "RGB", (120, 170) if "照片" not in requirement.name else (160, 120), (shade, shade, shade)
    )
    out = io.BytesIO()
    suffix = f"（{year}年）" if year else ""
    if "照片" in requirement.name:
        page.save(out, format="JPEG", quality=70)
        return SimpleUploadedFile(f"{requirement.name}{suffix}.jpg", out.getvalue(), "image/jpeg")
    page.save(out, format="PDF")
    return SimpleUploadedFile(f"{requirement.name}{suffix}.pdf", out.getvalue(), "application/pdf")
