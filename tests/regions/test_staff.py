"""Placement rules for staff (apps/regions/services/staff.py): which roles need a unit, which a 管辖区域 of
which level; refusals name the field in Chinese and write nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from apps.accounts.models import User, UserRole
from apps.accounts.roles import Role
from apps.regions.scope import territory_scope
from apps.regions.services import staff_create, staff_set_roles
from tests.accounts.factories import PASSWORD
from tests.conftest import World

UNIT_NEEDED = "责任单位角色须指定所属单位。"
STREET_NEEDED = "街道角色须指定一个街道作为管辖区域。"
COMMUNITY_NEEDED = "社区角色须指定一个社区作为管辖区域。"
BOTH = {"unit": [UNIT_NEEDED], "scope_region": [COMMUNITY_NEEDED]}
NOT_A_GRID = "管辖区域不能是网格；网格员请在网格员分配中指定。"


def _create(world: World, roles: set[str], unit: str | None = None, scope: str | None = None) -> User:
    return staff_create(
        username="new_staff",
        password=PASSWORD,
        roles=roles,
        unit=getattr(world, unit) if unit else None,
        scope_region=getattr(world, scope) if scope else None,
    )


def _rows() -> tuple[int, int]:
    return User.objects.count(), UserRole.objects.count()


@pytest.mark.parametrize(
    ("roles", "unit", "scope"),
    [
        ({Role.OFFICE}, None, None),
        ({Role.LEADER, Role.INSPECTOR}, None, None),
        ({Role.GRID_WORKER}, None, None),
        ({Role.UNIT}, "unit_city", None),
        ({Role.STREET}, None, "street"),
        ({Role.COMMUNITY}, None, "community"),
        ({Role.UNIT, Role.STREET}, "unit_market", "street_b"),
    ],
)
def test_each_role_with_the_place_it_needs_is_created(
    world: World, roles: set[str], unit: str | None, scope: str | None
) -> None:
    user = _create(world, roles, unit, scope)
    assert user.role_codes == roles
    assert user.unit == (getattr(world, unit) if unit else None)
    assert user.scope_region == (getattr(world, scope) if scope else None)


@pytest.mark.parametrize(
    ("roles", "unit", "scope", "errors"),
    [
        ({Role.UNIT}, None, None, {"unit": [UNIT_NEEDED]}),
        ({Role.UNIT}, None, "street", {"unit": [UNIT_NEEDED]}),
        ({Role.STREET}, None, None, {"scope_region": [STREET_NEEDED]}),
        ({Role.STREET}, "unit_city", "community", {"scope_region": [STREET_NEEDED]}),
        ({Role.STREET}, None, "district", {"scope_region": [STREET_NEEDED]}),
        ({Role.COMMUNITY}, None, None, {"scope_region": [COMMUNITY_NEEDED]}),
        ({Role.COMMUNITY}, None, "street", {"scope_region": [COMMUNITY_NEEDED]}),
        ({Role.COMMUNITY}, None, "grid", {"scope_region": [COMMUNITY_NEEDED]}),
        ({Role.UNIT, Role.COMMUNITY}, None, None, BOTH),
        # One 管辖区域 cannot be both a 街道 and a 社区, so the pair is always refused.
        ({Role.STREET, Role.COMMUNITY}, None, "street", {"scope_region": [COMMUNITY_NEEDED]}),
        ({Role.STREET, Role.COMMUNITY}, None, "community", {"scope_region": [STREET_NEEDED]}),
    ],
)
def test_a_role_without_its_unit_or_territory_is_refused_and_nothing_is_written(
    world: World, roles: set[str], unit: str | None, scope: str | None, errors: dict[str, list[str]]
) -> None:
    before = _rows()
    with pytest.raises(ValidationError) as refused:
        _create(world, roles, unit, scope)
    assert refused.value.message_dict == errors
    assert _rows() == before


def test_a_grid_is_never_a_scope_region_even_for_a_role_without_rules(world: World) -> None:
    before = _rows()
    with pytest.raises(ValidationError) as refused:
        _create(world, {Role.GRID_WORKER}, scope="grid")
    assert refused.value.message_dict == {"scope_region": [NOT_A_GRID]}
    assert _rows() == before


def test_the_admin_role_may_sign_in_to_the_admin(world: World) -> None:
    assert _create(world, {Role.ADMIN}).is_staff
    assert not staff_create(username="plain", password=PASSWORD, roles={Role.OFFICE}).is_staff


def test_setting_roles_the_users_place_does_not_allow_is_refused_and_keeps_the_old_ones(
    world: World, actors: dict[str, User]
) -> None:
    user = actors["unit"]
    with pytest.raises(ValidationError) as refused:
        staff_set_roles(user=user, roles={Role.UNIT, Role.STREET})
    assert refused.value.message_dict == {"scope_region": [STREET_NEEDED]}
    assert set(User.objects.get(pk=user.pk).role_codes) == {Role.UNIT}


def test_setting_roles_recomputes_what_the_user_sees(world: World, actors: dict[str, Any]) -> None:
    user = actors["street"]
    assert territory_scope(user).subtree_paths == (world.street.path,)
    staff_set_roles(user=user, roles={Role.LEADER})
    assert user.role_codes == {Role.LEADER}
    assert territory_scope(user).everything
    assert set(UserRole.objects.filter(user=user).values_list("role", flat=True)) == {Role.LEADER}
