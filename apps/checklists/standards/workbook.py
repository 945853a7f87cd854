"""The one Excel layout for a standard: 「条款」 (a row per item) and 「佐证材料」 (a row per requirement).

Export and import share the column lists below, so an exported workbook imports with nothing to change.
Columns are found by their header text, so their order does not matter and extra columns are ignored;
a header may carry a hint in brackets, such as 「原文已核实(是/否)」.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from apps.checklists.models import Requirement, Standard
from apps.checklists.standards.data import (
    NO,
    UNIT_TYPE_LABELS,
    YES,
    CategoryData,
    ItemData,
    Origin,
    ParsedStandard,
    Problem,
    RequirementData,
    StandardData,
    parse_date,
    unit_type_label,
    unit_type_of,
    yes_no,
)

ITEM_SHEET = "条款"
REQUIREMENT_SHEET = "佐证材料"
ITEM_COLUMNS = (
    "标准编码",
    "标准名称",
    "发文文号",
    "发布日期",
    "大类编码",
    "大类名称",
    "大类牵头单位类型",
    "条款编码",
    "序号",
    "条款标题",
    "条款内容",
    "原文已核实(是/否)",
    "必备条件(是/否)",
    "牵头单位类型",
    "来源",
)
REQUIREMENT_COLUMNS = ("条款编码", "顺序", "材料名称", "说明", "按年度提供(是/否)")
WIDTHS = {
    "条款内容": 60,
    "条款标题": 28,
    "标准名称": 24,
    "大类名称": 18,
    "来源": 30,
    "材料名称": 30,
    "说明": 40,
}
# A standard has dozens of items and a few hundred requirements; far more rows means a wrong file.
MAX_ROWS = 5000
NOT_XLSX = "这不是 Excel 工作簿（.xlsx）文件。旧版 .xls 或 WPS 的 .et 文件请先另存为 .xlsx 再导入。"


def _header(text: Any) -> str:
    """A header without its bracketed hint: 「原文已核实(是/否)」 → 「原文已核实」."""
    return re.sub(r"[(（].*?[)）]\s*$", "", str(text or "")).strip()


def _text(value: Any) -> str:
    """A cell as trimmed text; whole numbers lose the '.0' a spreadsheet may add."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- export ---------------------------------------------------------------------------------------------


def standard_workbook(standard: Standard) -> bytes:
    """The standard as an .xlsx in the import layout; importing it back changes nothing."""
    book = Workbook(write_only=True)
    items = _sheet(book, ITEM_SHEET, ITEM_COLUMNS)
    head = [standard.code, standard.name, standard.document, standard.issued_on]
    for category in standard.categories.order_by("order", "code"):
        category_cells = [category.code, category.name, unit_type_label(category.lead_unit_type)]
        rows = list(category.items.order_by("order", "code"))
        if not rows:
            # A category without items still gets a row, so it survives the round trip.
            items.append([*head, *category_cells])
        for item in rows:
            items.append([*head, *category_cells, *_item_cells(item)])
    requirements = _sheet(book, REQUIREMENT_SHEET, REQUIREMENT_COLUMNS)
    for req in (
        Requirement.objects.filter(item__standard=standard)
        .select_related("item")
        .order_by("item__order", "item__code", "order", "name")
    ):
        requirements.append(
            [req.item.code, req.order, req.name, req.description, YES if req.per_year else NO]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet(book: Workbook, title: str, columns: tuple[str, ...]) -> WriteOnlyWorksheet:
    """A write-only sheet with a bold, frozen header row and readable column widths."""
    sheet = book.create_sheet(title)
    for number, name in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = WIDTHS.get(_header(name), 14)
    sheet.freeze_panes = "A2"
    header = []
    for name in columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    return sheet


def _item_cells(item: Any) -> list[Any]:
    """The item's own columns, from 条款编码 to 来源."""
    return [
        item.code,
        item.order,
        item.title,
        item.text,
        YES if item.text_verified else NO,
        YES if item.is_veto else NO,
        unit_type_label(item.lead_unit_type),
        item.source,
    ]


# --- import ---------------------------------------------------------------------------------------------


def read_workbook(content: bytes) -> ParsedStandard:
    """Read an uploaded workbook into the neutral shape, collecting every problem with its sheet and row."""
    if not content.startswith(b"PK\x03\x04"):
        return ParsedStandard(None, [Problem(NOT_XLSX)])
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (
        Exception
    ):  # openpyxl raises many kinds of error on a damaged or foreign package; all mean "not xlsx"
        return ParsedStandard(None, [Problem(NOT_XLSX)])
    try:
        return _read_book(book)
    except Exception:  # the same errors can surface lazily while rows are streamed
        return ParsedStandard(None, [Problem(NOT_XLSX)])
    finally:
        book.close()


def _read_book(book: Any) -> ParsedStandard:
    """Find the two sheets and read them."""
    sheets = {str(name).strip(): book[name] for name in book.sheetnames}
    missing = [name for name in (ITEM_SHEET, REQUIREMENT_SHEET) if name not in sheets]
    if len(missing) == 2:
        found = "、".join(sheets) or "无"
        message = (
            f"工作簿里没有可识别的工作表：需要「{ITEM_SHEET}」和「{REQUIREMENT_SHEET}」，实际只有：{found}。"
        )
        return ParsedStandard(None, [Problem(message)])
    if missing:
        return ParsedStandard(None, [Problem(f"工作簿缺少工作表「{missing[0]}」。")])
    reader = _ItemSheetReader()
    data = reader.read(sheets[ITEM_SHEET])
    if data is not None:
        _read_requirements(sheets[REQUIREMENT_SHEET], data, reader.problems)
    return ParsedStandard(data, reader.problems)


def _rows(
    sheet: ReadOnlyWorksheet, columns: tuple[str, ...], problems: list[Problem]
) -> Iterator[tuple[int, dict]]:
    """Data rows as {header: value} keyed by the layout's names; a problem when columns are missing."""
    name = sheet.title
    sheet.reset_dimensions()  # some writers record a wrong size; read what is really there
    rows = sheet.iter_rows(values_only=True)
    header = [_header(v) for v in next(rows, ())]
    wanted = [_header(c) for c in columns]
    lacking = [c for c in wanted if c not in header]
    if lacking:
        problems.append(Problem(f"缺少列：{'、'.join(lacking)}。", Origin(name, 1)))
        return
    index = {c: header.index(c) for c in wanted}
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS:
            problems.append(Problem(f"行数超过 {MAX_ROWS}，这不像是一个标准。", Origin(name, number)))
            return
        cells = {c: values[i] if i < len(values) else None for c, i in index.items()}
        if any(_text(v) for v in cells.values()):
            yield number, cells


def _positive(value: Any) -> int | None:
    """A positive whole number from a cell, else None."""
    text = _text(value)
    return int(text) if text.isdigit() and int(text) > 0 else None


class _ItemSheetReader:
    """Reads 「条款」: the standard's head from the rows, categories by first appearance, one item a row."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.data: StandardData | None = None
        self.head_row = 0
        self.categories: dict[str, tuple[int, CategoryData]] = {}
        self.items: dict[str, int] = {}

    def fail(self, message: str, row: int) -> None:
        self.problems.append(Problem(message, Origin(ITEM_SHEET, row)))

    def read(self, sheet: ReadOnlyWorksheet) -> StandardData | None:
        """The standard described by the sheet, or None when not even its head could be read."""
        for number, cells in _rows(sheet, ITEM_COLUMNS, self.problems):
            self._head(number, cells)
            if self.data is not None:
                self._category(self.data, number, cells)
                self._item(self.data, number, cells)
        if self.data is None and not self.problems:
            self.problems.append(Problem("没有数据行。", Origin(ITEM_SHEET)))
        return self.data

    def _head(self, row: int, cells: dict[str, Any]) -> None:
        """The first data row names the standard; later rows may repeat it or leave it blank, not differ."""
        try:
            issued_on = parse_date(cells["发布日期"])
        except (ValueError, TypeError):
            self.fail(f"发布日期「{_text(cells['发布日期'])}」看不懂，请写成 2021-12-03。", row)
            issued_on = None
        head: dict[str, Any] = {"标准编码": _text(cells["标准编码"]), "标准名称": _text(cells["标准名称"])}
        head |= {"发文文号": _text(cells["发文文号"]), "发布日期": issued_on}
        if self.data is None:
            self._first_head(row, head)
            return
        first = {
            "标准编码": self.data.code,
            "标准名称": self.data.name,
            "发文文号": self.data.document,
            "发布日期": self.data.issued_on,
        }
        for column, value in head.items():
            if value not in ("", None) and value != first[column]:
                self.fail(f"{column}与第{self.head_row}行不一致（一个文件只能导入一个标准）。", row)

    def _first_head(self, row: int, head: dict[str, Any]) -> None:
        """Start the standard from its first row; code and name are required there."""
        for column in ("标准编码", "标准名称"):
            if not head[column]:
                self.fail(f"{column}不能为空。", row)
        if head["标准编码"] and head["标准名称"]:
            self.head_row = row
            self.data = StandardData(head["标准编码"], head["标准名称"], head["发文文号"], head["发布日期"])

    def _category(self, data: StandardData, row: int, cells: dict[str, Any]) -> None:
        """A row with a 大类名称 defines the category (first time) or must agree with its definition."""
        code, name = _text(cells["大类编码"]), _text(cells["大类名称"])
        label = _text(cells["大类牵头单位类型"])
        if not code:
            if name or _text(cells["条款编码"]):
                self.fail("大类编码不能为空。", row)
            return
        if not name:
            if label:
                self.fail(f"填写了大类牵头单位类型，却没有填大类 {code} 的名称。", row)
            return  # a reference to a category defined elsewhere; the plan checks that it exists
        lead = self._unit_type(label, "大类牵头单位类型", row)
        if code in self.categories:
            first_row, first = self.categories[code]
            # A blank lead type on a later row means "as defined"; a different name or type is a conflict.
            if name != first.name or (label and lead is not None and lead != first.lead_unit_type):
                self.fail(f"大类 {code} 的名称或牵头单位类型与第{first_row}行不一致。", row)
            return
        category = CategoryData(code, name, len(self.categories) + 1, lead or "", Origin(ITEM_SHEET, row))
        self.categories[code] = (row, category)
        data.categories.append(category)

    def _item(self, data: StandardData, row: int, cells: dict[str, Any]) -> None:
        """One item per row; a row without 条款编码 only declares its category."""
        code = _text(cells["条款编码"])
        if not code:
            if any(_text(cells[c]) for c in ("序号", "条款标题", "条款内容")):
                self.fail("条款编码不能为空。", row)
            return
        if code in self.items:
            self.fail(f"条款编码 {code} 与第{self.items[code]}行重复。", row)
            return
        self.items[code] = row
        order, title = _positive(cells["序号"]), _text(cells["条款标题"])
        if order is None:
            self.fail(f"序号须为正整数，实际为「{_text(cells['序号'])}」。", row)
        if not title:
            self.fail("条款标题不能为空。", row)
        flags = [self._yes_no(cells, column, row) for column in ("原文已核实", "必备条件")]
        lead = self._unit_type(_text(cells["牵头单位类型"]), "牵头单位类型", row)
        data.items.append(
            ItemData(
                code=code,
                category_code=_text(cells["大类编码"]),
                order=order or 0,
                title=title,
                text=_text(cells["条款内容"]),
                text_verified=bool(flags[0]),
                is_veto=bool(flags[1]),
                lead_unit_type=lead or "",
                source=_text(cells["来源"]),
                origin=Origin(ITEM_SHEET, row),
            )
        )

    def _unit_type(self, label: str, column: str, row: int) -> str | None:
        """A unit type from its label, with a problem when unknown."""
        unit_type = unit_type_of(label)
        if unit_type is None:
            self.fail(f"{column}「{label}」不认识，可选：{UNIT_TYPE_LABELS}。", row)
        return unit_type

    def _yes_no(self, cells: dict[str, Any], column: str, row: int) -> bool | None:
        """A 是/否 cell, with a problem when it is anything else."""
        value = yes_no(cells[column])
        if value is None:
            self.fail(f"{column}须填「{YES}」或「{NO}」，实际为「{_text(cells[column])}」。", row)
        return value


def _read_requirements(sheet: ReadOnlyWorksheet, data: StandardData, problems: list[Problem]) -> None:
    """Attach each 「佐证材料」 row to its item; the item must be on 「条款」."""
    items = {item.code: item for item in data.items}
    seen: dict[tuple[str, str], int] = {}
    for row, cells in _rows(sheet, REQUIREMENT_COLUMNS, problems):
        origin = Origin(REQUIREMENT_SHEET, row)
        code, name, order = _text(cells["条款编码"]), _text(cells["材料名称"]), _positive(cells["顺序"])
        per_year = yes_no(cells["按年度提供"])
        errors = [
            message for ok, message in _requirement_checks(code, name, order, per_year, cells) if not ok
        ]
        if code and code not in items:
            errors.append(f"条款编码 {code} 不在「{ITEM_SHEET}」工作表中。")
        if (code, name) in seen:
            errors.append(f"条款 {code} 的材料「{name}」与第{seen[code, name]}行重复。")
        problems.extend(Problem(message, origin) for message in errors)
        seen.setdefault((code, name), row)
        if not errors:
            requirement = RequirementData(name, order or 0, _text(cells["说明"]), bool(per_year), origin)
            items[code].requirements.append(requirement)


def _requirement_checks(
    code: str, name: str, order: int | None, per_year: bool | None, cells: dict[str, Any]
) -> list[tuple[bool, str]]:
    """The single-cell rules of a requirement row, as (passes, message) pairs."""
    return [
        (bool(code), "条款编码不能为空。"),
        (bool(name), "材料名称不能为空。"),
        (order is not None, f"顺序须为正整数，实际为「{_text(cells['顺序'])}」。"),
        (
            per_year is not None,
            f"按年度提供须填「{YES}」或「{NO}」，实际为「{_text(cells['按年度提供'])}」。",
        ),
    ]
