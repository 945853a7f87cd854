"""Compare a parsed standard with the database: the plan, row by row, with every problem; writes nothing.

Applying (apps/checklists/services/standards.py) plans again against the current database and saves the plan's
rows (apps.core.sync.apply), so what the preview promises is what the write does. Nothing is ever deleted:
rows in the database but not in the file are listed as kept, because items and requirements may already carry
tasks and evidence.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, cast

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from apps.checklists.models import Category, Item, Requirement, Standard
from apps.checklists.standards.data import Origin, ParsedStandard, Problem, StandardData
from apps.core.sync import IMPORTED, Action, SyncRow, compare
from apps.core.sync import summary as summary_of

KINDS = ("标准", "大类", "条款", "佐证材料")


@dataclass
class StandardPlan:
    """Every row with its action, and every problem; only a plan without problems can be applied."""

    data: StandardData | None
    rows: list[SyncRow] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    standard: Standard | None = None

    @property
    def is_valid(self) -> bool:
        """Readable and free of problems."""
        return self.data is not None and not self.errors

    @property
    def has_changes(self) -> bool:
        """Applying would create or change something."""
        return any(row.action in {Action.CREATE, Action.UPDATE} for row in self.rows)

    def counts(self) -> list[tuple[str, dict[str, int]]]:
        """Per kind (标准, 大类, 条款, 佐证材料), how many rows get each action."""
        tally = Counter((row.kind, row.action) for row in self.rows)
        return [(kind, {action.value: tally[kind, action] for action in IMPORTED}) for kind in KINDS]

    def groups(self) -> list[tuple[str, list[SyncRow]]]:
        """Rows grouped by action: 新增, 修改, 文件中没有（保留）, then 不变; empty groups left out."""
        order = (Action.CREATE, Action.UPDATE, Action.KEEP, Action.SAME)
        grouped = [(action.value, [row for row in self.rows if row.action == action]) for action in order]
        return [(action, rows) for action, rows in grouped if rows]

    def summary(self) -> str:
        """A one-line Chinese summary such as 「新增 45 条、修改 0 条、不变 3 条、保留 0 条」 (all kinds)."""
        return summary_of(self.rows, actions=IMPORTED, unit="条")


class _Plan:
    """Walks a parsed standard against the database, parents before the rows that point at them."""

    def __init__(self, data: StandardData, *, skip: set[Origin] | None = None) -> None:
        self.data = data
        # Rows the reader already complained about get no second message from the model's validation.
        self.skip = skip or set()
        self.plan = StandardPlan(data)

    def run(self) -> StandardPlan:
        """Plan the standard, its categories, items and requirements."""
        data = self.data
        standard = Standard.objects.filter(code=data.code).first() or Standard(code=data.code)
        values: dict[str, Any] = {"name": data.name, "document": data.document, "issued_on": data.issued_on}
        if data.note is not None:
            values["note"] = data.note
        self._compare("标准", standard, values, data.code, data.name, None, exclude=[])
        self.plan.standard = standard
        categories = self._categories(standard)
        items = self._items(standard, categories)
        self._requirements(standard, items)
        return self.plan

    def _categories(self, standard: Standard) -> dict[str, Category]:
        """The file's categories, then the ones only referred to by code, then those the file leaves out."""
        stored = {c.code: c for c in standard.categories.all()} if standard.pk else {}
        categories: dict[str, Category] = {}
        for c in self.data.categories:
            obj = stored.pop(c.code, None) or Category(standard=standard, code=c.code)
            values = {"name": c.name, "order": c.order, "lead_unit_type": c.lead_unit_type}
            self._compare("大类", obj, values, c.code, c.name, c.origin, exclude=["standard"])
            categories[c.code] = obj
        referred = {item.category_code for item in self.data.items} - set(categories)
        for code in sorted(referred & set(stored)):
            categories[code] = stored.pop(code)
            self._row("大类", code, categories[code].name, Action.SAME)
        for obj in stored.values():
            self._row("大类", obj.code, obj.name, Action.KEEP)
        return categories

    def _items(self, standard: Standard, categories: dict[str, Category]) -> dict[str, Item]:
        """Each item of the file in its category; an unknown category code is a problem."""
        stored = {i.code: i for i in standard.items.select_related("category")} if standard.pk else {}
        items: dict[str, Item] = {}
        for i in self.data.items:
            category = categories.get(i.category_code)
            if category is None:
                unknown = f"大类编码 {i.category_code} 未知：文件里没有定义这个大类，数据库里也没有，"
                self._fail(f"{unknown}请填写大类名称。", i.origin)
                continue
            obj = stored.pop(i.code, None) or Item(standard=standard, code=i.code)
            values = {
                "category": category,
                "order": i.order,
                "title": i.title,
                "text": i.text,
                "text_verified": i.text_verified,
                "is_veto": i.is_veto,
                "lead_unit_type": i.lead_unit_type,
                "source": i.source,
            }
            self._compare("条款", obj, values, i.code, i.title, i.origin, exclude=["standard", "category"])
            items[i.code] = obj
        for obj in stored.values():
            self._row("条款", obj.code, obj.title, Action.KEEP)
        return items

    def _requirements(self, standard: Standard, items: dict[str, Item]) -> None:
        """Requirements are known by item and name; a renamed one is new and the old one is kept."""
        stored: dict[tuple[str, str], Requirement] = {}
        if standard.pk:
            for req in Requirement.objects.filter(item__standard=standard).select_related("item"):
                stored[req.item.code, req.name] = req
        for i in self.data.items:
            if i.code not in items:
                continue
            for r in i.requirements:
                obj = stored.pop((i.code, r.name), None) or Requirement(item=items[i.code], name=r.name)
                values = {"order": r.order, "description": r.description, "per_year": r.per_year}
                self._compare(
                    "佐证材料", obj, values, f"{i.code} · {r.name}", r.name, r.origin, exclude=["item"]
                )
        for (code, name), obj in stored.items():
            self._row("佐证材料", f"{code} · {name}", obj.name, Action.KEEP)

    def _compare(
        self,
        kind: str,
        obj: models.Model,
        values: dict[str, Any],
        key: str,
        label: str,
        origin: Origin | None,
        *,
        exclude: list[str],
    ) -> None:
        """Compare one row with the database and validate what applying it would write."""
        row = compare(obj, values, kind=kind, key=key, label=label, origin=origin)
        for name, value in values.items():
            setattr(obj, name, value)
        try:
            obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            if origin is None or origin not in self.skip:
                for message in self._messages(obj, exc):
                    self._fail(f"{kind} {key}{message}", origin)
        self.plan.rows.append(row)

    @staticmethod
    def _messages(obj: models.Model, exc: ValidationError) -> list[str]:
        """Validation messages with their field's Chinese name."""
        out = []
        for name, messages in exc.message_dict.items():
            field_ = None if name == NON_FIELD_ERRORS else cast(models.Field, obj._meta.get_field(name))
            where = f" 的{field_.verbose_name}" if field_ else ""
            out += [f"{where}：{m}" for m in messages]
        return out

    def _fail(self, message: str, origin: Origin | None) -> None:
        self.plan.errors.append(Problem(message, origin))

    def _row(
        self, kind: str, key: str, label: str, action: Action, changes: Any = (), origin: Any = None
    ) -> None:
        self.plan.rows.append(SyncRow(kind, key, label, action, list(changes), origin))


def standard_plan(parsed: ParsedStandard) -> StandardPlan:
    """What importing the parsed standard would do, row by row, with every problem; writes nothing."""
    if parsed.data is None:
        return StandardPlan(None, errors=list(parsed.problems))
    skip = {p.origin for p in parsed.problems if p.origin is not None and p.origin.row}
    plan = _Plan(parsed.data, skip=skip).run()
    plan.errors[:0] = parsed.problems
    return plan


def standard_replan(data: StandardData) -> StandardPlan:
    """The standard's data planned again against the database as it is now (just before applying)."""
    return _Plan(data).run()
