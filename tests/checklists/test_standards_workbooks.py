"""The standard as Excel: export → import round trips, the plan and its apply, and bad workbooks refused."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import xlsxwriter
from django.core.exceptions import PermissionDenied, ValidationError

from apps.checklists.models import Item, Requirement, Standard
from apps.checklists.services import standard_apply, standards_load_shipped
from apps.checklists.standards import Action, standard_workbook
from tests.checklists.conftest import (
    Book,
    Sheets,
    actions,
    column,
    db_counts,
    openpyxl_book,
    plan_of,
    sheets_of,
)
from tests.checklists.files import pdf_bytes


def xlsxwriter_book(sheets: Sheets) -> bytes:
    """The same sheets written by XlsxWriter, a different tool (dates as real date cells)."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for title, rows in sheets.items():
        sheet = book.add_worksheet(title)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, date):
                    sheet.write_datetime(r, c, value, date_format)
                elif value is not None:
                    sheet.write(r, c, value)
    book.close()
    return out.getvalue()


@pytest.mark.parametrize("code", ["TST", "NHC2021", "NHC2014"])
def test_export_then_import_changes_nothing(book: Book, code: str) -> None:
    standards_load_shipped()
    plan = plan_of(standard_workbook(Standard.objects.get(code=code)))
    assert plan.errors == []
    assert actions(plan) == {Action.SAME}
    assert not plan.has_changes


def test_workbook_from_another_tool_imports_as_a_new_standard(book: Book, actors: dict[str, Any]) -> None:
    sheets = sheets_of(standard_workbook(book.standard))
    for row in sheets["条款"][1:]:
        row[0], row[1], row[3] = "XLW", "另一个工具写的标准", date(2024, 5, 6)
    plan = plan_of(xlsxwriter_book(sheets))
    assert plan.errors == []
    assert actions(plan) == {Action.CREATE}
    done = standard_apply(plan=plan, actor=actors["office"])
    new = Standard.objects.get(code="XLW")
    assert done.standard == new
    assert new.issued_on == date(2024, 5, 6)
    assert list(new.items.values_list("code", "category__code", "order")) == [
        ("T-01", "C1", 1), ("T-02", "C1", 2), ("T-03", "C2", 3),
    ]  # fmt: skip
    assert new.categories.get(code="C2").lead_unit_type == "urban_mgmt"
    minutes = Requirement.objects.get(item__standard=new, name="会议记录")
    assert minutes.per_year
    assert minutes.order == 2
    assert actions(plan_of(xlsxwriter_book(sheets))) == {Action.SAME}


def test_preview_lists_changes_and_writes_nothing(book: Book) -> None:
    sheets = sheets_of(standard_workbook(book.standard))
    title = column(sheets, "条款", "条款标题")
    sheets["条款"][3][title] = "道路清扫保洁"
    new_row = [
        "TST",
        "测试标准",
        None,
        None,
        "C3",
        "健康教育",
        "卫健",
        "T-04",
        4,
        "健康科普",
        "",
        "否",
        "否",
        "",
        "",
    ]
    sheets["条款"].append(new_row)
    before = db_counts()
    plan = plan_of(openpyxl_book(sheets))
    assert plan.errors == []
    changed = {(row.kind, row.key): row for row in plan.rows if row.action == Action.UPDATE}
    assert changed["条款", "T-03"].changes == ["条款标题：道路保洁 → 道路清扫保洁"]
    created = {(row.kind, row.key) for row in plan.rows if row.action == Action.CREATE}
    assert created == {("大类", "C3"), ("条款", "T-04")}
    assert db_counts() == before
    book.cleaning.refresh_from_db()
    assert book.cleaning.title == "道路保洁"


def test_apply_writes_the_plan_and_keeps_rows_missing_from_the_file(
    book: Book, actors: dict[str, Any]
) -> None:
    sheets = sheets_of(standard_workbook(book.standard))
    sheets["条款"] = [row for row in sheets["条款"] if row[column(sheets, "条款", "条款编码")] != "T-03"]
    sheets["佐证材料"] = [row for row in sheets["佐证材料"] if row[0] != "T-03"]
    sheets["条款"][1][column(sheets, "条款", "条款内容")] = "新的条款内容"
    plan = plan_of(openpyxl_book(sheets))
    kept = {(row.kind, row.key) for row in plan.rows if row.action == Action.KEEP}
    assert kept == {("大类", "C2"), ("条款", "T-03"), ("佐证材料", "T-03 · 保洁台账")}
    done = standard_apply(plan=plan, actor=actors["office"])
    assert "新增 0 条、修改 1 条、不变 6 条、文件中没有而保留 3 条" in done.summary()
    assert Item.objects.get(pk=book.organisation.pk).text == "新的条款内容"
    assert Item.objects.filter(pk=book.cleaning.pk).exists()  # it carries a task: never deleted
    assert book.task.item_id == book.cleaning.pk


@pytest.mark.parametrize("name", ["unit", "leader", "inspector", "street", "grid"])
def test_apply_by_anyone_but_the_office_is_refused(book: Book, actors: dict[str, Any], name: str) -> None:
    sheets = sheets_of(standard_workbook(book.standard))
    sheets["条款"][1][column(sheets, "条款", "条款标题")] = "改名"
    plan = plan_of(openpyxl_book(sheets))
    with pytest.raises(PermissionDenied):
        standard_apply(plan=plan, actor=actors[name])
    book.organisation.refresh_from_db()
    assert book.organisation.title == "组织机构"


def _break(change: Callable[[Sheets], Any]) -> Callable[[Sheets], Sheets]:
    def apply(sheets: Sheets) -> Sheets:
        change(sheets)
        return sheets

    return apply


def _set(sheet: str, row: int, name: str, value: Any) -> Callable[[Sheets], Sheets]:
    return _break(lambda s: s[sheet][row].__setitem__(column(s, sheet, name), value))


def _drop_column(sheet: str, name: str) -> Callable[[Sheets], Sheets]:
    def drop(sheets: Sheets) -> None:
        index = column(sheets, sheet, name)
        sheets[sheet] = [row[:index] + row[index + 1 :] for row in sheets[sheet]]

    return _break(drop)


def _duplicate_item(sheets: Sheets) -> None:
    sheets["条款"].append(list(sheets["条款"][2]))


def _unknown_category(sheets: Sheets) -> Sheets:
    row = sheets["条款"][3]
    row[column(sheets, "条款", "大类编码")] = "C9"
    row[column(sheets, "条款", "大类名称")] = None
    row[column(sheets, "条款", "大类牵头单位类型")] = None
    return sheets


def _rename_sheets(sheets: Sheets) -> Sheets:
    return {"Sheet1": sheets["条款"], "Sheet2": sheets["佐证材料"]}


BAD_WORKBOOKS = [
    ("missing column", _drop_column("条款", "条款标题"), "「条款」第1行：缺少列：条款标题。"),
    ("duplicate item code", _break(_duplicate_item), "「条款」第5行：条款编码 T-02 与第3行重复。"),
    (
        "duplicate requirement",
        _break(lambda s: s["佐证材料"].append(list(s["佐证材料"][1]))),
        "「佐证材料」第6行：条款 T-01 的材料「工作方案」与第2行重复。",
    ),
    (
        "unknown category code",
        _unknown_category,
        "「条款」第4行：大类编码 C9 未知：文件里没有定义这个大类，数据库里也没有，请填写大类名称。",
    ),
    (
        "category defined twice differently",
        _set("条款", 2, "大类名称", "别的名字"),
        "「条款」第3行：大类 C1 的名称或牵头单位类型与第2行不一致。",
    ),
    (
        "unknown lead unit type label",
        _set("条款", 1, "牵头单位类型", "环保局"),
        "「条款」第2行：牵头单位类型「环保局」不认识",
    ),
    (
        "unknown category lead unit type label",
        _set("条款", 1, "大类牵头单位类型", "爱卫会"),
        "「条款」第2行：大类牵头单位类型「爱卫会」不认识",
    ),
    (
        "bad yes/no",
        _set("条款", 2, "原文已核实", "Y"),
        "「条款」第3行：原文已核实须填「是」或「否」，实际为「Y」。",
    ),
    (
        "bad yes/no in requirements",
        _set("佐证材料", 2, "按年度提供", "每年"),
        "「佐证材料」第3行：按年度提供须填「是」或「否」，实际为「每年」。",
    ),
    ("empty title", _set("条款", 2, "条款标题", None), "「条款」第3行：条款标题不能为空。"),
    ("empty standard code", _set("条款", 1, "标准编码", ""), "「条款」第2行：标准编码不能为空。"),
    ("bad order", _set("条款", 3, "序号", "三"), "「条款」第4行：序号须为正整数，实际为「三」。"),
    ("empty material name", _set("佐证材料", 1, "材料名称", None), "「佐证材料」第2行：材料名称不能为空。"),
    (
        "requirement for an item not in the file",
        _set("佐证材料", 1, "条款编码", "T-99"),
        "「佐证材料」第2行：条款编码 T-99 不在「条款」工作表中。",
    ),
    ("bad date", _set("条款", 1, "发布日期", "去年"), "「条款」第2行：发布日期「去年」看不懂"),
    (
        "two standards in one file",
        _set("条款", 3, "标准编码", "OTHER"),
        "「条款」第4行：标准编码与第2行不一致（一个文件只能导入一个标准）。",
    ),
    (
        "too long title",
        _set("条款", 1, "条款标题", "长" * 101),
        "「条款」第2行：条款 T-01 的条款标题：确保该变量包含不超过 100 字符",
    ),
    (
        "no sheets we know",
        _rename_sheets,
        "工作簿里没有可识别的工作表：需要「条款」和「佐证材料」，实际只有：Sheet1、Sheet2。",
    ),
    ("requirement sheet missing", lambda s: {"条款": s["条款"]}, "工作簿缺少工作表「佐证材料」。"),
]


@pytest.mark.parametrize(
    ("change", "message"), [b[1:] for b in BAD_WORKBOOKS], ids=[b[0] for b in BAD_WORKBOOKS]
)
def test_bad_workbook_gives_its_chinese_message_and_writes_nothing(
    book: Book, actors: dict[str, Any], change: Callable[[Sheets], Sheets], message: str
) -> None:
    content = openpyxl_book(change(sheets_of(standard_workbook(book.standard))))
    before = db_counts()
    plan = plan_of(content)
    assert any(str(p).startswith(message) for p in plan.errors), [str(p) for p in plan.errors]
    assert not plan.is_valid
    with pytest.raises(ValidationError):
        standard_apply(plan=plan, actor=actors["office"])
    assert db_counts() == before
    book.organisation.refresh_from_db()
    assert book.organisation.title == "组织机构"


@pytest.mark.parametrize(
    "content",
    [
        pdf_bytes(),
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
        b"PK\x03\x04broken zip",
        "标准,条款\n".encode(),
    ],
    ids=["pdf", "old xls", "broken zip", "csv"],
)
def test_a_file_that_is_not_xlsx_is_refused_in_chinese(book: Book, content: bytes) -> None:
    before = db_counts()
    plan = plan_of(content)
    assert [str(p) for p in plan.errors] == [
        "这不是 Excel 工作簿（.xlsx）文件。旧版 .xls 或 WPS 的 .et 文件请先另存为 .xlsx 再导入。"
    ]
    assert plan.rows == []
    assert db_counts() == before


def test_a_row_may_refer_to_a_category_the_database_already_has(book: Book) -> None:
    sheets = sheets_of(standard_workbook(book.standard))
    for row in sheets["条款"][1:]:
        if row[column(sheets, "条款", "大类编码")] == "C2":
            row[column(sheets, "条款", "大类名称")] = row[column(sheets, "条款", "大类牵头单位类型")] = None
    plan = plan_of(openpyxl_book(sheets))
    assert plan.errors == []
    assert actions(plan) == {Action.SAME}
