"""/patrols/templates/: the check templates page and the office's item edits through the page and services."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.accounts.models import User
from apps.patrols.models import CheckItem, CheckTemplate
from apps.patrols.services.templates import check_item_add, check_item_update
from tests.patrols.conftest import TEMPLATES, text
from tests.patrols.factories import Templates
from tests.tickets.factories import ProblemCategoryFactory

pytestmark = pytest.mark.django_db


# --- check templates ---


def item_post(templates: Templates, **overrides: Any) -> dict[str, Any]:
    data = {
        "text": "垃圾桶加盖、无满溢、无异味",
        "problem": "垃圾桶未加盖、满溢或有异味",
        "category": templates.categories.garbage.pk,
        "standard_item": "",
        "deduction": "每处扣 0.5 分",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_templates_page_lists_templates_items_and_edit_links_for_the_office(
    login: Any, templates: Templates
) -> None:
    html = text(login("office").get(TEMPLATES))
    assert "农贸市场" in html
    assert "全部点位" in html  # 病媒 applies everywhere
    assert "直接入口食品三防" in html
    assert reverse("patrols:item-edit", args=[templates.garbage_item.pk]) in html
    assert "直接入口食品缺三防设施" in html  # what a finding on it will say
    leader = text(login("leader").get(TEMPLATES))
    assert "直接入口食品三防" in leader
    assert reverse("patrols:item-edit", args=[templates.garbage_item.pk]) not in leader


def test_office_edits_an_item(login: Any, templates: Templates) -> None:
    url = reverse("patrols:item-edit", args=[templates.garbage_item.pk])
    response = login("office").post(url, item_post(templates, category=templates.categories.food_safety.pk))
    assert response.status_code == 302
    item = CheckItem.objects.get(pk=templates.garbage_item.pk)
    assert (item.text, item.category, item.deduction, item.is_active) == (
        "垃圾桶加盖、无满溢、无异味",
        templates.categories.food_safety,
        "每处扣 0.5 分",
        True,
    )
    login("office").post(url, item_post(templates, is_active=""))
    assert not CheckItem.objects.get(pk=templates.garbage_item.pk).is_active


@pytest.mark.parametrize("name", ["leader", "inspector", "street", "grid", "unit"])
def test_only_the_office_may_edit_or_add_items(login: Any, templates: Templates, name: str) -> None:
    client = login(name)
    edit = reverse("patrols:item-edit", args=[templates.garbage_item.pk])
    add = reverse("patrols:item-add", args=[templates.market.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, item_post(templates, text="改了")).status_code == 403
    assert client.post(add, item_post(templates, text="新的")).status_code == 403
    assert CheckItem.objects.get(pk=templates.garbage_item.pk).text == "垃圾桶加盖、无满溢"
    assert CheckItem.objects.count() == 3


def test_a_main_or_inactive_category_is_refused_in_chinese(login: Any, templates: Templates) -> None:
    switched_off = ProblemCategoryFactory(
        name="已停用小类",
        parent=templates.categories.city_appearance,
        is_active=False,
        deadline_value=1,
        deadline_unit="work_day",
    )
    url = reverse("patrols:item-edit", args=[templates.garbage_item.pk])
    for bad in (templates.categories.city_appearance, switched_off):
        response = login("office").post(url, item_post(templates, category=bad.pk))
        assert response.status_code == 200
        assert "请选择一个启用中的问题小类" in text(response)
    item = CheckItem.objects.get(pk=templates.garbage_item.pk)
    assert (item.text, item.category_id) == ("垃圾桶加盖、无满溢", templates.categories.garbage.pk)


def test_an_empty_text_is_refused(login: Any, templates: Templates) -> None:
    url = reverse("patrols:item-edit", args=[templates.garbage_item.pk])
    response = login("office").post(url, item_post(templates, text="  "))
    assert response.status_code == 200
    assert "该字段是必填项" in text(response)
    assert CheckItem.objects.get(pk=templates.garbage_item.pk).text == "垃圾桶加盖、无满溢"


def test_office_adds_items_with_city_codes_at_the_end(login: Any, templates: Templates) -> None:
    url = reverse("patrols:item-add", args=[templates.market.pk])
    assert login("office").post(url, item_post(templates, text="地面无积水")).status_code == 302
    assert login("office").post(url, item_post(templates, text="排水沟通畅")).status_code == 302
    added = list(templates.market.items.filter(code__startswith="city-").order_by("order"))
    assert [(i.code, i.text, i.order, i.is_active) for i in added] == [
        ("city-01", "地面无积水", 3, True),
        ("city-02", "排水沟通畅", 4, True),
    ]


def test_template_services_check_the_actor_and_the_category(
    actors: dict[str, User], templates: Templates
) -> None:
    item = templates.garbage_item
    with pytest.raises(PermissionDenied):
        check_item_update(
            actor=actors["leader"],
            item=item,
            text="x",
            problem="y",
            category=templates.categories.garbage,
            standard_item=None,
            deduction="",
            is_active=True,
        )
    with pytest.raises(ValidationError) as refused:
        check_item_add(
            actor=actors["office"],
            template=templates.market,
            text="x",
            problem="y",
            category=templates.categories.food,
        )
    assert "请选择一个启用中的问题小类" in str(refused.value)
    assert CheckItem.objects.count() == 3


def test_an_item_may_keep_a_category_switched_off_since(
    actors: dict[str, User], templates: Templates
) -> None:
    garbage = templates.categories.garbage
    type(garbage).objects.filter(pk=garbage.pk).update(is_active=False)
    garbage.refresh_from_db()
    item = check_item_update(
        actor=actors["office"],
        item=templates.garbage_item,
        text="垃圾桶加盖",
        problem="垃圾桶未加盖",
        category=garbage,
        standard_item=None,
        deduction="",
        is_active=False,
    )
    assert (item.category_id, item.is_active) == (garbage.pk, False)
    with pytest.raises(ValidationError):
        check_item_update(
            actor=actors["office"],
            item=templates.food_item,
            text="直接入口食品三防",
            problem="缺三防",
            category=garbage,
            standard_item=None,
            deduction="",
            is_active=True,
        )


def test_templates_page_shows_chinese_names_not_codes_or_sources(login: Any, templates: Templates) -> None:
    CheckTemplate.objects.filter(pk=templates.market.pk).update(source="[V] REFERENCE §5.2（S16）")
    html = text(login("office").get(TEMPLATES))
    assert "农贸市场" in html
    for internal in ["REFERENCE", "[V]", ">market<", "m-01"]:
        assert internal not in html
