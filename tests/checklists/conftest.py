"""Checklist tests: uploads go to a per-test media directory; `book` lives in fixtures.py."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from apps.accounts.models import User
from apps.checklists.models import BinderExport, Category, Item, Requirement, Standard
from apps.checklists.standards import read_workbook, standard_plan
from tests.checklists.fixtures import Book

__all__ = ["Book"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    """Uploaded files go to a per-test directory, never into the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


def queued(book: Book, office: User, **fields: Any) -> BinderExport:
    """An export row as binder_request leaves it (without enqueueing anything)."""
    return BinderExport.objects.create(campaign=book.campaign, requested_by=office, **fields)


Sheets = dict[str, list[list[Any]]]


def db_counts() -> tuple[int, int, int, int]:
    """Rows of the four standard tables, to prove that nothing was written."""
    return (
        Standard.objects.count(),
        Category.objects.count(),
        Item.objects.count(),
        Requirement.objects.count(),
    )


def sheets_of(content: bytes) -> Sheets:
    """Every sheet of a workbook as lists of cell values."""
    book = load_workbook(io.BytesIO(content))
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets
    }


def openpyxl_book(sheets: Sheets) -> bytes:
    """A workbook with the given sheets, written by openpyxl."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def plan_of(content: bytes) -> Any:
    return standard_plan(read_workbook(content))


def actions(plan: Any) -> set[str]:
    return {row.action for row in plan.rows}


def column(sheets: Sheets, sheet: str, name: str) -> int:
    """The index of a column by the start of its header."""
    return next(i for i, header in enumerate(sheets[sheet][0]) if str(header).startswith(name))
