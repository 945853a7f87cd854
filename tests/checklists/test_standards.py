"""The standard as data: shipped JSON, Excel export → import (plan, apply), bad workbooks, and the pages."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from apps.checklists.models import Category, Item, Requirement, Standard
from apps.checklists.services import evidence_upload, standard_apply, standards_load_shipped
from apps.checklists.standards import Action, read_json, read_workbook, standard_plan, standard_workbook
from tests.checklists.conftest import Book
from tests.checklists.factories import CampaignFactory, TaskFactory
from tests.checklists.files import pdf_bytes, upload

Sheets = dict[str, list[list[Any]]]


def db_counts() -> tuple[int, int, int, int]:
    """Rows of the four standard tables, to prove that nothing was written."""
    return (
        Standard.objects.count(),
        Category.objects.count(),
        Item.objects.count(),
        Requirement.objects.count(),
    )


def sheets_of(content: bytes) -> Sheets:
    """Every sheet of a workbook as lists of cell values."""
    book = load_workbook(io.BytesIO(content))
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets
    }


def openpyxl_book(sheets: Sheets) -> bytes:
    """A workbook with the given sheets, written by openpyxl."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


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


def plan_of(content: bytes) -> Any:
    return standard_plan(read_workbook(content))


def actions(plan: Any) -> set[str]:
    return {row.action for row in plan.rows}


def column(sheets: Sheets, sheet: str, name: str) -> int:
    """The index of a column by the start of its header."""
    return next(i for i, header in enumerate(sheets[sheet][0]) if str(header).startswith(name))


def test_shipped_load_gives_2021_and_2014_standards(db: Any) -> None:
    standards_load_shipped()
    nhc2021 = Standard.objects.get(code="NHC2021")
    assert (nhc2021.document, nhc2021.issued_on) == ("全爱卫发〔2021〕6号", date(2021, 12, 3))
    assert list(nhc2021.categories.values_list("code", flat=True)) == [f"C{n}" for n in range(1, 8)]
    assert list(nhc2021.items.values_list("code", flat=True)) == [f"N21-{n:02d}" for n in range(1, 46)]
    nhc2014 = Standard.objects.get(code="NHC2014")
    assert nhc2014.categories.count() == 8
    assert nhc2014.items.count() == nhc2014.items.filter(is_veto=True, text_verified=True).count() == 11
    assert "40" in nhc2014.note
    assert "没有录入" in nhc2014.note


def test_shipped_items_sit_where_the_reference_puts_them(db: Any) -> None:
    standards_load_shipped()
    items = {i.code: i for i in Item.objects.filter(standard__code="NHC2021").select_related("category")}
    assert items["N21-12"].text_verified
    assert items["N21-10"].text.startswith("主次干道和街巷路面平整")
    assert {code for code, i in items.items() if i.text_verified} == {"N21-12"}
    assert [items[f"N21-{n:02d}"].category.code for n in (1, 5, 6, 9, 10, 34, 35, 45)] == [
        "C1", "C1", "C2", "C2", "C3", "C6", "C6", "C7",
    ]  # fmt: skip
    assert all(i.source for i in items.values())
    assert items["N21-01"].category.lead_unit_type == "aiwei"
    per_item = [i.requirements.count() for i in items.values()]
    assert min(per_item) >= 2
    assert max(per_item) <= 4
    assert Requirement.objects.filter(item__standard__code="NHC2021", per_year=True).exists()
    assert items["N21-45"].effective_lead_unit_type == "aiwei"


def test_loading_shipped_twice_changes_nothing(db: Any) -> None:
    first = standards_load_shipped()
    assert {row.action for plan in first for row in plan.rows} == {Action.CREATE}
    before = db_counts()
    stamp = Standard.objects.get(code="NHC2021").updated_at
    second = standards_load_shipped()
    assert {row.action for plan in second for row in plan.rows} == {Action.SAME}
    assert db_counts() == before
    assert Standard.objects.get(code="NHC2021").updated_at == stamp


def test_reloading_keeps_a_citys_edits_unless_asked_to_update(db: Any) -> None:
    standards_load_shipped()
    Item.objects.filter(code="N21-01").update(title="本市细则标题")
    out = StringIO()
    call_command("load_standards", stdout=out)
    assert Item.objects.get(code="N21-01").title == "本市细则标题"
    assert "NHC2021 已存在，与随附文件相比：新增 0 条、修改 1 条" in out.getvalue()
    assert "加 --update 才会更新" in out.getvalue()
    call_command("load_standards", "--update", stdout=StringIO())
    assert Item.objects.get(code="N21-01").title != "本市细则标题"


def test_load_standards_command_reports_what_it_created_then_nothing(db: Any) -> None:
    out = StringIO()
    call_command("load_standards", stdout=out)
    assert "新增 条款 N21-45 病媒生物预防控制" in out.getvalue()
    again = StringIO()
    call_command("load_standards", stdout=again)
    assert "新增 0 条、修改 0 条" in again.getvalue()
    assert "  新增" not in again.getvalue()


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


# --- pages ----------------------------------------------------------------------------------------------

ALL = [
    "admin",
    "office",
    "leader",
    "inspector",
    "unit",
    "unit_other",
    "street",
    "street_other",
    "community",
    "grid",
]
READERS = ["admin", "office", "leader", "inspector", "unit", "unit_other"]


def _expect(allowed: list[str], forbidden: list[str] = (), hidden: list[str] = ()) -> dict[str, int]:  # type: ignore[assignment]
    table = (
        {"anon": 302}
        | dict.fromkeys(allowed, 200)
        | dict.fromkeys(forbidden, 403)
        | dict.fromkeys(hidden, 404)
    )
    assert set(table) == {"anon", *ALL}
    return table


OUTSIDERS = ["street", "street_other", "community", "grid"]
PAGES = [
    ("standards:list", False, _expect(ALL)),
    ("standards:detail", True, _expect(READERS, hidden=OUTSIDERS)),
    ("standards:export", True, _expect(READERS, hidden=OUTSIDERS)),
    ("standards:import", False, _expect(["admin", "office"], forbidden=[*READERS[2:], *OUTSIDERS])),
]


@pytest.mark.parametrize(("url_name", "with_pk", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_access_matrix(
    login: Any, book: Book, url_name: str, with_pk: bool, expected: dict[str, int]
) -> None:
    url = reverse(url_name, args=[book.standard.pk] if with_pk else [])
    got = {name: login(name).get(url).status_code for name in expected}
    assert got == expected


def test_anonymous_is_sent_to_login(client: Any, book: Book) -> None:
    url = reverse("standards:detail", args=[book.standard.pk])
    assert client.get(url)["Location"] == f"{reverse('accounts:login')}?next={url}"


def test_grid_worker_sees_no_standard_in_the_list(login: Any, book: Book) -> None:
    assert list(login("grid").get(reverse("standards:list")).context["standards"]) == []
    assert list(login("unit").get(reverse("standards:list")).context["standards"]) == [book.standard]


def test_detail_shows_badges_requirements_and_filters_by_category(login: Any, book: Book) -> None:
    book.organisation.text_verified = True
    book.organisation.save()
    client = login("unit")
    url = reverse("standards:detail", args=[book.standard.pk])
    html = client.get(url).content.decode()
    for text in ["会议记录", "按年度", "同大类（城管）"]:
        assert text in html
    # One discreet mark per abridged item, explained once on this page; no provenance tags.
    assert html.count('href="#abridged-note"') == 2  # T-02, T-03; T-01 is verified
    assert "标 * 的 2 条为条款要点摘要" in html
    assert "待核实" not in html
    assert "来源" not in html
    only_c2 = client.get(url, {"category": "C2"}, headers={"HX-Request": "true"}).content.decode()
    assert "道路保洁" in only_c2
    assert "组织机构" not in only_c2
    assert "<html" not in only_c2


def test_export_downloads_an_xlsx_with_a_chinese_name(login: Any, book: Book) -> None:
    response = login("unit").get(reverse("standards:export", args=[book.standard.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        "filename*=utf-8''%E6%B5%8B%E8%AF%95%E6%A0%87%E5%87%86" in response["Content-Disposition"]
    )  # 测试标准
    assert actions(plan_of(response.content)) == {Action.SAME}


def _kept_files() -> list[Path]:
    return sorted(Path(settings.MEDIA_ROOT).glob("imports/standards/*/*.xlsx"))


def test_office_previews_then_confirms_an_import(login: Any, book: Book, actors: dict[str, Any]) -> None:
    sheets = sheets_of(standard_workbook(book.standard))
    sheets["条款"][3][column(sheets, "条款", "条款标题")] = "道路清扫保洁"
    client = login("office")
    url = reverse("standards:import")
    assert client.get(url).status_code == 200
    preview = client.post(url, {"file": upload("标准.xlsx", openpyxl_book(sheets))})
    assert preview.status_code == 200
    assert "条款标题：道路保洁 → 道路清扫保洁" in preview.content.decode()
    token = preview.context["token"]
    assert [p.parent.name for p in _kept_files()] == [str(actors["office"].pk)]
    book.cleaning.refresh_from_db()
    assert book.cleaning.title == "道路保洁"  # the preview wrote nothing
    done = client.post(url, {"token": token, "filename": "标准.xlsx"})
    assert done["Location"] == reverse("standards:detail", args=[book.standard.pk])
    book.cleaning.refresh_from_db()
    assert book.cleaning.title == "道路清扫保洁"
    assert _kept_files() == []


def test_confirm_with_someone_elses_token_writes_nothing(login: Any, book: Book) -> None:
    sheets = sheets_of(standard_workbook(book.standard))
    sheets["条款"][3][column(sheets, "条款", "条款标题")] = "道路清扫保洁"
    url = reverse("standards:import")
    token = login("office").post(url, {"file": upload("标准.xlsx", openpyxl_book(sheets))}).context["token"]
    response = login("admin").post(url, {"token": token})
    assert response.status_code == 400
    assert "上传的文件已失效" in response.content.decode()
    for forged in ["../../1/" + token, "x"]:
        assert login("admin").post(url, {"token": forged}).status_code == 400
    book.cleaning.refresh_from_db()
    assert book.cleaning.title == "道路保洁"


def test_bad_file_through_the_page_shows_errors_and_keeps_nothing(login: Any, book: Book) -> None:
    before = db_counts()
    response = login("office").post(reverse("standards:import"), {"file": upload("标准.xlsx", pdf_bytes())})
    html = response.content.decode()
    assert "没有导入任何内容" in html
    assert "这不是 Excel 工作簿" in html
    assert 'name="token"' not in html
    assert _kept_files() == []
    assert db_counts() == before


def test_unit_cannot_post_an_import(login: Any, book: Book) -> None:
    before = db_counts()
    sheets = sheets_of(standard_workbook(book.standard))
    sheets["条款"][1][0] = "NEW"
    response = login("unit").post(
        reverse("standards:import"), {"file": upload("x.xlsx", openpyxl_book(sheets))}
    )
    assert response.status_code == 403
    assert db_counts() == before
    assert _kept_files() == []


def _pre_correction_fixture(tmp_path: Path) -> Path:
    """The shipped 2021 file as it was before the December 2026 correction: (五) sat first in C2."""
    raw = json.loads((settings.BASE_DIR / "fixtures/standards/nhc2021.json").read_text(encoding="utf-8"))
    c1, c2 = raw["categories"][0], raw["categories"][1]
    moved = c1["items"].pop()
    assert moved["code"] == "N21-05"
    moved.update(title="健康教育网络和健康科普", text="健全健康教育工作网络。")
    moved["requirements"] = [{"name": "健康教育工作网络名单", "description": "", "per_year": False}]
    c2["items"].insert(0, moved)
    path = tmp_path / "nhc2021.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return path


def test_update_moves_an_item_to_its_corrected_category_with_its_tasks_and_evidence(
    world: Any, actors: dict[str, Any], tmp_path: Path
) -> None:
    standard_apply(plan=standard_plan(read_json(_pre_correction_fixture(tmp_path))), actor=actors["office"])
    old = Item.objects.select_related("category").get(standard__code="NHC2021", code="N21-05")
    assert old.category.code == "C2"
    campaign = CampaignFactory(standard=old.standard)
    task = TaskFactory(campaign=campaign, item=old, lead_unit=world.unit_city)
    [evidence] = evidence_upload(
        task=task,
        requirement=old.requirements.get(),
        year=None,
        files=[upload("网络名单.pdf", pdf_bytes())],
        actor=actors["unit"],
    )
    out = StringIO()
    call_command("load_standards", stdout=out)
    assert "未写入；加 --update 才会更新" in out.getvalue()
    assert Item.objects.get(pk=old.pk).category.code == "C2"  # a routine reload changes nothing

    out = StringIO()
    call_command("load_standards", "--update", stdout=out)
    assert "修改 条款 N21-05" in out.getvalue()
    assert "大类：C2 → C1" in out.getvalue()
    item = Item.objects.select_related("category").get(pk=old.pk)
    assert (item.category.code, item.title) == ("C1", "畅通建议和投诉渠道，群众对卫生状况满意")
    assert list(item.tasks.all()) == [task]
    evidence.refresh_from_db()
    assert (evidence.task_id, evidence.requirement.item_id) == (task.pk, item.pk)  # the old requirement stays
    categories = Category.objects.filter(standard__code="NHC2021")
    assert [categories.get(code=c).items.count() for c in ("C1", "C2")] == [5, 4]


def test_the_2021_categories_1_and_2_follow_the_corrected_reference(db: Any) -> None:
    standards_load_shipped()
    standard = Standard.objects.get(code="NHC2021")
    codes = {
        c.code: list(c.items.order_by("order").values_list("code", flat=True))
        for c in standard.categories.all()
    }
    assert codes["C1"] == [f"N21-0{n}" for n in range(1, 6)]
    assert codes["C2"] == [f"N21-0{n}" for n in range(6, 10)]
    assert "标准中未作说明的均指建成区" in standard.note
    items = {i.code: i for i in standard.items.all()}
    assert "健康影响评估" in items["N21-04"].title
    assert "中医养生保健知识" in items["N21-06"].text
    assert "满足当地垃圾分类要求" in items["N21-10"].text
    assert "因地制宜加快建立生活垃圾分类投放" in items["N21-14"].text
    # Only (十二) is the source's words; the other sourced items are abridged.
    assert [code for code, i in items.items() if i.text_verified] == ["N21-12"]
    assert not any("待核实" in i.text for i in items.values())
