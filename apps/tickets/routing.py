"""Which unit a ticket goes to: the most specific routing rule, else the category's default unit type."""

from __future__ import annotations

from apps.regions.models import Region, Unit
from apps.regions.querysets import ancestor_paths
from apps.tickets.models import ProblemCategory, RoutingRule


def route(category: ProblemCategory, region: Region) -> Unit | None:
    """The rule on the deepest region containing `region` wins, then a 小类 rule over its 大类's rule;
    without a rule, the single active city-level unit of the category's default type."""
    paths = [*ancestor_paths(region.path), region.path]
    categories = [category.pk] + ([category.parent_id] if category.parent_id else [])
    rules = RoutingRule.objects.filter(
        region__path__in=paths, category_id__in=categories, unit__is_active=True
    ).select_related("unit", "region")
    best = max(
        rules,
        key=lambda rule: (rule.region.depth, rule.category_id == category.pk),
        default=None,
    )
    if best is not None:
        return best.unit
    unit: Unit | None = Unit.objects.the_one_of_type(category.unit_type)
    return unit
