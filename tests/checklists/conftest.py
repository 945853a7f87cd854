"""Checklist tests: uploads go to a per-test media directory; `book` lives in fixtures.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from apps.accounts.models import User
from apps.checklists.models import BinderExport
from tests.checklists.fixtures import Book

__all__ = ["Book"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    """Uploaded files go to a per-test directory, never into the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


def queued(book: Book, office: User, **fields: Any) -> BinderExport:
    """An export row as binder_request leaves it (without enqueueing anything)."""
    return BinderExport.objects.create(campaign=book.campaign, requested_by=office, **fields)
