"""迎检档案: one ZIP of a campaign's approved evidence in the standard's order, with an index workbook.

The ZIP is written to a temporary file and every piece of evidence is streamed into it in chunks, so memory
stays flat however many and however large the files are. This module only reads the campaign and writes the
file; the export row (request, progress, done or failed) is kept by apps/checklists/services/binders.py.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED, ZIP_STORED, ZipFile, ZipInfo

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from apps.checklists.models import (
    BinderExport,
    Campaign,
    Category,
    Evidence,
    EvidenceStatus,
    Item,
    Requirement,
    Task,
)

CHUNK = 1024 * 1024
# Deflating these again costs time and saves nothing: they are compressed already (OOXML and OFD are ZIPs).
ALREADY_COMPRESSED = {"pdf", "jpg", "jpeg", "png", "webp", "gif", "docx", "xlsx", "pptx", "ofd", "zip"}
INDEX_NAME = "index.xlsx"
INDEX_HEADER = ["大类", "条款编码", "条款标题", "牵头单位", "材料名称", "年度", "状态", "档案内文件"]
INDEX_WIDTHS = [18, 12, 30, 22, 24, 8, 10, 60]
SLOT_LABELS = {
    EvidenceStatus.APPROVED: "已通过",
    EvidenceStatus.PENDING: "待审核",
    EvidenceStatus.RETURNED: "被退回",
}
MISSING = "缺失"
UNASSIGNED = "未分解"
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')

SlotKey = tuple[int, int, int | None]  # (task id, requirement id, year or None)


class BinderError(Exception):
    """A build failure with a message for the office, in Chinese."""


def binder_filename(export: BinderExport) -> str:
    """The name a download gets: 「2025—2027年创建周期_迎检档案_20261123.zip」."""
    day = timezone.localtime(export.finished_at or export.requested_at)
    return f"{safe_name(export.campaign.name)}_迎检档案_{day:%Y%m%d}.zip"


def binder_write_zip(campaign: Campaign, path: Path, *, advance: Callable[[int], None]) -> int:
    """Write every category and item folder, their approved files and the index; return the file count.

    `advance` is told the size of each file copied, to move the progress bar.
    """
    index = _Index()
    try:
        with ZipFile(path, "w", allowZip64=True) as archive:
            writer = _Writer(archive=archive, advance=advance, index=index)
            for category in campaign.standard.categories.order_by("order", "code"):
                folder = writer.folder("", f"{category.order:02d} {category.name}")
                for item in category.items.order_by("order", "code"):
                    writer.item(campaign, category, item, parent=folder)
            index.save_into(archive)
    finally:
        index.discard()
    return writer.file_count


# --- the archive -----------------------------------------------------------------------------------------


def safe_name(text: str, limit: int = 60) -> str:
    """A path segment Windows, macOS and Linux all accept: no reserved characters or trailing dot or space."""
    cleaned = " ".join(_UNSAFE.sub("_", text).split())
    return cleaned[:limit].rstrip(". ") or "_"


def _unique(name: str, used: set[str]) -> str:
    """The name, or 「name(2).ext」 and so on if the folder holds it already (ignoring case, like Windows)."""
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    candidate, number = name, 1
    while candidate.lower() in used:
        number += 1
        candidate = f"{stem}({number}){dot}{extension}"
    used.add(candidate.lower())
    return candidate


def _file_name(requirement: Requirement, year: int | None, number: int, extension: str) -> str:
    """「材料名称_2025年_01.pdf」, or 「材料名称_01.pdf」 for a requirement that is not per year."""
    parts = [safe_name(requirement.name, 40), *([f"{year}年"] if year else []), f"{number:02d}"]
    return "_".join(parts) + (f".{extension.lower()}" if extension else "")


def _zip_time(moment: datetime) -> tuple[int, int, int, int, int, int]:
    """Local wall-clock time for a ZIP entry (the format cannot hold dates before 1980)."""
    local = timezone.localtime(moment)
    return (max(local.year, 1980), local.month, local.day, local.hour, local.minute, local.second)


@dataclass
class _Writer:
    """Walks the standard and writes folders, files and index rows, keeping one item's names at a time."""

    archive: ZipFile
    advance: Callable[[int], None]
    index: _Index
    file_count: int = 0
    used: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def folder(self, parent: str, title: str) -> str:
        """Add a directory entry under `parent` and return its path (ending in a slash)."""
        path = f"{parent}{_unique(safe_name(title), self.used[parent])}/"
        info = ZipInfo(path, date_time=_zip_time(timezone.now()))
        info.external_attr = (0o40755 << 16) | 0x10  # a directory, for unzip and for Windows
        info.CRC = info.compress_size = 0  # what mkdir() sets itself when given a plain name
        self.archive.mkdir(info)
        return path

    def item(self, campaign: Campaign, category: Category, item: Item, *, parent: str) -> None:
        """The item's folder with its approved files, and its rows in the index."""
        folder = self.folder(parent, f"{item.code} {item.title}")
        requirements = {r.pk: r for r in item.requirements.order_by("order", "pk")}
        tasks = list(
            Task.objects.filter(campaign=campaign, item=item)
            .select_related("lead_unit")
            .order_by("lead_unit__name")
        )
        names = self._files(campaign, item, folder, requirements)
        states = _slot_states(tasks)
        slots = _Slots(category, item, list(requirements.values()), campaign.years)
        for row in slots.rows(tasks, states, names):
            self.index.append(row)

    def _files(
        self, campaign: Campaign, item: Item, folder: str, requirements: dict[int, Requirement]
    ) -> dict[SlotKey, list[str]]:
        """Copy the item's approved evidence into its folder; return the names given, by slot."""
        names: dict[SlotKey, list[str]] = defaultdict(list)
        numbers: Counter[tuple[int, int | None]] = Counter()
        evidence = (
            Evidence.objects.approved()
            .filter(task__campaign=campaign, task__item=item)
            .order_by(
                "requirement__order", "requirement_id", "year", "task__lead_unit__name", "uploaded_at", "pk"
            )
            .only("pk", "task_id", "requirement_id", "year", "file", "original_name", "size", "uploaded_at")
        )
        for piece in evidence.iterator(chunk_size=200):
            requirement = requirements[piece.requirement_id]
            numbers[(requirement.pk, piece.year)] += 1
            proposed = _file_name(
                requirement, piece.year, numbers[(requirement.pk, piece.year)], piece.extension
            )
            name = _unique(proposed, self.used[folder])
            self._copy(piece, f"{folder}{name}", item)
            names[(piece.task_id, requirement.pk, piece.year)].append(name)
        self.used.pop(folder, None)
        return names

    def _copy(self, piece: Evidence, arcname: str, item: Item) -> None:
        """Stream one stored file into the archive in chunks."""
        info = ZipInfo(arcname, date_time=_zip_time(piece.uploaded_at))
        info.compress_type = ZIP_STORED if piece.extension.lower() in ALREADY_COMPRESSED else ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        info.file_size = piece.size  # lets zipfile choose ZIP64 headers up front for huge files
        try:
            source = piece.file.storage.open(piece.file.name, "rb")
        except FileNotFoundError as exc:
            raise BinderError(
                f"条款 {item.code} 的材料「{piece.original_name}」在存储中找不到，"
                "请让牵头单位重新上传并审核后再生成。"
            ) from exc
        with source, self.archive.open(info, "w") as target:
            shutil.copyfileobj(source, target, CHUNK)
        self.file_count += 1
        self.advance(piece.size)


def _slot_states(tasks: list[Task]) -> dict[SlotKey, set[str]]:
    """Every review state each slot of these tasks has evidence in."""
    states: dict[SlotKey, set[str]] = defaultdict(set)
    rows = Evidence.objects.filter(task__in=[t.pk for t in tasks]).values_list(
        "task_id", "requirement_id", "year", "status"
    )
    for task_id, requirement_id, year, status in rows.distinct():
        states[(task_id, requirement_id, year)].add(status)
    return states


def _slot_status(found: set[str]) -> str:
    """The best state a slot has reached, as the index shows it."""
    for status in (EvidenceStatus.APPROVED, EvidenceStatus.PENDING, EvidenceStatus.RETURNED):
        if status in found:
            return SLOT_LABELS[status]
    return MISSING


@dataclass
class _Slots:
    """The requirement slots (requirement × year) of one item, turned into index rows."""

    category: Category
    item: Item
    requirements: list[Requirement]
    years: list[int]

    def rows(
        self, tasks: list[Task], states: dict[SlotKey, set[str]], names: dict[SlotKey, list[str]]
    ) -> Iterator[list[Any]]:
        """One row per task and slot; an item without a task gets its slots marked 未分解."""
        if not tasks:
            for requirement, year in self._each():
                yield self._row("", requirement, year, UNASSIGNED, [])
            return
        for task in tasks:
            for requirement, year in self._each():
                key = (task.pk, requirement.pk, year)
                yield self._row(task.lead_unit.name, requirement, year, _slot_status(states[key]), names[key])

    def _each(self) -> Iterator[tuple[Requirement, int | None]]:
        """The slots in order: per-year requirements once for each campaign year."""
        for requirement in self.requirements:
            years: list[int | None] = list(self.years) if requirement.per_year else [None]
            for year in years:
                yield requirement, year

    def _row(
        self, lead: str, requirement: Requirement, year: int | None, status: str, files: list[str]
    ) -> list[Any]:
        """The cells of one index row."""
        category = f"{self.category.order:02d} {self.category.name}"
        item = self.item
        return [category, item.code, item.title, lead, requirement.name, year or "", status, "；".join(files)]


class _Index:
    """The index workbook, streamed row by row (openpyxl write-only keeps rows on disk, not in memory)."""

    def __init__(self) -> None:
        self.saved = False
        self.book = Workbook(write_only=True)
        self.sheet = self.book.create_sheet("迎检档案目录")
        for letter, width in zip("ABCDEFGH", INDEX_WIDTHS, strict=True):
            self.sheet.column_dimensions[letter].width = width
        self.sheet.freeze_panes = "A2"
        self.sheet.append([self._bold(title) for title in INDEX_HEADER])

    def _bold(self, value: str) -> WriteOnlyCell:
        """A header cell."""
        cell = WriteOnlyCell(self.sheet, value=value)
        cell.font = Font(bold=True)
        return cell

    def append(self, row: list[Any]) -> None:
        """Add one row."""
        self.sheet.append(row)

    def save_into(self, archive: ZipFile) -> None:
        """Save the workbook to a temporary file and add it at the archive's root."""
        handle, name = tempfile.mkstemp(prefix="binder-index-", suffix=".xlsx")
        os.close(handle)
        try:
            self.book.save(name)
            self.saved = True
            os.chmod(name, 0o644)  # mkstemp's 0600 would otherwise be the entry's permissions
            archive.write(name, INDEX_NAME, compress_type=ZIP_STORED)  # xlsx is a ZIP already
        finally:
            Path(name).unlink(missing_ok=True)

    def discard(self) -> None:
        """After a failed build, close the never-saved sheet and remove the rows openpyxl spooled to disk."""
        if self.saved:
            return
        self.sheet.close()
        writer = getattr(self.sheet, "_writer", None)  # openpyxl offers no public handle on its spool file
        if writer is not None:
            Path(writer.out).unlink(missing_ok=True)
