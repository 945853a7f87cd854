"""Which check items a point is walked with: its type's templates, then those for every point (病媒)."""

from __future__ import annotations

from collections.abc import Iterable

from apps.patrols.models import CheckItem, CheckTemplate
from apps.regions.models import Point


def templates_for_type(point_type: str, templates: Iterable[CheckTemplate]) -> list[CheckTemplate]:
    """The active templates that apply to a point type, specific ones first."""
    active = [template for template in templates if template.is_active]
    specific = [template for template in active if point_type in template.point_types]
    general = [template for template in active if template.applies_to_every_point]
    return specific + general


def items_for_point(point: Point) -> list[CheckItem]:
    """The active check items of every template that applies to the point, in template order."""
    templates = templates_for_type(point.type, CheckTemplate.objects.all())
    items = CheckItem.objects.filter(template__in=templates, is_active=True).select_related("category")
    order = {template.pk: index for index, template in enumerate(templates)}
    return sorted(items, key=lambda item: (order[item.template_id], item.order, item.pk))
