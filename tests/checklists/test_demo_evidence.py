"""The demo campaign gives 材料审核 and the binder something to show: evidence in every review state,
uploaded by the lead unit's staff and reviewed by the office on working time; task deadlines spread around
today."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.accounts.roles import Role
from apps.checklists.models import Evidence, EvidenceStatus, Task, TaskStatus
from apps.checklists.progress import progress_of
from tests.tickets.test_demo_invariants import on_working_time

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings: Any, tmp_path: Path) -> None:
    """The demo city and its campaign, as `make run` seeds them."""
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", "--if-empty", stdout=StringIO())
    call_command("seed_demo_campaign", stdout=StringIO())


def test_demo_evidence_is_in_every_state_and_reviewed_by_the_office(seeded: None) -> None:
    evidence = list(Evidence.objects.select_related("task", "uploaded_by", "reviewed_by"))
    states = {e.status for e in evidence}
    assert states == set(EvidenceStatus.values), states
    now = timezone.now()
    for item in evidence:
        uploader = item.uploaded_by
        assert uploader.has_role(Role.UNIT), item
        assert uploader.unit_id == item.task.lead_unit_id, item
        assert on_working_time(item.uploaded_at), item.uploaded_at
        assert item.uploaded_at <= now
        assert item.file.storage.exists(item.file.name)
        if item.status == EvidenceStatus.PENDING:
            assert item.reviewed_by is None
            assert item.reviewed_at is None
            continue
        assert item.reviewed_by is not None
        assert item.reviewed_by.manages_everything
        assert item.reviewed_at is not None
        assert item.uploaded_at < item.reviewed_at <= now
        assert on_working_time(item.reviewed_at), item.reviewed_at
        if item.status == EvidenceStatus.RETURNED:
            assert item.review_comment.strip()


def test_demo_task_deadlines_are_spread_around_today(seeded: None) -> None:
    today = timezone.localdate()
    tasks = list(Task.objects.all())
    met = [t for t in tasks if t.deadline < today and t.status == TaskStatus.DONE]
    overdue = [t for t in tasks if t.is_overdue(today)]
    due_soon = [t for t in tasks if today <= t.deadline <= today + timedelta(days=7)]
    later = [t for t in tasks if t.deadline > today + timedelta(days=7)]
    spread = {"met": len(met), "overdue": len(overdue), "due_soon": len(due_soon), "later": len(later)}
    assert all(spread.values()), spread
    # Each task's status is the one its evidence gives it (nothing typed in by hand).
    progress = progress_of(tasks)
    assert all(t.status in (progress[t.pk].status(), TaskStatus.FAILED) for t in tasks)
