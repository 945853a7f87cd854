"""Reference data kept in step with a file: compare natural-keyed rows with the database, report, apply.

rows = [compare(stored or Model(code=...), values, key=code, label=name), ...]  # parents first; no writes
apply(rows, update=False, save=save)  # new rows saved; changed ones only with update, else left DIFFERENT
summary(rows), details(rows)           # what a load command prints

The standards, the problem categories and the check templates all load this way. Nothing is ever deleted:
stored rows may already carry tasks, tickets or findings, and a city may have added its own, so a stored row
the file leaves out is at most listed (KEEP). The writing itself is the owning app's service: `apply` hands
each row to its `save`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import models

EMPTY = "（空）"
SHORT = 30  # longer texts are cut in a change line: the preview shows what changed, not the whole text
KEPT = "库中的设置已保留；加 --update 才会按随附文件改写。"


class Action(StrEnum):
    """What applying the file does (or did) to one row."""

    CREATE = "新增"
    UPDATE = "修改"
    SAME = "不变"
    DIFFERENT = "与随附文件不同（未改）"
    KEEP = "文件中没有（保留）"


# How a summary line names each action: 「与随附文件不同而未改 2 个」.
PHRASES = {
    Action.CREATE: "新增",
    Action.UPDATE: "修改",
    Action.SAME: "不变",
    Action.DIFFERENT: "与随附文件不同而未改",
    Action.KEEP: "文件中没有而保留",
}
LOADED = (Action.CREATE, Action.UPDATE, Action.SAME, Action.DIFFERENT)  # what loading a shipped file reports
IMPORTED = (Action.CREATE, Action.UPDATE, Action.SAME, Action.KEEP)  # what a standard's import reports
WRITTEN = (Action.CREATE, Action.UPDATE)


@dataclass
class SyncRow:
    """One row and what happens to it; `apply` writes `values` into `obj`; `changes` read old → new."""

    kind: str
    key: str
    label: str
    action: Action
    changes: list[str] = field(default_factory=list)
    origin: Any = None  # where in the file the row came from, for messages
    obj: models.Model | None = field(default=None, repr=False, compare=False)
    values: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __str__(self) -> str:
        kind = f"{self.kind} " if self.kind else ""
        detail = f"（{'；'.join(self.changes)}）" if self.changes else ""
        return f"{self.action} {kind}{self.key} {self.label}{detail}"


Show = Callable[[models.Field, Any], str]


def shown(field_: models.Field, value: Any) -> str:
    """A value for people: 是/否, codes for related rows, labels for choices, long texts cut short."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None or value == "":
        return EMPTY
    if isinstance(value, models.Model):
        return str(getattr(value, "code", value))
    if field_.choices:
        return str(dict(field_.flatchoices).get(value, value))
    text = str(value)
    return text if len(text) <= SHORT else f"{text[:SHORT]}…"


def differences(
    obj: models.Model,
    values: Mapping[str, Any],
    *,
    show: Show = shown,
    labels: Mapping[str, str] | None = None,
) -> list[str]:
    """「字段：旧 → 新」 for every incoming value that differs from the stored one (related rows by id)."""
    changes = []
    for name, new in values.items():
        field_ = cast(models.Field, obj._meta.get_field(name))
        old = getattr(obj, name)
        if not _same(old, new):
            label = labels[name] if labels else field_.verbose_name
            changes.append(f"{label}：{show(field_, old)} → {show(field_, new)}")
    return changes


def _same(old: Any, new: Any) -> bool:
    if isinstance(new, models.Model) and new.pk is not None:
        return isinstance(old, type(new)) and old.pk == new.pk
    return bool(old == new)


def compare(
    obj: models.Model,
    values: dict[str, Any],
    *,
    key: str,
    label: str,
    kind: str = "",
    origin: Any = None,
    changes: list[str] | None = None,
    show: Show = shown,
    labels: Mapping[str, str] | None = None,
) -> SyncRow:
    """One incoming row against its stored counterpart (or a new, unsaved instance); changes nothing.

    `changes` may be given when a loader words its differences itself; else they are found field by field.
    """
    if obj._state.adding:
        return SyncRow(kind, key, label, Action.CREATE, [], origin, obj, values)
    if changes is None:
        changes = differences(obj, values, show=show, labels=labels)
    action = Action.UPDATE if changes else Action.SAME
    return SyncRow(kind, key, label, action, changes, origin, obj, values)


def apply(rows: list[SyncRow], *, update: bool, save: Callable[[SyncRow], None]) -> list[SyncRow]:
    """Save new rows, and changed ones only with `update` (else they become DIFFERENT), in the plan's order.

    The values are assigned only now, once the parents before them are saved, so a row never points at an
    unsaved parent and a stored row that is not written keeps its values in memory too.
    """
    for row in rows:
        if row.action == Action.UPDATE and not update:
            row.action = Action.DIFFERENT
        elif row.action in WRITTEN and row.obj is not None:
            for name, value in row.values.items():
                setattr(row.obj, name, value)
            _relink(row.obj)
            save(row)
    return rows


def _relink(obj: models.Model) -> None:
    """Point foreign keys set at construction to parents that were unsaved then and are saved now."""
    for field_ in obj._meta.concrete_fields:
        if isinstance(field_, models.ForeignKey) and field_.is_cached(obj):
            parent = field_.get_cached_value(obj)
            if parent is not None and parent.pk is not None and getattr(obj, field_.attname) is None:
                setattr(obj, field_.name, parent)


def validated(row: SyncRow) -> models.Model:
    """The row's object after full_clean; a refusal names the row (its `origin`, else its key)."""
    obj = row.obj
    if obj is None:
        raise ValueError(f"{row.key} has nothing to save")
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise ValidationError(f"{row.origin or row.key}：{'；'.join(exc.messages)}") from exc
    return obj


def summary(rows: Iterable[SyncRow], *, actions: Iterable[Action] = LOADED, unit: str = "个") -> str:
    """「新增 3 个、修改 0 个、不变 40 个、与随附文件不同而未改 2 个」."""
    tally = Counter(row.action for row in rows)
    return "、".join(f"{PHRASES[action]} {tally[action]} {unit}" for action in actions)


def details(rows: list[SyncRow]) -> list[str]:
    """A load command's lines after its summary: every row not unchanged, then a hint if some were left."""
    lines = [f"  {row}" for row in rows if row.action != Action.SAME]
    if any(row.action == Action.DIFFERENT for row in rows):
        lines.append(KEPT)
    return lines
