"""Progress counts a task's required slots (requirement × year) against the best evidence each slot has."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import User
from apps.checklists.models import Evidence, Requirement, Task, TaskStatus
from apps.checklists.progress import TaskProgress, progress_of, slot_label
from apps.checklists.services import evidence_review, evidence_upload
from tests.checklists.conftest import Book
from tests.checklists.factories import ItemFactory, RequirementFactory, TaskFactory
from tests.checklists.files import pdf_bytes, upload
from tests.conftest import World


def put(task: Task, requirement: Requirement, actor: User, year: int | None = None) -> Evidence:
    """One real PDF uploaded through the service."""
    [evidence] = evidence_upload(
        task=task, requirement=requirement, year=year, files=[upload("材料.pdf", pdf_bytes())], actor=actor
    )
    return evidence


def test_task_without_evidence_is_not_started_with_every_slot_missing(
    book: Book, organisation_task: Task
) -> None:
    progress = progress_of([organisation_task])[organisation_task.pk]

    assert (progress.required, progress.approved, progress.pending) == (4, 0, 0)
    assert progress.uploaded_any is False
    assert progress.missing == ["工作方案", "会议记录（2025年）", "会议记录（2026年）", "会议记录（2027年）"]
    assert progress.returned == []
    assert progress.percent == 0
    assert progress.status() == TaskStatus.NOT_STARTED


def test_mixed_slots_are_counted_by_their_state(
    book: Book, organisation_task: Task, actors: dict[str, User]
) -> None:
    unit, office = actors["unit"], actors["office"]
    evidence_review(evidence=put(organisation_task, book.plan, unit), actor=office, approve=True)
    put(organisation_task, book.minutes, unit, 2025)
    evidence_review(
        evidence=put(organisation_task, book.minutes, unit, 2026),
        actor=office,
        approve=False,
        comment="缺签到表",
    )

    progress = progress_of([organisation_task])[organisation_task.pk]

    assert (progress.required, progress.approved, progress.pending) == (4, 1, 1)
    assert progress.returned == ["会议记录（2026年）"]
    assert progress.missing == ["会议记录（2027年）"]
    assert progress.uploaded_any is True
    assert progress.percent == 25
    assert progress.status() == TaskStatus.IN_PROGRESS


def test_slot_with_approved_and_returned_files_counts_as_approved(
    book: Book, actors: dict[str, User]
) -> None:
    office = actors["office"]
    evidence_review(evidence=put(book.task, book.ledger, actors["unit"]), actor=office, approve=True)
    evidence_review(
        evidence=put(book.task, book.ledger, actors["unit"]), actor=office, approve=False, comment="重复"
    )

    progress = progress_of([book.task])[book.task.pk]

    assert (progress.required, progress.approved, progress.pending) == (1, 1, 0)
    assert progress.returned == []
    assert progress.percent == 100
    assert progress.status() == TaskStatus.DONE


def test_slot_with_pending_and_returned_files_counts_as_pending(book: Book, actors: dict[str, User]) -> None:
    evidence_review(
        evidence=put(book.task, book.ledger, actors["unit"]),
        actor=actors["office"],
        approve=False,
        comment="模糊",
    )
    put(book.task, book.ledger, actors["unit"])

    progress = progress_of([book.task])[book.task.pk]

    assert (progress.approved, progress.pending, progress.returned) == (0, 1, [])
    assert progress.status() == TaskStatus.IN_REVIEW


def test_slot_with_only_returned_files_is_listed_as_returned(book: Book, actors: dict[str, User]) -> None:
    evidence_review(
        evidence=put(book.task, book.ledger, actors["unit"]),
        actor=actors["office"],
        approve=False,
        comment="模糊",
    )

    progress = progress_of([book.task])[book.task.pk]

    assert (progress.approved, progress.pending) == (0, 0)
    assert progress.returned == ["保洁台账"]
    assert progress.missing == []
    assert progress.status() == TaskStatus.IN_PROGRESS


def test_per_year_files_count_only_for_their_own_year(
    book: Book, organisation_task: Task, actors: dict[str, User]
) -> None:
    put(organisation_task, book.minutes, actors["unit"], 2026)
    put(organisation_task, book.minutes, actors["unit"], 2026)

    progress = progress_of([organisation_task])[organisation_task.pk]

    assert progress.pending == 1
    assert progress.missing == ["工作方案", "会议记录（2025年）", "会议记录（2027年）"]


def test_each_task_counts_only_its_own_evidence(
    book: Book, organisation_task: Task, actors: dict[str, User]
) -> None:
    put(book.task, book.ledger, actors["unit"])

    result = progress_of([book.task, organisation_task])

    assert set(result) == {book.task.pk, organisation_task.pk}
    assert result[book.task.pk].pending == 1
    assert result[organisation_task.pk].uploaded_any is False
    assert result[organisation_task.pk].pending == 0


def test_task_whose_item_asks_for_no_evidence_has_nothing_required(book: Book, world: World) -> None:
    bare = ItemFactory(category=book.c2, code="T-04", title="无材料要求的条款")
    task = TaskFactory(campaign=book.campaign, item=bare, lead_unit=world.unit_city)

    progress = progress_of([task])[task.pk]

    assert progress.required == 0
    assert progress.percent == 0
    assert progress.status() == TaskStatus.NOT_STARTED


def test_no_tasks_give_no_progress(db: Any) -> None:
    assert progress_of([]) == {}


@pytest.mark.parametrize(
    ("counts", "percent", "status"),
    [
        ({"required": 3, "approved": 1}, 33, TaskStatus.IN_PROGRESS),
        ({"required": 3, "approved": 2, "pending": 1}, 67, TaskStatus.IN_REVIEW),
        ({"required": 3, "approved": 3}, 100, TaskStatus.DONE),
        ({"required": 3, "pending": 3}, 0, TaskStatus.IN_REVIEW),
    ],
)
def test_percent_is_rounded_and_status_follows_the_counts(
    counts: dict[str, int], percent: int, status: TaskStatus
) -> None:
    progress = TaskProgress(uploaded_any=True, **counts)

    assert progress.percent == percent
    assert progress.status() == status


def test_slot_label_names_the_year_when_there_is_one(book: Book) -> None:
    assert slot_label(book.minutes, 2026) == "会议记录（2026年）"
    assert slot_label(book.plan, None) == "工作方案"


def _tasks_with_evidence(book: Book, world: World, unit: User, count: int, prefix: str) -> list[Task]:
    """`count` tasks on fresh items (two requirements each, one per year) with one upload each."""
    tasks = []
    for n in range(count):
        item = ItemFactory(category=book.c2, code=f"{prefix}-{n:02d}")
        once = RequirementFactory(item=item, name="台账")
        RequirementFactory(item=item, name="年度总结", per_year=True)
        task = TaskFactory(campaign=book.campaign, item=item, lead_unit=world.unit_city)
        put(task, once, unit)
        tasks.append(task)
    return list(Task.objects.filter(pk__in=[t.pk for t in tasks]).select_related("campaign"))


def test_query_count_does_not_grow_with_the_number_of_tasks(
    book: Book, world: World, actors: dict[str, User]
) -> None:
    one = _tasks_with_evidence(book, world, actors["unit"], 1, "A")
    ten = _tasks_with_evidence(book, world, actors["unit"], 10, "B")

    with CaptureQueriesContext(connection) as for_one:
        result_one = progress_of(one)
    with CaptureQueriesContext(connection) as for_ten:
        result_ten = progress_of(ten)

    assert len(for_one) == len(for_ten) == 2
    assert [p.required for p in result_one.values()] == [4]
    assert [(p.required, p.pending) for p in result_ten.values()] == [(4, 1)] * 10
