"""How far each task's evidence has come: required slots (requirement × year) against what was uploaded.

Computed in bulk for a set of tasks with two queries, so lists and the readiness view stay flat in queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from apps.checklists.models import Evidence, EvidenceStatus, Requirement, Task, TaskStatus

Slot = tuple[int, int | None]  # (requirement id, year or None)


@dataclass
class TaskProgress:
    """Slot counts for one task; `missing` and `returned` name the requirements behind the gaps."""

    required: int = 0
    approved: int = 0
    pending: int = 0
    uploaded_any: bool = False
    missing: list[str] = field(default_factory=list)
    returned: list[str] = field(default_factory=list)

    @property
    def percent(self) -> int:
        """Share of required slots with approved evidence."""
        return round(100 * self.approved / self.required) if self.required else 0

    def status(self) -> TaskStatus:
        """The status the evidence implies (未达标 is the office's call and never implied)."""
        if self.required and self.approved == self.required:
            return TaskStatus.DONE
        if self.required and self.approved + self.pending == self.required:
            return TaskStatus.IN_REVIEW
        return TaskStatus.IN_PROGRESS if self.uploaded_any else TaskStatus.NOT_STARTED


@dataclass(frozen=True, slots=True)
class TaskRow:
    """A task as lists show it: the task with its evidence progress."""

    task: Task
    progress: TaskProgress


def slot_label(requirement: Requirement, year: int | None) -> str:
    """A requirement as shown to people: 「会议记录（2025年）」."""
    return f"{requirement.name}（{year}年）" if year else requirement.name


def progress_of(tasks: Iterable[Task]) -> dict[int, TaskProgress]:
    """Progress for each task, keyed by task id; tasks need `campaign` loaded (select_related)."""
    tasks = list(tasks)
    requirements: dict[int, list[Requirement]] = defaultdict(list)
    for requirement in Requirement.objects.filter(item__in={t.item_id for t in tasks}).order_by("order"):
        requirements[requirement.item_id].append(requirement)
    states: dict[int, dict[Slot, set[str]]] = defaultdict(lambda: defaultdict(set))
    rows = Evidence.objects.filter(task__in=[t.pk for t in tasks]).values_list(
        "task_id", "requirement_id", "year", "status"
    )
    for task_id, requirement_id, year, status in rows.distinct():
        states[task_id][(requirement_id, year)].add(status)
    return {t.pk: _progress(t, requirements[t.item_id], states[t.pk]) for t in tasks}


def task_rows(tasks: Iterable[Task]) -> list[TaskRow]:
    """Each task with its progress, in the given order (the same two queries as `progress_of`)."""
    tasks = list(tasks)
    progress = progress_of(tasks)
    return [TaskRow(task=task, progress=progress[task.pk]) for task in tasks]


def _progress(task: Task, requirements: list[Requirement], states: dict[Slot, set[str]]) -> TaskProgress:
    """Walk the task's required slots and classify each by the best evidence it has."""
    result = TaskProgress(uploaded_any=bool(states))
    for requirement in requirements:
        years: list[int | None] = list(task.campaign.years) if requirement.per_year else [None]
        for year in years:
            result.required += 1
            found = states.get((requirement.pk, year), set())
            if EvidenceStatus.APPROVED in found:
                result.approved += 1
            elif EvidenceStatus.PENDING in found:
                result.pending += 1
            elif EvidenceStatus.RETURNED in found:
                result.returned.append(slot_label(requirement, year))
            else:
                result.missing.append(slot_label(requirement, year))
    return result
