"""Compare a parsed standard with the database (the plan), then write it (apply); load the shipped standards.

Planning and applying walk the standard with the same code (`_Sync`), so what the preview promises is what
the write does. Nothing is ever deleted: rows in the database but not in the file are listed as kept, because
items and requirements may already carry tasks and evidence.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models, transaction

from apps.accounts.models import User
from apps.checklists.models import Category, Item, Requirement, Standard
from apps.checklists.permissions import can_manage_campaign
from apps.checklists.standards.data import NO, YES, Origin, ParsedStandard, Problem, StandardData, read_json

SHIPPED = ("nhc2021.json", "nhc2014.json")
OFFICE_ONLY = "只有创卫办可以导入标准。"


class Action(StrEnum):
    """What applying the file does to one row."""

    CREATE = "新增"
    UPDATE = "修改"
    SAME = "不变"
    KEEP = "文件中没有（保留）"


KINDS = ("标准", "大类", "条款", "佐证材料")


@dataclass
class PlanRow:
    """One standard, category, item or requirement and what happens to it; `changes` lists changed fields."""

    kind: str
    key: str
    label: str
    action: Action
    changes: list[str] = field(default_factory=list)
    origin: Origin | None = None


@dataclass
class StandardPlan:
    """Every row with its action, and every problem; only a plan without problems can be applied."""

    data: StandardData | None
    rows: list[PlanRow] = field(default_factory=list)
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
        return [(kind, {action.value: tally[kind, action] for action in Action}) for kind in KINDS]

    def groups(self) -> list[tuple[str, list[PlanRow]]]:
        """Rows grouped by action: 新增, 修改, 文件中没有（保留）, then 不变; empty groups left out."""
        order = (Action.CREATE, Action.UPDATE, Action.KEEP, Action.SAME)
        grouped = [(action.value, [row for row in self.rows if row.action == action]) for action in order]
        return [(action, rows) for action, rows in grouped if rows]

    def summary(self) -> str:
        """A one-line Chinese summary such as 「新增 45 条、修改 0 条、不变 3 条、保留 0 条」 (all kinds)."""
        tally = Counter(row.action for row in self.rows)
        return (
            f"新增 {tally[Action.CREATE]} 条、修改 {tally[Action.UPDATE]} 条、"
            f"不变 {tally[Action.SAME]} 条、文件中没有而保留 {tally[Action.KEEP]} 条"
        )


def _show(field_: models.Field, value: Any) -> str:
    """A value as the preview shows it: labels for choices, 是/否, codes for categories, short texts."""
    if isinstance(value, bool):
        return YES if value else NO
    if value is None or value == "":
        return "（空）"
    if isinstance(value, models.Model):
        return str(getattr(value, "code", value))
    if field_.choices:
        return str(dict(field_.flatchoices).get(value, value))
    text = str(value)
    return text if len(text) <= 30 else f"{text[:30]}…"


class _Sync:
    """Walks a parsed standard against the database; with `write` it also saves what differs."""

    def __init__(self, data: StandardData, *, write: bool, skip: set[Origin] | None = None) -> None:
        self.data = data
        self.write = write
        # Rows the reader already complained about get no second message from the model's validation.
        self.skip = skip or set()
        self.plan = StandardPlan(data)

    def run(self) -> StandardPlan:
        """Plan (and, when writing, save) the standard, its categories, items and requirements."""
        data = self.data
        standard = Standard.objects.filter(code=data.code).first() or Standard(code=data.code)
        values: dict[str, Any] = {"name": data.name, "document": data.document, "issued_on": data.issued_on}
        if data.note is not None:
            values["note"] = data.note
        self._sync("标准", standard, values, data.code, data.name, None, exclude=[])
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
            self._sync("大类", obj, values, c.code, c.name, c.origin, exclude=["standard"])
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
            self._sync("条款", obj, values, i.code, i.title, i.origin, exclude=["standard", "category"])
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
                self._sync(
                    "佐证材料", obj, values, f"{i.code} · {r.name}", r.name, r.origin, exclude=["item"]
                )
        for (code, name), obj in stored.items():
            self._row("佐证材料", f"{code} · {name}", obj.name, Action.KEEP)

    def _sync(
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
        """Compare, assign, validate and (when writing and needed) save one row."""
        is_new = obj._state.adding
        changes = [] if is_new else self._changes(obj, values)
        for name, value in values.items():
            setattr(obj, name, value)
        try:
            obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            if origin is None or origin not in self.skip:
                for message in self._messages(obj, exc):
                    self._fail(f"{kind} {key}{message}", origin)
        action = Action.CREATE if is_new else Action.UPDATE if changes else Action.SAME
        if self.write and action != Action.SAME and not self.plan.errors:
            obj.save()
        self._row(kind, key, label, action, changes, origin)

    def _changes(self, obj: models.Model, values: dict[str, Any]) -> list[str]:
        """「字段：旧 → 新」 for every field whose value differs."""
        changes = []
        for name, new in values.items():
            field_ = cast(models.Field, obj._meta.get_field(name))
            old = getattr(obj, name)
            same = old.pk == new.pk if isinstance(new, models.Model) and new.pk else old == new
            if not same:
                changes.append(f"{field_.verbose_name}：{_show(field_, old)} → {_show(field_, new)}")
        return changes

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
        self.plan.rows.append(PlanRow(kind, key, label, action, list(changes), origin))


def standard_plan(parsed: ParsedStandard) -> StandardPlan:
    """What importing the parsed standard would do, row by row, with every problem; writes nothing."""
    if parsed.data is None:
        return StandardPlan(None, errors=list(parsed.problems))
    skip = {p.origin for p in parsed.problems if p.origin is not None and p.origin.row}
    plan = _Sync(parsed.data, write=False, skip=skip).run()
    plan.errors[:0] = parsed.problems
    return plan


@transaction.atomic
def standard_apply(*, plan: StandardPlan, actor: User) -> StandardPlan:
    """Write a problem-free plan in one transaction (office only); returns the plan as carried out."""
    if not can_manage_campaign(actor):
        raise PermissionDenied(OFFICE_ONLY)
    return _apply(plan)


def _apply(plan: StandardPlan) -> StandardPlan:
    """Re-plan against the current database and save; any problem rolls everything back."""
    if plan.data is None or plan.errors:
        raise ValidationError([str(p) for p in plan.errors] or ["没有可导入的内容。"])
    with transaction.atomic():
        done = _Sync(plan.data, write=True).run()
        if done.errors:
            raise ValidationError([str(p) for p in done.errors])
    return done


@transaction.atomic
def standards_load_shipped(*, update_existing: bool = False) -> list[StandardPlan]:
    """Load the shipped 2021 and 2014 standards (fixtures/standards/); a rerun changes nothing.

    A standard already in the database is only compared, not written, unless `update_existing`: a city may
    have edited it through the Excel import, and a routine reload must not undo that.
    """
    directory = settings.BASE_DIR / "fixtures" / "standards"
    plans = []
    for name in SHIPPED:
        plan = standard_plan(read_json(directory / name))
        exists = plan.data is not None and Standard.objects.filter(code=plan.data.code).exists()
        plans.append(_apply(plan) if update_existing or not exists else plan)
    return plans
