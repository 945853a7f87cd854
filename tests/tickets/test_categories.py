"""The shipped problem categories: what they hold, loading twice, and what --update may overwrite."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from apps.calendars.models import DeadlineUnit
from apps.core.sync import Action
from apps.regions.models import UnitType
from apps.tickets.categories import SHIPPED, read_categories
from apps.tickets.deadlines import deadline_for
from apps.tickets.models import ProblemCategory
from apps.tickets.services.categories import problem_categories_load_shipped

COUNTS = {"市容环境": 27, "食品": 5, "公共场所": 4, "病媒": 5, "健康教育": 4}


def load(*args: str) -> str:
    out = io.StringIO()
    call_command("load_problem_categories", *args, stdout=out)
    return out.getvalue()


def limit(code: str) -> tuple[int, str] | None:
    return ProblemCategory.objects.select_related("parent").get(code=code).time_limit


def test_the_shipped_file_gives_five_main_categories_with_their_subcategories(db: Any) -> None:
    rows = problem_categories_load_shipped()
    assert {row.action for row in rows} == {Action.CREATE}
    mains = ProblemCategory.objects.filter(parent__isnull=True)
    assert {c.name: c.children.count() for c in mains} == COUNTS
    assert list(mains.values_list("code", flat=True)) == ["SR", "SP", "GG", "BM", "JK"]
    assert ProblemCategory.objects.get(code="SR-01").name == "暴露垃圾"


def test_every_subcategory_has_a_time_limit_and_a_unit_type(db: Any) -> None:
    problem_categories_load_shipped()
    for category in ProblemCategory.objects.leaves().select_related("parent"):
        assert category.time_limit is not None, category.code
        assert category.unit_type in UnitType.values, category.code


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("SR-01", (4, DeadlineUnit.WORK_HOUR)),  # 暴露垃圾
        ("SR-02", (4, DeadlineUnit.WORK_DAY)),  # 积存垃圾渣土
        ("SR-03", (5, DeadlineUnit.WORK_HOUR)),  # 道路不洁
        ("SR-04", (15, DeadlineUnit.WORK_DAY)),  # 水域不洁
        ("SR-17", (15, DeadlineUnit.WORK_DAY)),  # 私搭乱建 (违法搭建)
        ("SR-07", (2, DeadlineUnit.WORK_DAY)),  # 乱张贴乱涂写: the 大类's [I] limit
    ],
)
def test_sourced_limits_are_on_the_subcategory_and_others_use_the_main_category(
    db: Any, code: str, expected: tuple[int, str]
) -> None:
    problem_categories_load_shipped()
    assert limit(code) == expected


def test_subcategories_override_the_unit_type_only_where_another_department_is_responsible(db: Any) -> None:
    problem_categories_load_shipped()
    types = {c.code: c.unit_type for c in ProblemCategory.objects.leaves().select_related("parent")}
    assert (types["SR-01"], types["SR-04"], types["SR-05"]) == ("urban_mgmt", "water", "garden")
    assert (types["SP-01"], types["GG-01"], types["JK-04"]) == ("market", "health", "market")
    assert (types["SR-20"], types["SR-21"], types["GG-04"]) == ("housing", "housing", "health")


def test_loading_twice_changes_nothing(db: Any) -> None:
    assert "新增 50 个" in load()
    before = list(ProblemCategory.objects.values())
    output = load()
    assert "新增 0 个、修改 0 个、不变 50 个、与随附文件不同而未改 0 个" in output
    assert list(ProblemCategory.objects.values()) == before


def test_a_limit_edited_in_the_admin_survives_a_reload_and_is_reported(db: Any) -> None:
    problem_categories_load_shipped()
    ProblemCategory.objects.filter(code="SR-01").update(deadline_value=6)
    output = load()
    assert "与随附文件不同而未改 1 个" in output
    assert "SR-01 暴露垃圾（处置时限：6 工作时 → 4 工作时）" in output
    assert "加 --update" in output
    assert limit("SR-01") == (6, DeadlineUnit.WORK_HOUR)


def test_update_brings_edited_categories_back_in_line_with_the_file(db: Any) -> None:
    problem_categories_load_shipped()
    ProblemCategory.objects.filter(code="SR-04").update(default_unit_type="urban_mgmt", name="河道不洁")
    output = load("--update")
    assert "修改 1 个" in output
    assert "名称：河道不洁 → 水域不洁" in output
    assert "默认责任单位类型：城管 → 水务" in output
    category = ProblemCategory.objects.get(code="SR-04")
    assert (category.name, category.default_unit_type) == ("水域不洁", "water")


def test_missing_categories_are_created_and_the_citys_own_are_kept(db: Any) -> None:
    problem_categories_load_shipped()
    ProblemCategory.objects.filter(code="JK-04").delete()
    own = ProblemCategory.objects.create(
        code="SR-90", name="共享单车乱停放", parent=ProblemCategory.objects.get(code="SR"), order=90
    )
    rows = problem_categories_load_shipped()
    assert [(row.key, row.action) for row in rows if row.action != Action.SAME] == [("JK-04", Action.CREATE)]
    problem_categories_load_shipped(update_existing=True)
    assert ProblemCategory.objects.filter(pk=own.pk, is_active=True).exists()


def test_a_deactivated_category_stays_deactivated(db: Any) -> None:
    problem_categories_load_shipped()
    ProblemCategory.objects.filter(code="SR-08").update(is_active=False)
    problem_categories_load_shipped(update_existing=True)
    assert not ProblemCategory.objects.get(code="SR-08").is_active


def test_an_invalid_entry_rolls_the_whole_load_back(db: Any, tmp_path: Path) -> None:
    content = json.loads(SHIPPED.read_text(encoding="utf-8"))
    content["categories"][-1]["children"][-1]["default_unit_type"] = "no_such_type"
    broken = tmp_path / "categories.json"
    broken.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValidationError, match="JK-04"):
        problem_categories_load_shipped(path=broken)
    assert not ProblemCategory.objects.exists()


def test_an_unreadable_file_is_refused_by_name(tmp_path: Path) -> None:
    broken = tmp_path / "categories.json"
    broken.write_text('{"categories": [{"code": "SR"}]}', encoding="utf-8")
    with pytest.raises(ValidationError, match=r"categories\.json"):
        read_categories(broken)


def test_the_command_reports_a_bad_file_as_a_command_error(db: Any, monkeypatch: Any) -> None:
    def refuse(**kwargs: Any) -> None:
        raise ValidationError("问题类别 X：坏了")

    monkeypatch.setattr(
        "apps.tickets.management.commands.load_problem_categories.problem_categories_load_shipped", refuse
    )
    with pytest.raises(CommandError, match="坏了"):
        load()


def test_the_sourced_time_limits_are_on_their_categories(db: Any) -> None:
    problem_categories_load_shipped()
    limits = {
        c.code: (c.deadline_value, c.deadline_unit)
        for c in ProblemCategory.objects.filter(code__in=["SR-15", "SR-25", "SR-26", "SR-27"])
    }
    assert limits == {
        "SR-15": (6, "hour"),  # 井盖: 6 hours round the clock
        "SR-25": (4, "work_hour"),
        "SR-26": (2, "work_day"),
        "SR-27": (2, "work_hour"),
    }


def test_a_manhole_reported_on_saturday_night_is_due_six_hours_later(db: Any) -> None:
    problem_categories_load_shipped()
    manhole = ProblemCategory.objects.get(code="SR-15")
    saturday_night = datetime(2026, 11, 28, 22, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    deadline, _ = deadline_for(manhole, saturday_night)
    assert deadline == saturday_night + timedelta(hours=6)
