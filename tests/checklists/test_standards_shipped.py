"""The shipped standards: loading the JSON (twice, with edits, by command) and the 2021 correction."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command

from apps.checklists.models import Category, Item, Requirement, Standard
from apps.checklists.services import evidence_upload, standard_apply, standards_load_shipped
from apps.checklists.standards import Action, read_json, standard_plan
from tests.checklists.conftest import db_counts
from tests.checklists.factories import CampaignFactory, TaskFactory
from tests.checklists.files import pdf_bytes, upload


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
