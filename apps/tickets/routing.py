"""Which unit a ticket goes to: the most specific routing rule, else the category's default unit type.

Every report reads this, and the rules change a few times a year: the whole table (rules with their units,
and the one city-level unit of each type) is kept in the cache, and dropped whenever a rule, a unit or a
region is saved or deleted (signals below, again on commit), with a short lifetime as a safety net.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from apps.regions.models import Region, Unit
from apps.regions.querysets import ancestor_paths
from apps.tickets.models import ProblemCategory, RoutingRule

CACHE_KEY = "tickets:routing-table:v1"
CACHE_SECONDS = 300


@dataclass
class RoutingTable:
    """The rules as (region path, category id) → (region depth, unit), and the default unit per unit type."""

    rules: dict[tuple[str, int], tuple[int, Unit]] = field(default_factory=dict)
    defaults: dict[str, Unit | None] = field(default_factory=dict)


def route(category: ProblemCategory, region: Region) -> Unit | None:
    """The rule on the deepest region containing `region` wins, then a 小类 rule over its 大类's rule;
    without a rule, the single active city-level unit of the category's default type."""
    table = routing_table()
    paths = [*ancestor_paths(region.path), region.path]
    categories = [category.pk] + ([category.parent_id] if category.parent_id else [])
    best: tuple[int, bool] | None = None
    chosen: Unit | None = None
    for path in paths:
        for category_id in categories:
            found = table.rules.get((path, category_id))
            if found is None:
                continue
            depth, unit = found
            if best is None or (depth, category_id == category.pk) > best:
                best, chosen = (depth, category_id == category.pk), unit
    if chosen is not None:
        return chosen
    return table.defaults.get(category.unit_type)


def routing_table() -> RoutingTable:
    """The cached table, read from the database when missing (two queries)."""
    table: RoutingTable | None = cache.get(CACHE_KEY)
    if table is None:
        table = _read_table()
        cache.set(CACHE_KEY, table, CACHE_SECONDS)
    return table


def _read_table() -> RoutingTable:
    """Every rule whose unit is active, and the city-level units by type."""
    table = RoutingTable()
    for rule in RoutingRule.objects.filter(unit__is_active=True).select_related("unit", "region"):
        table.rules[(rule.region.path, rule.category_id)] = (rule.region.depth, rule.unit)
    by_type: dict[str, list[Unit]] = {}
    for unit in Unit.objects.active().city_level().order_by("pk"):
        by_type.setdefault(unit.type, []).append(unit)
    # Only a type with exactly one active city-level unit has a default (Unit.objects.the_one_of_type).
    table.defaults = {
        unit_type: units[0] if len(units) == 1 else None for unit_type, units in by_type.items()
    }
    return table


def forget_routing() -> None:
    """Drop the cached table now and again when the transaction commits (a read in between may refill it)."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


@receiver([post_save, post_delete], sender=RoutingRule, dispatch_uid="routing-rule-changed")
@receiver([post_save, post_delete], sender=Unit, dispatch_uid="routing-unit-changed")
@receiver([post_save, post_delete], sender=Region, dispatch_uid="routing-region-changed")
def _changed(**kwargs: object) -> None:
    """Any change to what routing reads."""
    forget_routing()
