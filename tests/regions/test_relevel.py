"""region_relevel: after the admin moves a region in the tree, its level follows the depth it sits at."""

from __future__ import annotations

from apps.regions.models import Level, Region
from apps.regions.services import region_relevel
from tests.conftest import World


def test_a_region_already_at_its_level_is_left_alone(world: World) -> None:
    # A level that does not match the depth cannot be stored (region_level_matches_depth), so only the
    # no-op is observable here; the admin calls this after treebeard has moved the node.
    region_relevel(region=world.community)
    assert Region.objects.get(pk=world.community.pk).level == Level.COMMUNITY
