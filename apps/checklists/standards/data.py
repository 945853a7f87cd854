"""The neutral shape of a standard read from a file, the problems found while reading, and the JSON reader.

Both readers (shipped JSON, uploaded workbooks) produce a `ParsedStandard`; the plan compares it with the
database. Every piece remembers where it came from (`Origin`), so a problem can name the sheet and row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from apps.regions.models import UnitType

YES, NO = "是", "否"


@dataclass(frozen=True)
class Origin:
    """Where a value came from: a sheet (or file) and, for workbooks, the 1-based row."""

    sheet: str
    row: int | None = None

    def __str__(self) -> str:
        return f"「{self.sheet}」第{self.row}行" if self.row else f"「{self.sheet}」"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, in Chinese, with its place when known."""

    message: str
    origin: Origin | None = None

    def __str__(self) -> str:
        return f"{self.origin}：{self.message}" if self.origin else self.message


@dataclass
class RequirementData:
    """A 佐证材料 an item asks for."""

    name: str
    order: int
    description: str = ""
    per_year: bool = False
    origin: Origin | None = None


@dataclass
class CategoryData:
    """A 大类 defined by the file (a workbook may also just refer to one by code: see `ItemData`)."""

    code: str
    name: str
    order: int
    lead_unit_type: str = ""
    origin: Origin | None = None


@dataclass
class ItemData:
    """A 条款; `category_code` names a category of the file or, failing that, of the database."""

    code: str
    category_code: str
    order: int
    title: str
    text: str = ""
    text_verified: bool = False
    is_veto: bool = False
    lead_unit_type: str = ""
    source: str = ""
    requirements: list[RequirementData] = field(default_factory=list)
    origin: Origin | None = None


@dataclass
class StandardData:
    """A whole standard; `note` is None when the source has no place for it (workbooks), so it is kept."""

    code: str
    name: str
    document: str = ""
    issued_on: date | None = None
    note: str | None = None
    categories: list[CategoryData] = field(default_factory=list)
    items: list[ItemData] = field(default_factory=list)


@dataclass
class ParsedStandard:
    """What a reader made of its input: the standard (None when unreadable) and every problem found."""

    data: StandardData | None
    problems: list[Problem] = field(default_factory=list)


UNIT_TYPE_BY_LABEL = {label: value for value, label in UnitType.choices}
UNIT_TYPE_LABELS = "、".join(UnitType.labels)


def unit_type_of(text: str) -> str | None:
    """A unit type from its Chinese label (or its code); "" for blank, None when unknown."""
    text = text.strip()
    if not text:
        return ""
    if text in UNIT_TYPE_BY_LABEL:
        return UNIT_TYPE_BY_LABEL[text]
    return text if text in UnitType.values else None


def unit_type_label(value: str) -> str:
    """The Chinese label of a unit type code ("" for blank)."""
    return str(UnitType(value).label) if value else ""


def yes_no(value: Any) -> bool | None:
    """是/否 (or a real boolean cell) as a bool; blank means 否; None when it is neither."""
    if isinstance(value, bool):
        return value
    text = "" if value is None else str(value).strip()
    if text in {"", NO}:
        return False
    return True if text == YES else None


def parse_date(value: Any) -> date | None:
    """A date cell, or text like 2021-12-03, 2021/12/3 or 2021年12月3日; raises ValueError otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip().replace("年", "-").replace("月", "-").rstrip("日").replace("/", "-")
    year, month, day = (int(part) for part in text.split("-"))
    return date(year, month, day)


def read_json(path: Path) -> ParsedStandard:
    """Read a shipped standard (fixtures/standards/*.json) into the neutral shape."""
    origin = Origin(path.name)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return _from_json(raw, origin)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        return ParsedStandard(None, [Problem(f"文件格式不对：{exc!r}", origin)])


def _from_json(raw: dict[str, Any], origin: Origin) -> ParsedStandard:
    """Build the neutral shape from the JSON layout; items are numbered in file order."""
    problems: list[Problem] = []
    data = StandardData(
        code=raw["code"],
        name=raw["name"],
        document=raw.get("document", ""),
        issued_on=parse_date(raw.get("issued_on")),
        note=raw.get("note", ""),
    )
    seen_items: set[str] = set()
    for position, category in enumerate(raw["categories"], start=1):
        lead = _json_unit_type(category.get("lead_unit_type", ""), category["code"], origin, problems)
        data.categories.append(CategoryData(category["code"], category["name"], position, lead or "", origin))
        for item in category["items"]:
            if item["code"] in seen_items:
                problems.append(Problem(f"条款编码 {item['code']} 重复。", origin))
            seen_items.add(item["code"])
            data.items.append(_json_item(item, category["code"], len(data.items) + 1, origin, problems))
    return ParsedStandard(data, problems)


def _json_item(
    raw: dict[str, Any], category: str, order: int, origin: Origin, problems: list[Problem]
) -> ItemData:
    """One item and its requirements from the JSON layout."""
    requirements = [
        RequirementData(r["name"], n, r.get("description", ""), bool(r.get("per_year", False)), origin)
        for n, r in enumerate(raw.get("requirements", []), start=1)
    ]
    names = [r.name for r in requirements]
    if len(set(names)) != len(names):
        problems.append(Problem(f"条款 {raw['code']} 的材料名称重复。", origin))
    return ItemData(
        code=raw["code"],
        category_code=category,
        order=order,
        title=raw["title"],
        text=raw.get("text", ""),
        text_verified=bool(raw.get("text_verified", False)),
        is_veto=bool(raw.get("is_veto", False)),
        lead_unit_type=_json_unit_type(raw.get("lead_unit_type", ""), raw["code"], origin, problems) or "",
        source=raw.get("source", ""),
        requirements=requirements,
        origin=origin,
    )


def _json_unit_type(value: str, where: str, origin: Origin, problems: list[Problem]) -> str | None:
    """A unit type code from JSON, with a problem when unknown."""
    unit_type = unit_type_of(value or "")
    if unit_type is None:
        problems.append(
            Problem(f"{where} 的牵头单位类型「{value}」不认识，可选：{UNIT_TYPE_LABELS}。", origin)
        )
    return unit_type
