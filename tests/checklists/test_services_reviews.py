"""evidence_review / evidence_review_many, and a task's status walk as evidence is uploaded and reviewed."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.accounts.models import User
from apps.checklists.models import Evidence, EvidenceStatus, Task, TaskStatus
from apps.checklists.services import evidence_review, evidence_review_many
from apps.notifications.models import Notification
from tests.checklists.conftest import Book, put, status_of
from tests.checklists.factories import RequirementFactory
from tests.checklists.files import jpeg_bytes, pdf_bytes, png_bytes, upload

# evidence_review / evidence_review_many -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["office", "admin"])
def test_office_approves_evidence(name: str, book: Book, actors: dict[str, User]) -> None:
    [evidence] = put(book.task, book.ledger, actors["unit"])

    evidence_review(evidence=evidence, actor=actors[name], approve=True, comment=" 材料齐全 ")

    evidence.refresh_from_db()
    assert evidence.status == EvidenceStatus.APPROVED
    assert evidence.review_comment == "材料齐全"
    assert evidence.reviewed_by == actors[name]
    assert evidence.reviewed_at is not None


def test_office_returns_evidence_with_a_comment(book: Book, actors: dict[str, User]) -> None:
    [evidence] = put(book.task, book.ledger, actors["unit"])

    evidence_review(evidence=evidence, actor=actors["office"], approve=False, comment="缺少负责人签字")

    evidence.refresh_from_db()
    assert evidence.status == EvidenceStatus.RETURNED
    assert evidence.review_comment == "缺少负责人签字"
    # The lead unit's staff are told at once, with the comment and a link to the task; no one else is.
    note = Notification.objects.get()
    assert (note.recipient, note.kind) == (actors["unit"], "evidence_returned")
    assert "缺少负责人签字" in note.body
    assert note.link == reverse("tasks:detail", args=[book.task.pk])


def test_approving_evidence_tells_no_one(book: Book, actors: dict[str, User]) -> None:
    [evidence] = put(book.task, book.ledger, actors["unit"])
    evidence_review(evidence=evidence, actor=actors["office"], approve=True)
    assert not Notification.objects.exists()


@pytest.mark.parametrize("comment", ["", "  "])
def test_returning_without_a_comment_is_refused(comment: str, book: Book, actors: dict[str, User]) -> None:
    [evidence] = put(book.task, book.ledger, actors["unit"])

    with pytest.raises(ValidationError) as caught:
        evidence_review(evidence=evidence, actor=actors["office"], approve=False, comment=comment)

    assert "退回时请填写意见" in caught.value.message_dict["comment"][0]
    evidence.refresh_from_db()
    assert evidence.status == EvidenceStatus.PENDING


@pytest.mark.parametrize("name", ["unit", "unit_other", "leader", "inspector", "grid"])
def test_only_the_office_may_review_evidence(name: str, book: Book, actors: dict[str, User]) -> None:
    [evidence] = put(book.task, book.ledger, actors["unit"])

    with pytest.raises(PermissionDenied, match="只有创卫办可以审核佐证材料"):
        evidence_review(evidence=evidence, actor=actors[name], approve=True)

    evidence.refresh_from_db()
    assert evidence.status == EvidenceStatus.PENDING


def test_reviewing_the_same_evidence_twice_is_refused(book: Book, actors: dict[str, User]) -> None:
    [evidence] = put(book.task, book.ledger, actors["unit"], files=[upload("台账.pdf", pdf_bytes())])
    evidence_review(evidence=evidence, actor=actors["office"], approve=True)

    with pytest.raises(ValidationError, match=r"台账\.pdf 已经审核过"):
        evidence_review(evidence=evidence, actor=actors["office"], approve=False, comment="改判")

    evidence.refresh_from_db()
    assert evidence.status == EvidenceStatus.APPROVED


def test_office_approves_several_pieces_at_once(book: Book, actors: dict[str, User]) -> None:
    stored = put(
        book.task,
        book.ledger,
        actors["unit"],
        files=[upload("1.pdf", pdf_bytes("1")), upload("2.png", png_bytes())],
    )

    reviewed = evidence_review_many(evidence=stored, actor=actors["office"], approve=True)

    assert {e.pk for e in reviewed} == {e.pk for e in stored}
    assert set(Evidence.objects.values_list("status", flat=True)) == {EvidenceStatus.APPROVED}


def test_bulk_review_changes_nothing_when_one_piece_was_already_reviewed(
    book: Book, actors: dict[str, User]
) -> None:
    first, second, third = put(
        book.task,
        book.ledger,
        actors["unit"],
        files=[upload(f"{n}.pdf", pdf_bytes(str(n))) for n in ("一", "二", "三")],
    )
    evidence_review(evidence=second, actor=actors["office"], approve=True)

    with pytest.raises(ValidationError, match="已经审核过"):
        evidence_review_many(
            evidence=[first, second, third], actor=actors["office"], approve=False, comment="重做"
        )

    statuses = dict(Evidence.objects.values_list("pk", "status"))
    assert statuses == {
        first.pk: EvidenceStatus.PENDING,
        second.pk: EvidenceStatus.APPROVED,
        third.pk: EvidenceStatus.PENDING,
    }


def test_bulk_review_of_nothing_is_refused(actors: dict[str, User]) -> None:
    with pytest.raises(ValidationError, match="请至少选择一份材料"):
        evidence_review_many(evidence=[], actor=actors["office"], approve=True)


def test_bulk_review_refreshes_every_task_it_touches(
    book: Book, organisation_task: Task, actors: dict[str, User]
) -> None:
    ledger = put(book.task, book.ledger, actors["unit"])
    plan = put(organisation_task, book.plan, actors["unit"])

    evidence_review_many(evidence=ledger + plan, actor=actors["office"], approve=True)

    assert status_of(book.task) == TaskStatus.DONE
    assert status_of(organisation_task) == TaskStatus.IN_PROGRESS


# The status walk ------------------------------------------------------------------------------------------


def test_single_slot_task_walks_from_not_started_to_done(book: Book, actors: dict[str, User]) -> None:
    office, unit = actors["office"], actors["unit"]
    assert status_of(book.task) == TaskStatus.NOT_STARTED

    [first] = put(book.task, book.ledger, unit)
    assert status_of(book.task) == TaskStatus.IN_REVIEW

    evidence_review(evidence=first, actor=office, approve=False, comment="缺少签章")
    assert status_of(book.task) == TaskStatus.IN_PROGRESS

    [second] = put(book.task, book.ledger, unit)
    assert status_of(book.task) == TaskStatus.IN_REVIEW

    evidence_review(evidence=second, actor=office, approve=True)
    assert status_of(book.task) == TaskStatus.DONE


def test_a_later_returned_file_does_not_undo_an_approved_slot(book: Book, actors: dict[str, User]) -> None:
    [approved] = put(book.task, book.ledger, actors["unit"])
    evidence_review(evidence=approved, actor=actors["office"], approve=True)

    [extra] = put(book.task, book.ledger, actors["unit"])
    assert status_of(book.task) == TaskStatus.DONE
    evidence_review(evidence=extra, actor=actors["office"], approve=False, comment="重复材料")

    assert status_of(book.task) == TaskStatus.DONE


def test_task_with_per_year_slots_is_in_review_only_once_every_year_is_covered(
    book: Book, organisation_task: Task, actors: dict[str, User]
) -> None:
    unit = actors["unit"]

    put(organisation_task, book.plan, unit)
    assert status_of(organisation_task) == TaskStatus.IN_PROGRESS

    put(organisation_task, book.minutes, unit, year=2025)
    put(organisation_task, book.minutes, unit, year=2026)
    put(organisation_task, book.minutes, unit, year=2026)
    assert status_of(organisation_task) == TaskStatus.IN_PROGRESS

    put(organisation_task, book.minutes, unit, year=2027)
    assert status_of(organisation_task) == TaskStatus.IN_REVIEW


def test_task_with_per_year_slots_is_done_when_every_slot_is_approved(
    book: Book, organisation_task: Task, actors: dict[str, User]
) -> None:
    unit, office = actors["unit"], actors["office"]
    plan = put(organisation_task, book.plan, unit)
    minutes = [put(organisation_task, book.minutes, unit, year=y)[0] for y in book.campaign.years]

    evidence_review_many(evidence=plan + minutes[:2], actor=office, approve=True)
    assert status_of(organisation_task) == TaskStatus.IN_REVIEW

    evidence_review(evidence=minutes[2], actor=office, approve=True)
    assert status_of(organisation_task) == TaskStatus.DONE


def test_returning_the_only_file_of_a_slot_puts_the_task_back_in_progress(
    book: Book, organisation_task: Task, actors: dict[str, User]
) -> None:
    unit, office = actors["unit"], actors["office"]
    put(organisation_task, book.plan, unit)
    minutes = {y: put(organisation_task, book.minutes, unit, year=y)[0] for y in book.campaign.years}
    assert status_of(organisation_task) == TaskStatus.IN_REVIEW

    evidence_review(evidence=minutes[2027], actor=office, approve=False, comment="2027年会议记录不完整")

    assert status_of(organisation_task) == TaskStatus.IN_PROGRESS


def test_new_requirement_on_a_done_item_keeps_the_stored_status_until_the_next_change(
    book: Book, actors: dict[str, User]
) -> None:
    [evidence] = put(book.task, book.ledger, actors["unit"])
    evidence_review(evidence=evidence, actor=actors["office"], approve=True)
    photos = RequirementFactory(item=book.cleaning, order=2, name="现场照片")
    assert status_of(book.task) == TaskStatus.DONE

    put(book.task, photos, actors["unit"], files=[upload("照片.jpg", jpeg_bytes())])

    assert status_of(book.task) == TaskStatus.IN_REVIEW
