"""The shipped check templates: what they hold, loading twice, --update, bad files, links to the standard."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from apps.checklists.services import standards_load_shipped
from apps.core.sync import Action
from apps.patrols.check_templates import SHIPPED, Kind, read_check_templates
from apps.patrols.models import CheckItem, CheckTemplate
from apps.patrols.services.check_templates import check_templates_load_shipped
from apps.regions.models import PointType
from apps.tickets.models import ProblemCategory
from apps.tickets.services.categories import problem_categories_load_shipped

CODES = [
    "street",
    "market",
    "small_food",
    "public_place",
    "construction",
    "toilet",
    "urban_village",
    "institution",
    "vector",
]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _categories() -> None:
    """The items name shipped problem categories, so those are loaded first."""
    problem_categories_load_shipped()


def load(*args: str) -> str:
    out = io.StringIO()
    call_command("load_check_templates", *args, stdout=out)
    return out.getvalue()


def edited_file(tmp_path: Path, change: Any) -> Path:
    """A copy of the shipped file with `change(content)` applied."""
    content = json.loads(SHIPPED.read_text(encoding="utf-8"))
    change(content)
    path = tmp_path / "check_templates.json"
    path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_shipped_file_gives_nine_templates_of_five_to_nine_items() -> None:
    rows = check_templates_load_shipped()
    assert {row.action for row in rows} == {Action.CREATE}
    assert list(CheckTemplate.objects.values_list("code", flat=True)) == CODES
    for template in CheckTemplate.objects.all():
        assert 5 <= template.items.count() <= 9, template.code
    assert CheckItem.objects.count() == sum(len(t.items) for t in read_check_templates())
    item = CheckItem.objects.select_related("category__parent").get(code="street-01")
    assert (item.text, item.category.code, item.deduction) == (
        "路面平整，无坑洼、破损、积水，下水道不堵",
        "SR-18",
        "0.2分/处",
    )


def test_every_point_type_has_a_template_and_vectors_are_checked_everywhere() -> None:
    check_templates_load_shipped()
    scenes = CheckTemplate.objects.exclude(code="vector")
    covered = {value for template in scenes for value in template.point_types}
    assert covered == set(PointType.values)
    assert all(template.point_types for template in scenes)
    vector = CheckTemplate.objects.get(code="vector")
    assert vector.applies_to_every_point
    assert CheckTemplate.objects.get(code="institution").point_type_labels() == ["学校", "医院", "机关单位"]


def test_every_item_is_filed_under_an_active_subcategory() -> None:
    check_templates_load_shipped()
    for item in CheckItem.objects.select_related("category"):
        assert item.category.parent_id is not None, item.code
        assert item.category.is_active, item.code


def test_loading_twice_changes_nothing() -> None:
    first = load()
    assert "巡查模板：新增 9 个" in first
    assert "尚未载入 NHC2021" in first
    before = list(CheckItem.objects.values()), list(CheckTemplate.objects.values())
    second = load()
    items = CheckItem.objects.count()
    assert "模板：新增 0 个、修改 0 个、不变 9 个、与随附文件不同而未改 0 个" in second
    assert f"检查项：新增 0 个、修改 0 个、不变 {items} 个、与随附文件不同而未改 0 个" in second
    assert (list(CheckItem.objects.values()), list(CheckTemplate.objects.values())) == before


def test_an_item_edited_in_the_admin_survives_a_reload_and_is_reported() -> None:
    check_templates_load_shipped()
    CheckItem.objects.filter(code="toilet-02").update(text="无臭味")
    output = load()
    assert "检查项：新增 0 个、修改 0 个" in output
    assert "与随附文件不同（未改） 检查项 toilet-02" in output
    assert "检查内容：无臭味 → 无明显臭味，无蚊蝇" in output
    assert "加 --update" in output
    assert CheckItem.objects.get(code="toilet-02").text == "无臭味"


def test_update_brings_edited_templates_and_items_back_in_line_with_the_file() -> None:
    check_templates_load_shipped()
    CheckTemplate.objects.filter(code="market").update(name="菜市场", point_types=["market", "small_food"])
    CheckItem.objects.filter(code="market-05").update(text="三防", deduction="")
    rows = check_templates_load_shipped(update_existing=True)
    changed = {(row.kind, row.key): row.changes for row in rows if row.action == Action.UPDATE}
    assert set(changed) == {(Kind.TEMPLATE, "market"), (Kind.ITEM, "market-05")}
    assert "适用点位类型：农贸市场、小餐饮 → 农贸市场" in changed[Kind.TEMPLATE, "market"]
    template = CheckTemplate.objects.get(code="market")
    assert (template.name, template.point_types) == ("农贸市场", ["market"])
    item = CheckItem.objects.get(code="market-05")
    assert (item.text, item.deduction) == ("直接入口食品有防尘、防蝇、防鼠设施", "无三防不合格")


def test_the_citys_own_items_are_kept_and_switched_off_ones_stay_off() -> None:
    check_templates_load_shipped()
    street = CheckTemplate.objects.get(code="street")
    own = CheckItem.objects.create(
        template=street,
        code="street-90",
        text="共享单车停放有序",
        category=ProblemCategory.objects.get(code="SR-10"),
    )
    CheckItem.objects.filter(code="street-09").update(is_active=False)
    CheckItem.objects.filter(code="street-01").delete()
    rows = check_templates_load_shipped(update_existing=True)
    assert [(row.key, row.action) for row in rows if row.action != Action.SAME] == [
        ("street-01", Action.CREATE)
    ]
    assert CheckItem.objects.filter(pk=own.pk, is_active=True).exists()
    assert not CheckItem.objects.get(code="street-09").is_active


def test_an_unknown_category_is_refused_by_name_and_nothing_is_written(tmp_path: Path) -> None:
    def change(content: Any) -> None:
        content["templates"][-1]["items"][-1]["category"] = "BM-99"

    with pytest.raises(ValidationError, match="巡查模板 vector 的检查项 vector-06：问题类别 BM-99 不存在"):
        check_templates_load_shipped(path=edited_file(tmp_path, change))
    assert not CheckTemplate.objects.exists()
    assert not CheckItem.objects.exists()


def test_a_main_category_is_refused(tmp_path: Path) -> None:
    def change(content: Any) -> None:
        content["templates"][0]["items"][0]["category"] = "SR"

    with pytest.raises(ValidationError, match="street-01：问题类别 SR 是大类，检查项须归入小类"):
        check_templates_load_shipped(path=edited_file(tmp_path, change))
    assert not CheckTemplate.objects.exists()


def test_unknown_point_types_and_repeated_codes_are_refused(tmp_path: Path) -> None:
    def change(content: Any) -> None:
        content["templates"][0]["point_types"].append("harbour")
        content["templates"][1]["items"][1]["code"] = "market-01"

    with pytest.raises(ValidationError) as caught:
        read_check_templates(edited_file(tmp_path, change))
    message = caught.value.messages[0]
    assert "模板 street 的点位类型 harbour 不存在" in message
    assert "模板 market 的检查项编码 market-01 重复" in message


def test_an_unreadable_file_is_refused_by_name(tmp_path: Path) -> None:
    broken = tmp_path / "check_templates.json"
    broken.write_text('{"templates": [{"code": "street"}]}', encoding="utf-8")
    with pytest.raises(ValidationError, match=r"check_templates\.json"):
        read_check_templates(broken)


def test_standard_items_are_linked_when_the_2021_standard_is_loaded() -> None:
    standards_load_shipped()
    check_templates_load_shipped()
    links = dict(CheckItem.objects.values_list("code", "standard_item__code"))
    assert (links["street-01"], links["street-04"], links["toilet-01"]) == ("N21-10", "N21-11", "N21-15")
    assert links["small_food-05"] == "N21-35"
    assert links["market-01"] is None
    shipped = {i.code: i.standard_item for t in read_check_templates() for i in t.items}
    assert {code: link or "" for code, link in links.items()} == shipped
    linked = CheckItem.objects.filter(standard_item__isnull=False)
    assert not linked.exclude(standard_item__standard__code="NHC2021").exists()  # never NHC2014
    assert "尚未载入" not in load()


def test_without_the_standard_items_stay_unlinked_until_an_update() -> None:
    check_templates_load_shipped()
    assert not CheckItem.objects.filter(standard_item__isnull=False).exists()
    standards_load_shipped()
    output = load()
    assert "与随附文件不同（未改） 检查项 street-01" in output
    assert "对应标准条款：（空） → N21-10" in output
    assert not CheckItem.objects.filter(standard_item__isnull=False).exists()
    load("--update")
    assert CheckItem.objects.filter(code="street-01", standard_item__code="N21-10").exists()


def test_an_unknown_standard_item_is_refused_once_the_standard_is_loaded(tmp_path: Path) -> None:
    def change(content: Any) -> None:
        content["templates"][0]["items"][0]["standard_item"] = "N21-99"

    path = edited_file(tmp_path, change)
    check_templates_load_shipped(path=path)  # no standard yet: nothing to check the code against
    CheckTemplate.objects.all().delete()
    standards_load_shipped()
    with pytest.raises(ValidationError, match="street-01：标准条款 N21-99 不在 NHC2021 中"):
        check_templates_load_shipped(path=path)
    assert not CheckTemplate.objects.exists()


def test_the_command_reports_missing_categories_as_a_command_error() -> None:
    ProblemCategory.objects.filter(parent__isnull=False).delete()
    with pytest.raises(CommandError, match="请先运行 load_problem_categories"):
        load()


def test_every_shipped_item_says_what_is_wrong_in_its_own_words() -> None:
    items = [item for template in read_check_templates() for item in template.items]
    assert all(item.problem and item.problem != item.text for item in items)
    wording = {item.code: item.problem for item in items}
    assert wording["street-06"] == "存在暴露垃圾、卫生死角"
    assert wording["urban_village-08"] == "井盖缺损"


def test_the_migration_gives_existing_shipped_items_their_problem_wording() -> None:
    from importlib import import_module

    from django.apps import apps as django_apps

    migration = import_module("apps.patrols.migrations.0002_check_item_problem_wording")
    check_templates_load_shipped()
    street = CheckTemplate.objects.get(code="street")
    own = CheckItem.objects.create(
        template=street,
        code="city-01",
        text="共享单车停放有序",
        category=ProblemCategory.objects.get(code="SR-10"),
    )
    CheckItem.objects.update(problem="")
    migration.fill_from_shipped_file(django_apps, None)
    assert CheckItem.objects.get(code="street-06").problem == "存在暴露垃圾、卫生死角"
    assert CheckItem.objects.filter(problem="").get() == own  # the city's own item is left for the office
