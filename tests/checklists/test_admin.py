"""The admin is no second writer: task status and evidence reviews stay the services' to set."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import Role, User
from apps.checklists.models import BinderExport, Evidence, EvidenceStatus, Task, TaskStatus
from apps.checklists.services import evidence_upload
from tests.accounts.factories import admin_staff
from tests.checklists.conftest import Book
from tests.checklists.files import pdf_bytes, upload
from tests.conftest import World


@pytest.fixture
def admin_client(client: Client, actors: dict[str, User]) -> Client:
    """Signed in as the superuser who also holds the office's admin role."""
    client.force_login(actors["admin"])
    return client


@pytest.fixture
def evidence(book: Book, actors: dict[str, User]) -> Evidence:
    """One PDF uploaded by the lead unit for T-03: pending, the task in review."""
    [piece] = evidence_upload(
        task=book.task,
        requirement=book.ledger,
        year=None,
        files=[upload("台账.pdf", pdf_bytes())],
        actor=actors["unit"],
    )
    return piece


def task_form(task: Task, **changes: Any) -> dict[str, Any]:
    """The task's change form as the admin posts it, with some fields changed."""
    data = {
        "lead_unit": task.lead_unit_id,
        "supporting_units": [u.pk for u in task.supporting_units.all()],
        "responsible_person": task.responsible_person,
        "deadline": task.deadline.isoformat(),
        "_save": "保存",
    }
    return {**data, **changes}


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_posting_a_status_to_the_task_form_leaves_the_status_to_the_services(
    admin_client: Client, book: Book, evidence: Evidence
) -> None:
    url = reverse("admin:checklists_task_change", args=[book.task.pk])
    response = admin_client.post(
        url, task_form(book.task, status=TaskStatus.DONE, failure_reason="x", deadline="2027-04-30")
    )
    assert response.status_code == 302
    book.task.refresh_from_db()
    assert book.task.status == TaskStatus.IN_REVIEW  # what its pending evidence makes it
    assert book.task.failure_reason == ""
    assert book.task.deadline == date(2027, 4, 30)  # the editable fields still save


def test_a_task_deadline_past_the_inspection_is_refused_with_a_message_not_a_500(
    admin_client: Client, book: Book
) -> None:
    url = reverse("admin:checklists_task_change", args=[book.task.pk])
    response = admin_client.post(url, task_form(book.task, deadline="2027-12-31"), follow=True)
    assert response.status_code == 200
    assert any("迎检日期" in m for m in messages_of(response))
    book.task.refresh_from_db()
    assert book.task.deadline == date(2027, 3, 31)


def test_making_a_supporting_unit_the_lead_in_the_admin_drops_it_from_the_supporters(
    admin_client: Client, book: Book, world: World
) -> None:
    url = reverse("admin:checklists_task_change", args=[book.task.pk])
    admin_client.post(url, task_form(book.task, lead_unit=world.unit_market.pk))
    book.task.refresh_from_db()
    assert book.task.lead_unit == world.unit_market
    assert list(book.task.supporting_units.all()) == []


def test_a_task_added_in_the_admin_is_assigned_by_the_service(
    admin_client: Client, book: Book, world: World, actors: dict[str, User]
) -> None:
    data = task_form(book.task, deadline="2027-05-31", supporting_units=[world.unit_city.pk])
    data |= {"campaign": book.campaign.pk, "item": book.funding.pk, "lead_unit": world.unit_market.pk}
    response = admin_client.post(reverse("admin:checklists_task_add"), data)
    assert response.status_code == 302
    task = Task.objects.get(item=book.funding)
    assert task.assigned_by == actors["admin"]
    assert task.status == TaskStatus.NOT_STARTED
    assert list(task.supporting_units.all()) == [world.unit_city]


def test_admin_staff_without_the_office_role_cannot_assign_tasks_in_the_admin(
    client: Client, book: Book, world: World
) -> None:
    client.force_login(admin_staff(Role.LEADER, perms=["add_task", "view_task"], username="t_staff_leader"))
    data = task_form(book.task) | {"campaign": book.campaign.pk, "item": book.funding.pk}
    response = client.post(reverse("admin:checklists_task_add"), data, follow=True)
    assert any("创卫办" in m for m in messages_of(response))
    assert not Task.objects.filter(item=book.funding).exists()


def test_evidence_cannot_be_reviewed_or_deleted_in_the_admin(
    admin_client: Client, book: Book, evidence: Evidence, actors: dict[str, User]
) -> None:
    change = reverse("admin:checklists_evidence_change", args=[evidence.pk])
    form = {
        "task": book.task.pk,
        "requirement": book.ledger.pk,
        "original_name": evidence.original_name,
        "kind": evidence.kind,
        "size": evidence.size,
        "sha256": evidence.sha256,
        "uploaded_by": actors["unit"].pk,
        "status": EvidenceStatus.APPROVED,
        "reviewed_by": actors["admin"].pk,
    }
    assert admin_client.post(change, form).status_code == 403
    delete = reverse("admin:checklists_evidence_delete", args=[evidence.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    evidence.refresh_from_db()
    assert evidence.status == EvidenceStatus.PENDING
    assert evidence.reviewed_by is None
    assert admin_client.get(change).status_code == 200  # still there to look up


def test_binder_exports_are_not_made_or_changed_in_the_admin(
    admin_client: Client, book: Book, actors: dict[str, User]
) -> None:
    form = {"campaign": book.campaign.pk, "requested_by": actors["admin"].pk, "status": "done"}
    assert admin_client.post(reverse("admin:checklists_binderexport_add"), form).status_code == 403
    assert not BinderExport.objects.exists()
