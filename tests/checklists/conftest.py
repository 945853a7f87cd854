"""Checklist tests: uploads go to a per-test media directory; `book` lives in fixtures.py."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import UploadedFile
from openpyxl import Workbook, load_workbook
from rest_framework.test import APIClient

from apps.accounts.models import Role, User
from apps.checklists.models import BinderExport, Category, Evidence, Item, Requirement, Standard, Task
from apps.checklists.services import evidence_upload
from apps.checklists.standards import read_workbook, standard_plan
from apps.regions.models import UnitType
from tests.accounts.factories import PASSWORD, make_user
from tests.checklists.factories import ItemFactory, RequirementFactory, TaskFactory
from tests.checklists.files import pdf_bytes, upload
from tests.checklists.fixtures import Book
from tests.conftest import World
from tests.regions.factories import UnitFactory

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


@pytest.fixture
def people(actors: dict[str, User]) -> dict[str, User]:
    """The shared actors plus a unit user whose unit neither leads nor supports any task."""
    outsider_unit = UnitFactory(name="市水务局", type=UnitType.WATER)
    return {**actors, "unit_third": make_user(Role.UNIT, username="t_unit_third", unit=outsider_unit)}


@pytest.fixture
def api(people: dict[str, User]) -> Any:
    """An API client signed in with the named actor's token (anonymous for 'anon')."""

    def _api(name: str) -> APIClient:
        client = APIClient()
        if name != "anon":
            response = client.post(
                "/api/v1/auth/token/",
                {"username": people[name].username, "password": PASSWORD},
                format="json",
            )
            assert response.status_code == 200, response.content
            client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
        return client

    return _api


def _upload_ledger(book: Book, actor: User, name: str = "台账.pdf") -> Evidence:
    """One PDF for the task's only requirement, through the real service."""
    return evidence_upload(
        task=book.task, requirement=book.ledger, year=None, files=[upload(name, pdf_bytes())], actor=actor
    )[0]


def _post_files(client: APIClient, task: Task, requirement_id: int, *files: Any, **extra: Any) -> Any:
    """POST a multipart upload to the task's evidence action."""
    data = {"requirement": requirement_id, "files": list(files), **extra}
    return client.post(f"/api/v1/tasks/{task.pk}/evidence/", data, format="multipart")


def _messages(response: Any) -> str:
    """All error text in a response body, for asserting on the Chinese message."""
    return str(response.json())


def _more_tasks(book: Book, world: World, actors: dict[str, User], count: int) -> None:
    """Extra tasks for the lead unit, each with requirements, a supporting unit and uploaded evidence."""
    for n in range(count):
        item = ItemFactory(category=book.c2, code=f"X-{n}", order=10 + n, title=f"附加条款{n}")
        requirement = RequirementFactory(item=item, name="台账")
        RequirementFactory(item=item, name="照片", per_year=True)
        task = TaskFactory(campaign=book.campaign, item=item, lead_unit=world.unit_city)
        task.supporting_units.set([world.unit_market])
        evidence_upload(
            task=task,
            requirement=requirement,
            year=None,
            files=[upload("a.pdf", pdf_bytes())],
            actor=actors["unit"],
        )


def put(
    task: Task,
    requirement: Requirement,
    actor: User,
    *,
    year: int | None = None,
    files: Sequence[UploadedFile] | None = None,
) -> list[Evidence]:
    """Upload through the service (one real PDF unless files are given)."""
    files = files if files is not None else [upload("台账.pdf", pdf_bytes())]
    return evidence_upload(task=task, requirement=requirement, year=year, files=files, actor=actor)


def status_of(task: Task) -> str:
    """The task's status as stored."""
    task.refresh_from_db()
    return task.status


@pytest.fixture
def organisation_task(book: Book, world: World) -> Task:
    """T-01 (工作方案 once, 会议记录 per year → 4 slots) led by 市城管局, the `unit` actor's unit."""
    return TaskFactory(campaign=book.campaign, item=book.organisation, lead_unit=world.unit_city)
