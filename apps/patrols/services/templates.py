"""The office edits a check item or adds one to a template (巡查模板 page).

Items are never deleted: findings and check results point at them, so an item that no longer applies is
switched off. An item's category only decides the category of findings filed from now on; stored findings
keep their own. Items the city adds get a `city-NN` code, which the shipped template file never uses, so
reloading the shipped file (check_templates_load_shipped) neither collides with nor overwrites them.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from apps.accounts.models import User
from apps.checklists.models import Item
from apps.patrols.models import CheckItem, CheckTemplate
from apps.tickets.models import ProblemCategory

CITY_CODE_PREFIX = "city-"


@transaction.atomic
def check_item_update(
    *,
    actor: User,
    item: CheckItem,
    text: str,
    problem: str,
    category: ProblemCategory,
    standard_item: Item | None,
    deduction: str,
    is_active: bool,
) -> CheckItem:
    """Change an item's wording, category (an active 小类), standard item, deduction and whether it is on."""
    _require_office(actor)
    item = CheckItem.objects.select_for_update().get(pk=item.pk)
    _check_category(category, current=item.category_id)
    item.text = text.strip()
    item.problem = problem.strip()
    item.category = category
    item.standard_item = standard_item
    item.deduction = deduction.strip()
    item.is_active = is_active
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def check_item_add(
    *,
    actor: User,
    template: CheckTemplate,
    text: str,
    problem: str,
    category: ProblemCategory,
    standard_item: Item | None = None,
    deduction: str = "",
) -> CheckItem:
    """Append an active item to a template, with the next free `city-NN` code."""
    _require_office(actor)
    template = CheckTemplate.objects.select_for_update().get(pk=template.pk)
    _check_category(category)
    last = template.items.aggregate(last=Max("order"))["last"] or 0
    item = CheckItem(
        template=template,
        code=_next_city_code(template),
        text=text.strip(),
        problem=problem.strip(),
        category=category,
        standard_item=standard_item,
        deduction=deduction.strip(),
        order=last + 1,
    )
    item.full_clean()
    item.save()
    return item


def _require_office(actor: User) -> None:
    """Only the 创卫办 changes the templates every grid worker walks with."""
    if not actor.manages_everything:
        raise PermissionDenied("只有创卫办可以修改巡查模板。")


def _check_category(category: ProblemCategory, *, current: int | None = None) -> None:
    """A finding is filed under an active 小类, so an item must name one.

    An item already on a category that was switched off may keep it while other fields change (it is
    refused only when newly chosen), so that turning the item off is not blocked by its own category.
    """
    if category.pk == current:
        return
    if category.parent_id is None or not category.is_active:
        raise ValidationError({"category": "请选择一个启用中的问题小类（不能选大类或已停用的类别）。"})


def _next_city_code(template: CheckTemplate) -> str:
    """`city-01`, `city-02`, … : the first number not yet used in the template."""
    used = set(template.items.filter(code__startswith=CITY_CODE_PREFIX).values_list("code", flat=True))
    number = len(used) + 1
    while f"{CITY_CODE_PREFIX}{number:02d}" in used:
        number += 1
    return f"{CITY_CODE_PREFIX}{number:02d}"
