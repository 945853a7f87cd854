"""Read models for the campaign pages: the standard tree with status lights, and readiness (迎检准备度).

Everything here is computed from tasks and evidence, never typed in. Other apps add their own reasons an item
is at risk (an indicator not attained, open tickets) through `register_risk_source`, so this app imports none
of them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import models
from django.db.models import Prefetch

from apps.accounts.models import User
from apps.checklists.choices import TaskStatus
from apps.checklists.models import Campaign, Category, Item, Task
from apps.checklists.progress import TaskProgress, TaskRow, task_rows
from apps.checklists.querysets import sees_all_tasks

MAX_NAMED = 3

RiskSource = Callable[[Campaign, list[Item]], dict[int, list[str]]]
_risk_sources: list[RiskSource] = []


def register_risk_source(source: RiskSource) -> RiskSource:
    """Add a function that returns extra reasons per item id (used by the indicators and tickets apps)."""
    if source not in _risk_sources:
        _risk_sources.append(source)
    return source


# The one definition of 有风险, shown wherever it is counted: the light, the readiness page, the homes.
RISK_RULE = "已分解、但任务超期、被判定未达标、材料被退回，或关联指标/工单有问题的条款"


class Light(models.TextChoices):
    GREEN = "green", "已达标"
    YELLOW = "yellow", "推进中"
    RED = "red", "有风险"
    GREY = "grey", "未分解"


@dataclass
class ItemRow:
    """One item of the tree: its visible tasks with their progress, light, reasons and slot totals."""

    item: Item
    tasks: list[TaskRow]
    light: Light
    reasons: list[str]
    required: int = 0
    approved: int = 0

    @property
    def percent(self) -> int:
        """Share of required evidence slots approved, over the item's tasks."""
        return round(100 * self.approved / self.required) if self.required else 0


@dataclass
class CategoryBlock:
    """A category with its item rows and light counts."""

    category: Category
    rows: list[ItemRow] = field(default_factory=list)

    @property
    def lights(self) -> Counter[str]:
        """How many items show each light."""
        return Counter(row.light for row in self.rows)


def count_lights(blocks: Iterable[CategoryBlock]) -> Counter[str]:
    """How many items show each light over all blocks."""
    total: Counter[str] = Counter()
    for block in blocks:
        total.update(block.lights)
    return total


def _named(labels: list[str]) -> str:
    """A few names and a count of the rest: 「会议记录（2025年）、工作方案 等5项」."""
    shown = "、".join(labels[:MAX_NAMED])
    return f"{shown} 等{len(labels)}项" if len(labels) > MAX_NAMED else shown


def task_reasons(task: Task, progress: TaskProgress, today: date) -> list[str]:
    """Why a task puts its item at risk: overdue, judged 未达标, evidence returned or missing."""
    unit = task.lead_unit.short_name or task.lead_unit.name
    reasons = []
    if task.status == TaskStatus.FAILED:
        reasons.append(f"{unit}：被判定未达标（{task.failure_reason}）")
    if task.is_overdue(today):
        reasons.append(f"{unit}：已超过完成时限 {task.deadline:%Y-%m-%d}")
    if progress.returned:
        reasons.append(f"{unit}：材料被退回待重交 {_named(progress.returned)}")
    if progress.missing:
        reasons.append(f"{unit}：缺少材料 {_named(progress.missing)}")
    return reasons


def _light(tasks: list[TaskRow], today: date, extra: list[str]) -> Light:
    """Grey without tasks; red if overdue, failed, returned or flagged by another app; green when all done."""
    if not tasks:
        return Light.GREY
    if extra or any(
        r.task.status == TaskStatus.FAILED or r.task.is_overdue(today) or r.progress.returned for r in tasks
    ):
        return Light.RED
    return Light.GREEN if all(r.task.status == TaskStatus.DONE for r in tasks) else Light.YELLOW


def _visible_tasks(campaign: Campaign, user: User) -> list[Task]:
    """The user's visible tasks of the campaign with what the rows show, in one query plus prefetches."""
    return list(
        Task.objects.visible_to(user)
        .filter(campaign=campaign)
        .select_related("lead_unit", "campaign")
        .prefetch_related("supporting_units")
        .order_by("item__order", "lead_unit__name")
    )


def campaign_tree(campaign: Campaign, user: User, *, today: date) -> list[CategoryBlock]:
    """The campaign's standard as category blocks of item rows; units see only the items they work on."""
    by_item: dict[int, list[TaskRow]] = defaultdict(list)
    for row in task_rows(_visible_tasks(campaign, user)):
        by_item[row.task.item_id].append(row)
    categories = campaign.standard.categories.prefetch_related(
        Prefetch("items", queryset=Item.objects.order_by("order"))
    )
    items = [item for category in categories for item in category.items.all()]
    extra = _extra_reasons(campaign, items)
    show_all = sees_all_tasks(user)
    blocks = []
    for category in categories:
        block = CategoryBlock(category=category)
        for item in category.items.all():
            if show_all or by_item[item.pk]:
                block.rows.append(_row(item, by_item[item.pk], today, extra.get(item.pk, [])))
        if block.rows:
            blocks.append(block)
    return blocks


def _row(item: Item, tasks: list[TaskRow], today: date, extra: list[str]) -> ItemRow:
    """Build one item row from its tasks and their progress."""
    reasons = [] if tasks else ["未分解到责任单位"]
    for row in tasks:
        reasons += task_reasons(row.task, row.progress, today)
    return ItemRow(
        item=item,
        tasks=tasks,
        light=_light(tasks, today, extra),
        reasons=reasons + extra,
        required=sum(r.progress.required for r in tasks),
        approved=sum(r.progress.approved for r in tasks),
    )


def _extra_reasons(campaign: Campaign, items: list[Item]) -> dict[int, list[str]]:
    """Reasons other apps report, merged per item id."""
    merged: dict[int, list[str]] = defaultdict(list)
    for source in _risk_sources:
        for item_id, reasons in source(campaign, items).items():
            merged[item_id] += reasons
    return merged


def filter_rows(
    blocks: Iterable[CategoryBlock],
    *,
    category: int | None = None,
    unit: int | None = None,
    status: str = "",
    light: str = "",
) -> list[CategoryBlock]:
    """Narrow the tree by category, a unit (leading or supporting), a task status or a light."""

    def keep(row: ItemRow) -> bool:
        tasks = [r.task for r in row.tasks]
        if unit and not any(
            t.lead_unit_id == unit or any(u.pk == unit for u in t.supporting_units.all()) for t in tasks
        ):
            return False
        if status and not any(t.status == status for t in tasks):
            return False
        return not light or row.light == light

    result = []
    for block in blocks:
        if category and block.category.pk != category:
            continue
        rows = [row for row in block.rows if keep(row)]
        if rows:
            result.append(CategoryBlock(category=block.category, rows=rows))
    return result


@dataclass
class UnitReadiness:
    """One lead unit's standing: tasks, done, overdue, missing and returned slots."""

    name: str
    tasks: int = 0
    done: int = 0
    overdue: int = 0
    missing: int = 0
    returned: int = 0


@dataclass
class Readiness:
    """The readiness view: items at risk (red), the others not ready yet, counts per category and unit."""

    at_risk: list[tuple[Category, ItemRow]]
    not_ready: list[tuple[Category, ItemRow]]
    categories: list[CategoryBlock]
    units: list[UnitReadiness]
    lights: Counter[str]


def campaign_readiness(campaign: Campaign, user: User, *, today: date) -> Readiness:
    """Items at risk (red, see RISK_RULE), the ones not ready yet, and per-category and per-unit counts."""
    blocks = campaign_tree(campaign, user, today=today)
    # 有风险 is the red light and nothing else, so the cards and the list can never disagree.
    at_risk = [(b.category, row) for b in blocks for row in b.rows if row.light == Light.RED]
    order = {Light.GREY: 0, Light.YELLOW: 1, Light.GREEN: 2}
    not_ready = [
        (b.category, row) for b in blocks for row in b.rows if row.light != Light.RED and row.reasons
    ]
    not_ready.sort(key=lambda pair: (order[pair[1].light], pair[1].item.order))
    units: dict[int, UnitReadiness] = {}
    for block in blocks:
        for row in block.rows:
            for task_row in row.tasks:
                task = task_row.task
                entry = units.setdefault(task.lead_unit_id, UnitReadiness(name=task.lead_unit.name))
                entry.tasks += 1
                entry.done += task.status == TaskStatus.DONE
                entry.overdue += task.is_overdue(today)
                entry.missing += len(task_row.progress.missing)
                entry.returned += len(task_row.progress.returned)
    ranked = sorted(units.values(), key=lambda u: (-u.overdue, -(u.missing + u.returned), u.name))
    return Readiness(
        at_risk=at_risk, not_ready=not_ready, categories=blocks, units=ranked, lights=count_lights(blocks)
    )
