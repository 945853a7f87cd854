"""The shipped problem categories (fixtures/tickets/categories.json): read them and compare with the database.

problem_categories_plan()  # every category of the file against the database (apps.core.sync); writes nothing

Loading is apps/tickets/services/categories.py (problem_categories_load_shipped).

Nothing is ever deleted or deactivated: categories carry tickets and routing rules, and a city may have added
its own. Existing categories are only compared by default because the office edits time limits and unit types
in the admin, and a routine reload (every deploy) must not undo that.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

from apps.calendars.models import DeadlineUnit
from apps.core.sync import EMPTY, SyncRow, compare
from apps.regions.models import UnitType
from apps.tickets.models import ProblemCategory

SHIPPED = Path(settings.BASE_DIR) / "fixtures" / "tickets" / "categories.json"


@dataclass(frozen=True)
class CategoryData:
    """One category as the file describes it; `parent_code` is empty for a 大类."""

    code: str
    name: str
    order: int
    deadline_value: int | None
    deadline_unit: str
    default_unit_type: str
    parent_code: str = ""


def read_categories(path: Path = SHIPPED) -> list[CategoryData]:
    """The file's categories, each 大类 followed by its 小类, numbered in file order."""
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
        found: list[CategoryData] = []
        for order, parent in enumerate(content["categories"], start=1):
            found.append(_entry(parent, order, ""))
            found += [_entry(child, n, parent["code"]) for n, child in enumerate(parent["children"], start=1)]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValidationError(f"问题类别文件 {path.name} 无法读取：{exc!r}") from exc
    return found


def _entry(raw: dict[str, Any], order: int, parent_code: str) -> CategoryData:
    """One entry of the file; every key must be present (a missing one is a KeyError)."""
    value = raw["deadline_value"]
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise TypeError(f"{raw['code']}: deadline_value must be a whole number or null")
    return CategoryData(
        code=str(raw["code"]),
        name=str(raw["name"]),
        order=order,
        deadline_value=value,
        deadline_unit=str(raw["deadline_unit"]),
        default_unit_type=str(raw["default_unit_type"]),
        parent_code=parent_code,
    )


def problem_categories_plan(path: Path = SHIPPED) -> list[SyncRow]:
    """Each category of the file against the database, every 大类 before its 小类; writes nothing."""
    by_code = {c.code: c for c in ProblemCategory.objects.select_related("parent")}
    rows = []
    for data in read_categories(path):
        parent = by_code.get(data.parent_code) if data.parent_code else None
        category = by_code.get(data.code)
        if category is None:
            category = by_code[data.code] = ProblemCategory(code=data.code)
        values = {
            "parent": parent,
            "name": data.name,
            "order": data.order,
            "deadline_value": data.deadline_value,
            "deadline_unit": data.deadline_unit,
            "default_unit_type": data.default_unit_type,
        }
        changes = _differences(category, data, parent)
        where = f"问题类别 {data.code}"
        rows.append(compare(category, values, key=data.code, label=data.name, origin=where, changes=changes))
    return rows


def _differences(category: ProblemCategory, data: CategoryData, parent: ProblemCategory | None) -> list[str]:
    """The fields where the database differs from the file, as 「名称：旧 → 新」."""
    pairs = [
        ("大类", category.parent.code if category.parent else EMPTY, parent.code if parent else EMPTY),
        ("名称", category.name, data.name),
        ("顺序", str(category.order), str(data.order)),
        (
            "处置时限",
            _limit(category.deadline_value, category.deadline_unit),
            _limit(data.deadline_value, data.deadline_unit),
        ),
        ("默认责任单位类型", _unit_type(category.default_unit_type), _unit_type(data.default_unit_type)),
    ]
    return [f"{label}：{old} → {new}" for label, old, new in pairs if old != new]


def _limit(value: int | None, unit: str) -> str:
    if not value and not unit:
        return EMPTY
    label = DeadlineUnit(unit).label if unit in DeadlineUnit.values else unit
    return f"{value} {label}"


def _unit_type(value: str) -> str:
    if not value:
        return EMPTY
    return str(UnitType(value).label) if value in UnitType.values else value
