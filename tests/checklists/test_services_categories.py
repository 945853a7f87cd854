"""tasks_assign_category: a whole category to the one city unit of each item's type, and what it skips."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.accounts.models import User
from apps.checklists.models import Task
from apps.checklists.services import tasks_assign_category
from apps.regions.models import UnitType
from tests.checklists.conftest import Book
from tests.checklists.factories import CategoryFactory, ItemFactory
from tests.conftest import World
from tests.regions.factories import UnitFactory

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
