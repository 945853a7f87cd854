"""Campaign services: task assignment, progress notes, failure, evidence upload and review, status walk."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.urls import reverse

from apps.accounts.models import User
from apps.checklists.models import Evidence, EvidenceStatus, FileKind, Requirement, Task, TaskStatus
from apps.checklists.services import (
    evidence_review,
    evidence_review_many,
    evidence_upload,
    task_assign,
    task_mark_failed,
    task_set_progress,
    task_update,
    tasks_assign_category,
)
from apps.notifications.models import Notification
from apps.regions.models import UnitType
from tests.checklists.conftest import Book
from tests.checklists.factories import CategoryFactory, ItemFactory, RequirementFactory, TaskFactory
from tests.checklists.files import exe_bytes, jpeg_bytes, pdf_bytes, png_bytes, upload, xlsx_bytes
from tests.conftest import World
from tests.regions.factories import UnitFactory

NOT_OFFICE = ["leader", "inspector", "unit", "unit_other", "street", "community", "grid"]


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


def media_files(settings: Any) -> list[Path]:
    """Every file under MEDIA_ROOT."""
    return sorted(p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())


@pytest.fixture
def organisation_task(book: Book, world: World) -> Task:
    """T-01 (工作方案 once, 会议记录 per year → 4 slots) led by 市城管局, the `unit` actor's unit."""
    return TaskFactory(campaign=book.campaign, item=book.organisation, lead_unit=world.unit_city)


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


# tasks_assign_category ------------------------------------------------------------------------------------


def test_category_assignment_gives_each_item_to_the_one_city_unit_of_its_type(
    book: Book, actors: dict[str, User]
) -> None:
    aiwei = UnitFactory(name="市爱卫办", type=UnitType.AIWEI)

    result = tasks_assign_category(
        campaign=book.campaign, category=book.c1, deadline=date(2026, 12, 31), actor=actors["office"]
    )

    assert [(t.item.code, t.lead_unit) for t in result.created] == [("T-01", aiwei), ("T-02", aiwei)]
    assert result.skipped == []
    for task in Task.objects.filter(item__category=book.c1):
        assert task.deadline == date(2026, 12, 31)
        assert task.assigned_by == actors["office"]


def test_category_assignment_skips_items_that_already_have_a_task(
    book: Book, actors: dict[str, User]
) -> None:
    result = tasks_assign_category(
        campaign=book.campaign, category=book.c2, deadline=date(2026, 12, 31), actor=actors["office"]
    )

    assert result.created == []
    assert result.skipped == [(book.cleaning, "已有任务")]
    assert Task.objects.filter(item=book.cleaning).count() == 1


def test_category_assignment_skips_items_whose_unit_type_has_no_unit(
    book: Book, actors: dict[str, User]
) -> None:
    result = tasks_assign_category(
        campaign=book.campaign, category=book.c1, deadline=date(2026, 12, 31), actor=actors["office"]
    )

    reason = "找不到唯一的「爱卫办」类市级单位，请单独分配"
    assert result.created == []
    assert result.skipped == [(book.organisation, reason), (book.funding, reason)]
    assert not Task.objects.filter(item__category=book.c1).exists()


def test_category_assignment_skips_items_whose_unit_type_has_two_city_units(
    book: Book, actors: dict[str, User]
) -> None:
    UnitFactory(name="市爱卫办", type=UnitType.AIWEI)
    UnitFactory(name="市爱国卫生运动委员会", type=UnitType.AIWEI)

    result = tasks_assign_category(
        campaign=book.campaign, category=book.c1, deadline=date(2026, 12, 31), actor=actors["office"]
    )

    assert result.created == []
    assert [reason for _, reason in result.skipped] == ["找不到唯一的「爱卫办」类市级单位，请单独分配"] * 2


def test_category_assignment_ignores_inactive_units(book: Book, actors: dict[str, User]) -> None:
    aiwei = UnitFactory(name="市爱卫办", type=UnitType.AIWEI)
    UnitFactory(name="原市爱卫会", type=UnitType.AIWEI, is_active=False)

    result = tasks_assign_category(
        campaign=book.campaign, category=book.c1, deadline=date(2026, 12, 31), actor=actors["office"]
    )

    assert {t.lead_unit for t in result.created} == {aiwei}


def test_category_assignment_ignores_district_units(
    book: Book, world: World, actors: dict[str, User]
) -> None:
    UnitFactory(name="东城区爱卫办", type=UnitType.AIWEI, region=world.district)

    result = tasks_assign_category(
        campaign=book.campaign, category=book.c1, deadline=date(2026, 12, 31), actor=actors["office"]
    )

    assert result.created == []
    assert len(result.skipped) == 2


def test_category_assignment_uses_a_unit_filed_under_the_city(
    book: Book, world: World, actors: dict[str, User]
) -> None:
    aiwei = UnitFactory(name="市爱卫办", type=UnitType.AIWEI, region=world.city)
    UnitFactory(name="东城区爱卫办", type=UnitType.AIWEI, region=world.district)

    result = tasks_assign_category(
        campaign=book.campaign, category=book.c1, deadline=date(2026, 12, 31), actor=actors["office"]
    )

    assert {t.lead_unit for t in result.created} == {aiwei}


def test_category_assignment_sees_a_blank_region_unit_and_a_city_unit_as_ambiguous(
    book: Book, world: World, actors: dict[str, User]
) -> None:
    UnitFactory(name="市爱卫办", type=UnitType.AIWEI)
    UnitFactory(name="市爱国卫生运动委员会", type=UnitType.AIWEI, region=world.city)

    result = tasks_assign_category(
        campaign=book.campaign, category=book.c1, deadline=date(2026, 12, 31), actor=actors["office"]
    )

    assert result.created == []


def test_item_lead_type_overrides_its_category(book: Book, world: World, actors: dict[str, User]) -> None:
    book.funding.lead_unit_type = UnitType.MARKET
    book.funding.save()

    result = tasks_assign_category(
        campaign=book.campaign, category=book.c1, deadline=date(2026, 12, 31), actor=actors["office"]
    )

    assert [(t.item, t.lead_unit) for t in result.created] == [(book.funding, world.unit_market)]
    assert result.skipped == [(book.organisation, "找不到唯一的「爱卫办」类市级单位，请单独分配")]


def test_items_without_any_lead_type_are_skipped_as_unset(book: Book, actors: dict[str, User]) -> None:
    bare = CategoryFactory(standard=book.standard, code="C9", name="其他", order=9, lead_unit_type="")
    item = ItemFactory(category=bare, code="T-09", title="其他条款")

    result = tasks_assign_category(
        campaign=book.campaign, category=bare, deadline=date(2026, 12, 31), actor=actors["office"]
    )

    assert result.skipped == [(item, "找不到唯一的「未设定」类市级单位，请单独分配")]


def test_category_of_another_standard_is_refused(book: Book, actors: dict[str, User]) -> None:
    foreign = CategoryFactory()

    with pytest.raises(ValidationError, match="不属于本创建周期执行的标准"):
        tasks_assign_category(
            campaign=book.campaign, category=foreign, deadline=date(2026, 12, 31), actor=actors["office"]
        )


def test_category_assignment_with_a_deadline_after_inspection_is_refused(
    book: Book, actors: dict[str, User]
) -> None:
    UnitFactory(name="市爱卫办", type=UnitType.AIWEI)

    with pytest.raises(ValidationError, match="不能晚于迎检日期"):
        tasks_assign_category(
            campaign=book.campaign, category=book.c1, deadline=date(2028, 1, 1), actor=actors["office"]
        )

    assert not Task.objects.filter(item__category=book.c1).exists()


@pytest.mark.parametrize("name", ["leader", "unit"])
def test_only_the_office_may_assign_a_whole_category(name: str, book: Book, actors: dict[str, User]) -> None:
    UnitFactory(name="市爱卫办", type=UnitType.AIWEI)

    with pytest.raises(PermissionDenied):
        tasks_assign_category(
            campaign=book.campaign, category=book.c1, deadline=date(2026, 12, 31), actor=actors[name]
        )

    assert not Task.objects.filter(item__category=book.c1).exists()


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


# evidence_upload ------------------------------------------------------------------------------------------


def test_lead_unit_upload_is_stored_under_the_content_extension(
    book: Book, actors: dict[str, User], settings: Any
) -> None:
    content = pdf_bytes("会议记录")

    [evidence] = put(book.task, book.ledger, actors["unit"], files=[upload("会议.docx", content)])

    evidence.refresh_from_db()
    assert evidence.original_name == "会议.docx"
    assert evidence.kind == FileKind.PDF
    assert evidence.extension == "pdf"
    assert evidence.file.name.startswith(f"evidence/{book.campaign.pk}/{book.task.pk}/")
    assert evidence.file.name.endswith(".pdf")
    assert evidence.size == len(content)
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence.uploaded_by == actors["unit"]
    assert evidence.status == EvidenceStatus.PENDING
    assert evidence.year is None
    assert (Path(settings.MEDIA_ROOT) / evidence.file.name).read_bytes() == content


def test_office_may_upload_for_any_task(book: Book, actors: dict[str, User]) -> None:
    [evidence] = put(book.task, book.ledger, actors["office"])

    assert evidence.uploaded_by == actors["office"]


def test_several_files_are_stored_in_one_upload(book: Book, actors: dict[str, User], settings: Any) -> None:
    files = [
        upload("台账.xlsx", xlsx_bytes()),
        upload("照片1.jpg", jpeg_bytes()),
        upload("照片2.png", png_bytes()),
    ]

    stored = put(book.task, book.ledger, actors["unit"], files=files)

    assert sorted(e.original_name for e in stored) == ["台账.xlsx", "照片1.jpg", "照片2.png"]
    assert sorted(e.extension for e in stored) == ["jpg", "png", "xlsx"]
    assert Evidence.objects.filter(task=book.task).count() == 3
    assert len(media_files(settings)) == 3


@pytest.mark.parametrize("name", ["unit_other", "leader", "inspector", "street", "community", "grid"])
def test_others_may_not_upload_evidence(
    name: str, book: Book, actors: dict[str, User], settings: Any
) -> None:
    with pytest.raises(PermissionDenied, match="只有牵头单位可以上传佐证材料"):
        put(book.task, book.ledger, actors[name])

    assert not Evidence.objects.exists()
    assert media_files(settings) == []


def test_requirement_of_another_item_is_refused(book: Book, actors: dict[str, User]) -> None:
    with pytest.raises(ValidationError) as caught:
        put(book.task, book.plan, actors["unit"])

    assert caught.value.message_dict == {"requirement": ["该材料要求不属于本任务的条款。"]}
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("year", [None, 2024, 2028])
def test_per_year_requirement_needs_a_campaign_year(
    year: int | None, book: Book, organisation_task: Task, actors: dict[str, User]
) -> None:
    with pytest.raises(ValidationError) as caught:
        put(organisation_task, book.minutes, actors["unit"], year=year)

    assert caught.value.message_dict == {
        "year": ["「会议记录」须按年度提供，请选择年度（2025、2026、2027）。"]
    }
    assert not Evidence.objects.exists()


def test_per_year_requirement_is_stored_for_its_year(
    book: Book, organisation_task: Task, actors: dict[str, User]
) -> None:
    [evidence] = put(organisation_task, book.minutes, actors["unit"], year=2026)

    evidence.refresh_from_db()
    assert evidence.year == 2026


def test_year_on_a_requirement_that_is_not_yearly_is_refused(book: Book, actors: dict[str, User]) -> None:
    with pytest.raises(ValidationError) as caught:
        put(book.task, book.ledger, actors["unit"], year=2025)

    assert caught.value.message_dict == {"year": ["「保洁台账」不分年度，请不要选择年度。"]}


def test_upload_without_files_is_refused(book: Book, actors: dict[str, User]) -> None:
    with pytest.raises(ValidationError) as caught:
        put(book.task, book.ledger, actors["unit"], files=[])

    assert caught.value.message_dict == {"files": ["请选择要上传的文件。"]}


def test_too_many_files_in_one_upload_are_refused(book: Book, actors: dict[str, User], settings: Any) -> None:
    settings.EVIDENCE_MAX_FILES_PER_UPLOAD = 2
    files = [upload(f"台账{n}.pdf", pdf_bytes(str(n))) for n in range(3)]

    with pytest.raises(ValidationError) as caught:
        put(book.task, book.ledger, actors["unit"], files=files)

    assert caught.value.message_dict == {"files": ["一次最多上传 2 个文件。"]}
    assert not Evidence.objects.exists()
    assert media_files(settings) == []


def test_as_many_files_as_allowed_are_accepted(book: Book, actors: dict[str, User], settings: Any) -> None:
    settings.EVIDENCE_MAX_FILES_PER_UPLOAD = 2
    files = [upload(f"台账{n}.pdf", pdf_bytes(str(n))) for n in range(2)]

    assert len(put(book.task, book.ledger, actors["unit"], files=files)) == 2


@pytest.mark.parametrize("bad_at", [0, 1, 2])
def test_one_bad_file_among_several_stores_nothing(
    bad_at: int, book: Book, actors: dict[str, User], settings: Any
) -> None:
    files = [upload("台账.pdf", pdf_bytes()), upload("照片.jpg", jpeg_bytes())]
    files.insert(bad_at, upload("病毒.pdf", exe_bytes()))

    with pytest.raises(ValidationError) as caught:
        put(book.task, book.ledger, actors["unit"], files=files)

    assert "「病毒.pdf」的内容不是允许的文件类型" in caught.value.messages[0]
    assert not Evidence.objects.exists()
    assert media_files(settings) == []
    assert status_of(book.task) == TaskStatus.NOT_STARTED


def test_files_written_before_a_storage_failure_are_removed(
    book: Book, actors: dict[str, User], settings: Any
) -> None:
    content = pdf_bytes("second")
    vanishing = TemporaryUploadedFile("第二份.pdf", "application/pdf", len(content), None)
    vanishing.write(content)
    vanishing.seek(0)
    # The open handle still reads (so the content check passes), but the temporary file that storage
    # moves into MEDIA_ROOT is gone: the write of the second file fails as a full or broken disk would.
    os.unlink(vanishing.temporary_file_path())
    try:
        with pytest.raises(FileNotFoundError):
            put(
                book.task,
                book.ledger,
                actors["unit"],
                files=[upload("第一份.pdf", pdf_bytes("first")), vanishing],
            )
    finally:
        vanishing.close()

    assert not Evidence.objects.exists()
    assert media_files(settings) == []


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
