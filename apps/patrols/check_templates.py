"""The shipped check templates (fixtures/patrols/check_templates.json): read them, compare with the database.

check_templates_plan()  # every template and item of the file against the database (apps.core.sync)

Loading is apps/patrols/services/check_templates.py (check_templates_load_shipped).

Each item names its problem 小类 by code (load the categories first) and, where the 2021 standard is clearly
the source, a standard item by code: linked when NHC2021 is loaded, left empty otherwise. Nothing is ever
deleted or deactivated: findings point at the items, and a city may have added or switched off its own.
Existing templates and items are only compared by default, so a routine reload does not undo admin edits.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from apps.checklists.models import Item
from apps.core.sync import EMPTY, SyncRow, compare
from apps.patrols.models import CheckItem, CheckTemplate
from apps.regions.models import PointType
from apps.tickets.models import ProblemCategory

SHIPPED = Path(settings.BASE_DIR) / "fixtures" / "patrols" / "check_templates.json"
STANDARD = "NHC2021"
EVERY_POINT = "（全部点位）"


class Kind(StrEnum):
    """Whether a row is about a template or one of its items."""

    TEMPLATE = "模板"
    ITEM = "检查项"


@dataclass(frozen=True)
class ItemData:
    """One check item as the file describes it; `standard_item` is an item code or empty."""

    code: str
    text: str
    problem: str
    category: str
    standard_item: str
    deduction: str
    order: int


@dataclass(frozen=True)
class TemplateData:
    """One template as the file describes it; no point types means every point."""

    code: str
    name: str
    point_types: list[str]
    source: str
    order: int
    items: list[ItemData]


def read_check_templates(path: Path = SHIPPED) -> list[TemplateData]:
    """The file's templates with their items, numbered in file order; codes and point types are checked."""
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
        found = [_template(raw, order) for order, raw in enumerate(content["templates"], start=1)]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValidationError(f"巡查模板文件 {path.name} 无法读取：{exc!r}") from exc
    _check_codes(found, path)
    return found


def _template(raw: dict[str, Any], order: int) -> TemplateData:
    """One template entry; every key must be present (a missing one is a KeyError)."""
    point_types = raw["point_types"]
    if not isinstance(point_types, list):
        raise TypeError(f"{raw['code']}: point_types must be a list")
    return TemplateData(
        code=str(raw["code"]),
        name=str(raw["name"]),
        point_types=[str(value) for value in point_types],
        source=str(raw["source"]),
        order=order,
        items=[_item(item, n) for n, item in enumerate(raw["items"], start=1)],
    )


def _item(raw: dict[str, Any], order: int) -> ItemData:
    """One item entry; every key must be present."""
    return ItemData(
        code=str(raw["code"]),
        text=str(raw["text"]),
        problem=str(raw["problem"]),
        category=str(raw["category"]),
        standard_item=str(raw["standard_item"]),
        deduction=str(raw["deduction"]),
        order=order,
    )


def _check_codes(templates: list[TemplateData], path: Path) -> None:
    """Template codes are unique, item codes unique within their template, point types known."""
    problems = []
    seen: set[str] = set()
    for template in templates:
        if template.code in seen:
            problems.append(f"模板编码 {template.code} 重复")
        seen.add(template.code)
        unknown = [value for value in template.point_types if value not in PointType.values]
        if unknown:
            problems.append(f"模板 {template.code} 的点位类型 {'、'.join(unknown)} 不存在")
        items: set[str] = set()
        for item in template.items:
            if item.code in items:
                problems.append(f"模板 {template.code} 的检查项编码 {item.code} 重复")
            items.add(item.code)
    if problems:
        raise ValidationError(f"巡查模板文件 {path.name}：{'；'.join(problems)}")


def check_templates_plan(path: Path = SHIPPED) -> list[SyncRow]:
    """Each template of the file, followed by its items, against the database; writes nothing.

    An unknown category or a 大类 is refused (ValidationError naming the template and item).
    """
    categories = {c.code: c for c in ProblemCategory.objects.all()}
    standard_items = {i.code: i for i in Item.objects.filter(standard__code=STANDARD)}
    templates = {t.code: t for t in CheckTemplate.objects.all()}
    stored: dict[int, dict[str, CheckItem]] = defaultdict(dict)
    for item in CheckItem.objects.select_related("category", "standard_item"):
        stored[item.template_id][item.code] = item
    rows = []
    for data in read_check_templates(path):
        template = templates.get(data.code) or CheckTemplate(code=data.code)
        values: dict[str, Any] = {
            "name": data.name,
            "point_types": data.point_types,
            "order": data.order,
            "source": data.source,
        }
        rows.append(_compare(template, values, Kind.TEMPLATE, data.code, data.name, f"巡查模板 {data.code}"))
        existing = stored[template.pk] if template.pk else {}
        for entry in data.items:
            where = f"巡查模板 {data.code} 的检查项 {entry.code}"
            values = {
                "text": entry.text,
                "problem": entry.problem,
                "category": _category(categories, entry, where),
                "standard_item": _standard_item(standard_items, entry, where),
                "deduction": entry.deduction,
                "order": entry.order,
            }
            item = existing.get(entry.code) or CheckItem(template=template, code=entry.code)
            rows.append(_compare(item, values, Kind.ITEM, entry.code, entry.text, where))
    return rows


def _compare(
    obj: CheckTemplate | CheckItem, values: dict[str, Any], kind: Kind, code: str, name: str, where: str
) -> SyncRow:
    return compare(obj, values, kind=kind, key=code, label=name, origin=where, show=_shown, labels=LABELS)


def _category(categories: dict[str, ProblemCategory], data: ItemData, where: str) -> ProblemCategory:
    """The item's problem 小类; an unknown code or a 大类 is refused by name."""
    category = categories.get(data.category)
    if category is None:
        hint = "请先运行 load_problem_categories"
        raise ValidationError(f"{where}：问题类别 {data.category} 不存在（{hint}）。")
    if category.parent_id is None:
        raise ValidationError(f"{where}：问题类别 {data.category} 是大类，检查项须归入小类。")
    return category


def _standard_item(items: dict[str, Item], data: ItemData, where: str) -> Item | None:
    """The linked 2021 standard item; none while that standard is not loaded, an unknown code is refused."""
    if not data.standard_item or not items:
        return None
    if data.standard_item not in items:
        raise ValidationError(f"{where}：标准条款 {data.standard_item} 不在 {STANDARD} 中。")
    return items[data.standard_item]


LABELS = {
    "name": "名称",
    "point_types": "适用点位类型",
    "order": "顺序",
    "source": "出处",
    "text": "检查内容",
    "problem": "问题表述",
    "category": "问题类别",
    "standard_item": "对应标准条款",
    "deduction": "扣分参考",
}


def _shown(_field: models.Field, value: Any) -> str:
    """A field value for people: codes for categories and standard items, labels for point types."""
    if isinstance(value, ProblemCategory | Item):
        return value.code
    if isinstance(value, list):
        labels = dict(PointType.choices)
        return "、".join(str(labels.get(v, v)) for v in value) or EVERY_POINT
    return EMPTY if value is None or value == "" else str(value)
