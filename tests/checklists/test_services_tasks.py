"""Task services: assigning an item to a lead unit, updating the task, its progress note, failing it."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.accounts.models import User
from apps.checklists.models import Task, TaskStatus
from apps.checklists.services import (
    evidence_review,
    task_assign,
    task_mark_failed,
    task_set_progress,
    task_update,
)
from apps.regions.models import UnitType
from tests.checklists.conftest import Book, put, status_of
from tests.checklists.factories import ItemFactory, TaskFactory
from tests.checklists.files import pdf_bytes, upload
from tests.conftest import World
from tests.regions.factories import UnitFactory

NOT_OFFICE = ["leader", "inspector", "unit", "unit_other", "street", "community", "grid"]


# task_assign ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["office", "admin"])
def test_office_assigns_an_item_to_a_lead_unit_with_supporting_units(
    name: str, book: Book, world: World, actors: dict[str, User]
) -> None:
    task = task_assign(
        campaign=book.campaign,
        item=book.organisation,
        lead_unit=world.unit_city,
        deadline=date(2026, 12, 31),
        actor=actors[name],
        supporting_units=[world.unit_market],
        responsible_person="王科长",
    )

    task.refresh_from_db()
    assert (task.campaign, task.item, task.lead_unit) == (book.campaign, book.organisation, world.unit_city)
    assert task.deadline == date(2026, 12, 31)
    assert task.responsible_person == "王科长"
    assert task.assigned_by == actors[name]
    assert task.status == TaskStatus.NOT_STARTED
    assert list(task.supporting_units.all()) == [world.unit_market]


@pytest.mark.parametrize("name", NOT_OFFICE)
def test_only_the_office_may_assign_a_task(
    name: str, book: Book, world: World, actors: dict[str, User]
) -> None:
    with pytest.raises(PermissionDenied, match="只有创卫办"):
        task_assign(
            campaign=book.campaign,
            item=book.organisation,
            lead_unit=world.unit_city,
            deadline=date(2026, 12, 31),
            actor=actors[name],
        )

    assert not Task.objects.filter(item=book.organisation).exists()


def test_assigning_the_same_item_to_the_same_lead_unit_twice_is_refused(
    book: Book, world: World, actors: dict[str, User]
) -> None:
    with pytest.raises(ValidationError) as caught:
        task_assign(
            campaign=book.campaign,
            item=book.cleaning,
            lead_unit=world.unit_city,
            deadline=date(2026, 12, 31),
            actor=actors["office"],
        )

    assert caught.value.messages == ["条款 T-03 已分配给 市城管局。"]
    assert Task.objects.filter(item=book.cleaning).count() == 1


def test_deadline_after_the_inspection_date_is_refused(
    book: Book, world: World, actors: dict[str, User]
) -> None:
    with pytest.raises(ValidationError) as caught:
        task_assign(
            campaign=book.campaign,
            item=book.organisation,
            lead_unit=world.unit_city,
            deadline=date(2027, 7, 1),
            actor=actors["office"],
        )

    assert caught.value.message_dict == {"deadline": ["完成时限不能晚于迎检日期 2027-06-30。"]}
    assert not Task.objects.filter(item=book.organisation).exists()


def test_deadline_before_the_campaign_starts_is_refused(
    book: Book, world: World, actors: dict[str, User]
) -> None:
    with pytest.raises(ValidationError) as caught:
        task_assign(
            campaign=book.campaign,
            item=book.organisation,
            lead_unit=world.unit_city,
            deadline=date(2024, 12, 31),
            actor=actors["office"],
        )

    assert caught.value.message_dict == {"deadline": ["完成时限不能早于创建周期开始日期 2025-01-01。"]}


@pytest.mark.parametrize("deadline", [date(2025, 1, 1), date(2027, 6, 30)])
def test_deadline_on_the_first_day_or_the_inspection_day_is_accepted(
    deadline: date, book: Book, world: World, actors: dict[str, User]
) -> None:
    task = task_assign(
        campaign=book.campaign,
        item=book.organisation,
        lead_unit=world.unit_city,
        deadline=deadline,
        actor=actors["office"],
    )

    assert task.deadline == deadline


def test_item_from_another_standard_is_refused(book: Book, world: World, actors: dict[str, User]) -> None:
    foreign = ItemFactory(code="X-01", title="别的标准的条款")
    assert foreign.standard != book.standard

    with pytest.raises(ValidationError) as caught:
        task_assign(
            campaign=book.campaign,
            item=foreign,
            lead_unit=world.unit_city,
            deadline=date(2026, 12, 31),
            actor=actors["office"],
        )

    assert caught.value.message_dict["item"] == ["条款须属于该创建周期执行的标准。"]
    assert not Task.objects.filter(item=foreign).exists()


def test_inactive_lead_unit_is_refused(book: Book, actors: dict[str, User]) -> None:
    closed = UnitFactory(name="市撤并局", is_active=False)

    with pytest.raises(ValidationError) as caught:
        task_assign(
            campaign=book.campaign,
            item=book.organisation,
            lead_unit=closed,
            deadline=date(2026, 12, 31),
            actor=actors["office"],
        )

    assert caught.value.message_dict == {"lead_unit": ["市撤并局 已停用，不能牵头任务。"]}


def test_lead_unit_is_dropped_from_its_own_supporting_units(
    book: Book, world: World, actors: dict[str, User]
) -> None:
    task = task_assign(
        campaign=book.campaign,
        item=book.organisation,
        lead_unit=world.unit_city,
        deadline=date(2026, 12, 31),
        actor=actors["office"],
        supporting_units=[world.unit_city, world.unit_market],
    )

    assert list(task.supporting_units.all()) == [world.unit_market]


# task_update ----------------------------------------------------------------------------------------------


def test_office_updates_deadline_person_and_supporting_units(
    book: Book, world: World, actors: dict[str, User]
) -> None:
    helper = UnitFactory(name="市住建局", type=UnitType.HOUSING)

    task_update(
        task=book.task,
        actor=actors["office"],
        data={
            "deadline": date(2026, 6, 30),
            "responsible_person": "李主任",
            "supporting_units": [helper, world.unit_city],
        },
    )

    book.task.refresh_from_db()
    assert book.task.deadline == date(2026, 6, 30)
    assert book.task.responsible_person == "李主任"
    assert list(book.task.supporting_units.all()) == [helper]


def test_update_without_supporting_units_keeps_them(
    book: Book, world: World, actors: dict[str, User]
) -> None:
    task_update(task=book.task, actor=actors["office"], data={"responsible_person": "李主任"})

    assert list(book.task.supporting_units.all()) == [world.unit_market]


def test_office_moves_a_task_to_another_lead_unit(book: Book, actors: dict[str, User]) -> None:
    housing = UnitFactory(name="市住建局", type=UnitType.HOUSING)

    task_update(task=book.task, actor=actors["office"], data={"lead_unit": housing})

    book.task.refresh_from_db()
    assert book.task.lead_unit == housing


@pytest.mark.parametrize("name", NOT_OFFICE)
def test_only_the_office_may_update_a_task(name: str, book: Book, actors: dict[str, User]) -> None:
    with pytest.raises(PermissionDenied):
        task_update(task=book.task, actor=actors[name], data={"deadline": date(2025, 6, 30)})

    book.task.refresh_from_db()
    assert book.task.deadline == date(2027, 3, 31)


def test_update_to_a_deadline_after_inspection_is_refused(book: Book, actors: dict[str, User]) -> None:
    with pytest.raises(ValidationError) as caught:
        task_update(task=book.task, actor=actors["office"], data={"deadline": date(2027, 12, 31)})

    assert "不能晚于迎检日期" in caught.value.message_dict["deadline"][0]
    book.task.refresh_from_db()
    assert book.task.deadline == date(2027, 3, 31)


def test_update_that_duplicates_another_task_is_refused(
    book: Book, world: World, actors: dict[str, User]
) -> None:
    TaskFactory(campaign=book.campaign, item=book.cleaning, lead_unit=world.unit_market)

    with pytest.raises(ValidationError):
        task_update(task=book.task, actor=actors["office"], data={"lead_unit": world.unit_market})

    book.task.refresh_from_db()
    assert book.task.lead_unit == world.unit_city


def test_moving_the_lead_to_a_supporting_unit_removes_it_from_the_supporting_units(
    book: Book, world: World, actors: dict[str, User]
) -> None:
    task_update(task=book.task, actor=actors["office"], data={"lead_unit": world.unit_market})

    assert world.unit_market not in book.task.supporting_units.all()


def test_moving_a_task_to_an_inactive_lead_unit_is_refused(book: Book, actors: dict[str, User]) -> None:
    closed = UnitFactory(name="市撤并局", is_active=False)

    with pytest.raises(ValidationError):
        task_update(task=book.task, actor=actors["office"], data={"lead_unit": closed})


# task_set_progress ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["unit", "office"])
def test_lead_unit_and_office_record_the_progress_note(
    name: str, book: Book, actors: dict[str, User]
) -> None:
    task_set_progress(task=book.task, actor=actors[name], note="  已完成主干道保洁台账整理  ")

    book.task.refresh_from_db()
    assert book.task.progress_note == "已完成主干道保洁台账整理"


@pytest.mark.parametrize("name", ["unit_other", "leader", "inspector", "street", "grid"])
def test_others_may_not_record_the_progress_note(name: str, book: Book, actors: dict[str, User]) -> None:
    with pytest.raises(PermissionDenied, match="只有牵头单位可以填写进展"):
        task_set_progress(task=book.task, actor=actors[name], note="配合单位写的进展")

    book.task.refresh_from_db()
    assert book.task.progress_note == ""


# task_mark_failed -----------------------------------------------------------------------------------------


def test_office_marks_a_task_failed_with_a_reason(book: Book, actors: dict[str, User]) -> None:
    task_mark_failed(task=book.task, actor=actors["office"], reason="  台账缺少2026年数据  ")

    book.task.refresh_from_db()
    assert book.task.status == TaskStatus.FAILED
    assert book.task.failure_reason == "台账缺少2026年数据"


@pytest.mark.parametrize("reason", ["", "   "])
def test_marking_failed_without_a_reason_is_refused(reason: str, book: Book, actors: dict[str, User]) -> None:
    with pytest.raises(ValidationError) as caught:
        task_mark_failed(task=book.task, actor=actors["office"], reason=reason)

    assert caught.value.message_dict == {"failure_reason": ["请填写未达标原因。"]}
    assert status_of(book.task) == TaskStatus.NOT_STARTED


def test_failure_reason_is_cut_to_fit(book: Book, actors: dict[str, User]) -> None:
    task_mark_failed(task=book.task, actor=actors["office"], reason="缺" * 400)

    book.task.refresh_from_db()
    assert book.task.failure_reason == "缺" * 300


@pytest.mark.parametrize("name", ["unit", "leader", "inspector"])
def test_only_the_office_may_mark_a_task_failed(name: str, book: Book, actors: dict[str, User]) -> None:
    with pytest.raises(PermissionDenied):
        task_mark_failed(task=book.task, actor=actors[name], reason="不达标")

    assert status_of(book.task) == TaskStatus.NOT_STARTED


def test_failure_holds_when_the_office_reviews_evidence(book: Book, actors: dict[str, User]) -> None:
    first, second = put(
        book.task,
        book.ledger,
        actors["unit"],
        files=[upload("a.pdf", pdf_bytes("a")), upload("b.pdf", pdf_bytes("b"))],
    )
    task_mark_failed(task=book.task, actor=actors["office"], reason="台账不全")

    evidence_review(evidence=first, actor=actors["office"], approve=True)
    evidence_review(evidence=second, actor=actors["office"], approve=False, comment="缺少签章")

    book.task.refresh_from_db()
    assert book.task.status == TaskStatus.FAILED
    assert book.task.failure_reason == "台账不全"


def test_next_upload_clears_the_failure(book: Book, actors: dict[str, User]) -> None:
    task_mark_failed(task=book.task, actor=actors["office"], reason="台账不全")

    put(book.task, book.ledger, actors["unit"])

    book.task.refresh_from_db()
    assert book.task.status == TaskStatus.IN_REVIEW
    assert book.task.failure_reason == ""
