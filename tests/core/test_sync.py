"""The shared reference-data sync: compare by natural key, apply only what the rule allows, report."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from apps.checklists.models import Category, Standard
from apps.core.sync import (
    IMPORTED,
    KEPT,
    LOADED,
    Action,
    SyncRow,
    apply,
    compare,
    details,
    differences,
    shown,
    summary,
    validated,
)


def stored_standard(**changes: Any) -> Standard:
    values = {"code": "S1", "name": "标准一", "document": "文号一", "issued_on": date(2021, 1, 1), **changes}
    return Standard.objects.create(**values)


def incoming(**changes: Any) -> dict[str, Any]:
    return {"name": "标准一", "document": "文号一", "issued_on": date(2021, 1, 1), **changes}


def save(row: SyncRow) -> None:
    validated(row).save()


def test_a_row_missing_from_the_database_is_new_and_nothing_is_written(db: Any) -> None:
    row = compare(Standard(code="S1"), incoming(), key="S1", label="标准一", kind="标准")
    assert (row.action, row.changes) == (Action.CREATE, [])
    assert not Standard.objects.exists()


def test_a_stored_row_equal_to_the_file_is_unchanged(db: Any) -> None:
    row = compare(stored_standard(), incoming(), key="S1", label="标准一")
    assert (row.action, row.changes) == (Action.SAME, [])


def test_a_stored_row_that_differs_lists_each_field_old_to_new(db: Any) -> None:
    row = compare(stored_standard(document=""), incoming(name="新名称"), key="S1", label="新名称")
    assert row.action == Action.UPDATE
    assert row.changes == ["标准名称：标准一 → 新名称", "发文文号：（空） → 文号一"]


def test_comparing_changes_nothing_in_memory_either(db: Any) -> None:
    standard = stored_standard()
    compare(standard, incoming(name="新名称"), key="S1", label="新名称")
    assert standard.name == "标准一"


def test_related_rows_compare_by_id_and_show_their_code(db: Any) -> None:
    first, second = stored_standard(), stored_standard(code="S2")
    category = Category.objects.create(standard=first, code="C1", name="大类", order=1)
    same = Standard.objects.get(pk=first.pk)  # another instance of the same row
    assert differences(category, {"standard": same}) == []
    assert differences(category, {"standard": second}) == ["standard：S1 → S2"]


def test_labels_and_show_can_be_the_loaders_own(db: Any) -> None:
    changes = differences(
        stored_standard(), incoming(name="新"), labels={"name": "名称"}, show=lambda _f, v: f"«{v}»"
    )
    assert changes == ["名称：«标准一» → «新»"]


def test_a_loader_may_word_the_changes_itself(db: Any) -> None:
    row = compare(stored_standard(), incoming(), key="S1", label="标准一", changes=["时限：1 → 2"])
    assert (row.action, row.changes) == (Action.UPDATE, ["时限：1 → 2"])


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (True, "是"),
        (False, "否"),
        (None, "（空）"),
        ("", "（空）"),
        ("短", "短"),
        ("长" * 31, "长" * 30 + "…"),
    ],
)
def test_values_are_shown_for_people(value: Any, text: str) -> None:
    assert shown(Standard._meta.get_field("name"), value) == text


def test_choices_are_shown_by_their_label() -> None:
    assert shown(Category._meta.get_field("lead_unit_type"), "urban_mgmt") == "城管"


def test_without_update_new_rows_are_saved_and_changed_ones_only_reported(db: Any) -> None:
    stored = stored_standard(name="城市改过的名称")
    rows = [
        compare(stored, incoming(), key="S1", label="标准一"),
        compare(Standard(code="S2"), incoming(name="标准二"), key="S2", label="标准二"),
    ]
    apply(rows, update=False, save=save)
    assert [row.action for row in rows] == [Action.DIFFERENT, Action.CREATE]
    assert Standard.objects.get(code="S1").name == "城市改过的名称"
    assert stored.name == "城市改过的名称"  # not assigned either
    assert Standard.objects.get(code="S2").name == "标准二"


def test_with_update_changed_rows_are_written(db: Any) -> None:
    rows = [compare(stored_standard(name="城市改过的名称"), incoming(), key="S1", label="标准一")]
    apply(rows, update=True, save=save)
    assert rows[0].action == Action.UPDATE
    assert Standard.objects.get(code="S1").name == "标准一"


def test_unchanged_and_kept_rows_are_never_saved(db: Any) -> None:
    saved: list[SyncRow] = []
    rows = [
        compare(stored_standard(), incoming(), key="S1", label="标准一"),
        SyncRow("大类", "C9", "城市加的", Action.KEEP),
    ]
    apply(rows, update=True, save=saved.append)
    assert saved == []
    assert [row.action for row in rows] == [Action.SAME, Action.KEEP]


def test_a_child_planned_under_an_unsaved_parent_is_linked_once_the_parent_is_saved(db: Any) -> None:
    standard = Standard(code="S1")
    category = Category(standard=standard, code="C1")
    rows = [
        compare(standard, incoming(), key="S1", label="标准一"),
        compare(category, {"name": "大类", "order": 1}, key="C1", label="大类"),
    ]
    apply(rows, update=False, save=save)
    assert Category.objects.get(code="C1").standard == Standard.objects.get(code="S1")


def test_an_invalid_row_is_refused_by_its_origin(db: Any) -> None:
    rows = [compare(Standard(code="S1"), incoming(name=""), key="S1", label="", origin="标准 S1")]
    with pytest.raises(ValidationError, match=r"^\['标准 S1：") as caught:
        apply(rows, update=False, save=save)
    assert "不能为空" in caught.value.messages[0]
    assert not Standard.objects.exists()


def test_a_row_reads_action_kind_key_label_and_changes() -> None:
    assert str(SyncRow("模板", "market", "农贸市场", Action.UPDATE, ["名称：甲 → 乙"])) == (
        "修改 模板 market 农贸市场（名称：甲 → 乙）"
    )
    assert str(SyncRow("", "SR-01", "暴露垃圾", Action.CREATE)) == "新增 SR-01 暴露垃圾"


def test_the_summary_counts_the_actions_a_loader_or_an_import_reports() -> None:
    rows = [
        SyncRow("", "a", "", Action.CREATE),
        SyncRow("", "b", "", Action.DIFFERENT),
        SyncRow("", "c", "", Action.KEEP),
        SyncRow("", "d", "", Action.SAME),
        SyncRow("", "e", "", Action.SAME),
    ]
    assert summary(rows) == "新增 1 个、修改 0 个、不变 2 个、与随附文件不同而未改 1 个"
    assert (
        summary(rows, actions=IMPORTED, unit="条") == "新增 1 条、修改 0 条、不变 2 条、文件中没有而保留 1 条"
    )
    assert LOADED == (Action.CREATE, Action.UPDATE, Action.SAME, Action.DIFFERENT)


def test_details_list_every_row_not_unchanged_and_say_when_settings_were_kept() -> None:
    created, same = SyncRow("", "a", "甲", Action.CREATE), SyncRow("", "b", "乙", Action.SAME)
    assert details([created, same]) == ["  新增 a 甲"]
    different = SyncRow("", "c", "丙", Action.DIFFERENT, ["名称：丁 → 丙"])
    assert details([same, different]) == ["  与随附文件不同（未改） c 丙（名称：丁 → 丙）", KEPT]
