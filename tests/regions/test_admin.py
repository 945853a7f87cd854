"""Grid assignments and pairings made in the admin go through the territory services (right, scope cache)."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import Role, User
from apps.regions.models import GridAssignment, Pairing, PairingKind, Region
from apps.regions.scope import forget_scope, territory_scope
from tests.accounts.factories import admin_staff
from tests.conftest import World

ASSIGNMENT_PERMS = ["add_gridassignment", "delete_gridassignment", "view_gridassignment"]
PAIRING_PERMS = ["add_pairing", "delete_pairing", "view_pairing"]


@pytest.fixture
def admin_client(client: Client, actors: dict[str, User]) -> Client:
    """Signed in as the superuser (the office's admin role)."""
    client.force_login(actors["admin"])
    return client


@pytest.fixture
def forgotten() -> Any:
    """Records whose cached scope the territory services drop (and still drops it)."""
    with mock.patch("apps.regions.services.territory.forget_scope", wraps=forget_scope) as spy:
        yield spy


def forgotten_pks(spy: Any) -> set[int]:
    return {call.args[0].pk for call in spy.call_args_list}


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def street_staff(world: World, perms: list[str]) -> User:
    """东湖街道 staff with admin access: may change the grids of 东湖街道, not those of 西山街道."""
    return admin_staff(Role.STREET, perms=perms, username="t_staff_street", scope_region=world.street)


def test_assigning_a_grid_worker_in_the_admin_goes_through_the_service(
    admin_client: Client, world: World, actors: dict[str, User], forgotten: Any
) -> None:
    worker = actors["grid"]
    assert world.grid3.pk not in territory_scope(worker).grid_ids  # cached on this object now
    url = reverse("admin:regions_gridassignment_add")
    response = admin_client.post(url, {"grid": world.grid3.pk, "worker": worker.pk, "_save": "保存"})
    assert response.status_code == 302
    assert GridAssignment.objects.filter(grid=world.grid3, worker=worker).exists()
    assert forgotten_pks(forgotten) == {worker.pk}
    fresh = User.objects.get(pk=worker.pk)
    assert set(Region.objects.visible_to(fresh).grids()) == {world.grid, world.grid3}


def test_removing_a_grid_worker_in_the_admin_goes_through_the_service(
    admin_client: Client, world: World, actors: dict[str, User], forgotten: Any
) -> None:
    assignment = GridAssignment.objects.get(grid=world.grid, worker=actors["grid"])
    url = reverse("admin:regions_gridassignment_delete", args=[assignment.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not GridAssignment.objects.filter(pk=assignment.pk).exists()
    assert forgotten_pks(forgotten) == {actors["grid"].pk}
    assert territory_scope(User.objects.get(pk=actors["grid"].pk)).grid_ids == frozenset()


def test_a_grid_outside_the_staff_members_street_is_refused_with_a_message(
    client: Client, world: World, actors: dict[str, User]
) -> None:
    client.force_login(street_staff(world, ASSIGNMENT_PERMS))
    url = reverse("admin:regions_gridassignment_add")
    response = client.post(url, {"grid": world.grid4.pk, "worker": actors["grid"].pk}, follow=True)
    assert response.status_code == 200
    assert "您没有修改此数据的权限。" in messages_of(response)
    assert not GridAssignment.objects.filter(grid=world.grid4).exists()


def test_a_bulk_removal_with_one_refused_row_removes_none(
    client: Client, world: World, actors: dict[str, User]
) -> None:
    far = GridAssignment.objects.create(grid=world.grid4, worker=actors["grid2"])
    near = GridAssignment.objects.get(grid=world.grid, worker=actors["grid"])
    client.force_login(street_staff(world, ASSIGNMENT_PERMS))
    data = {"action": "delete_selected", "_selected_action": [near.pk, far.pk], "post": "yes"}
    response = client.post(reverse("admin:regions_gridassignment_changelist"), data, follow=True)
    assert "您没有修改此数据的权限。" in messages_of(response)
    assert GridAssignment.objects.filter(pk__in=[near.pk, far.pk]).count() == 2


def test_a_bulk_removal_within_the_staff_members_street_removes_them(
    client: Client, world: World, actors: dict[str, User], forgotten: Any
) -> None:
    client.force_login(street_staff(world, ASSIGNMENT_PERMS))
    rows = list(
        GridAssignment.objects.filter(grid__in=[world.grid, world.grid2]).values_list("pk", flat=True)
    )
    data = {"action": "delete_selected", "_selected_action": rows, "post": "yes"}
    client.post(reverse("admin:regions_gridassignment_changelist"), data)
    assert not GridAssignment.objects.filter(pk__in=rows).exists()
    assert forgotten_pks(forgotten) == {actors["grid"].pk, actors["grid2"].pk}


def test_an_assignment_cannot_be_edited_in_place(
    admin_client: Client, world: World, actors: dict[str, User]
) -> None:
    assignment = GridAssignment.objects.get(grid=world.grid, worker=actors["grid"])
    url = reverse("admin:regions_gridassignment_change", args=[assignment.pk])
    assert admin_client.post(url, {"grid": world.grid4.pk, "worker": actors["grid"].pk}).status_code == 403
    assignment.refresh_from_db()
    assert assignment.grid == world.grid


def test_pairing_a_unit_in_the_admin_widens_its_staffs_territory(
    admin_client: Client, world: World, actors: dict[str, User], forgotten: Any
) -> None:
    data = {
        "region": world.community_c.pk,
        "kind": PairingKind.UNIT,
        "unit": world.unit_city.pk,
        "note": "挂钩",
    }
    assert admin_client.post(reverse("admin:regions_pairing_add"), data).status_code == 302
    pairing = Pairing.objects.get(region=world.community_c, unit=world.unit_city)
    assert pairing.note == "挂钩"
    assert actors["admin"].pk in forgotten_pks(forgotten)
    staff = User.objects.get(pk=actors["unit"].pk)
    assert territory_scope(staff).subtree_paths == (world.community_c.path,)


def test_pairing_a_leader_in_the_admin_drops_the_leaders_cached_scope(
    admin_client: Client, world: World, actors: dict[str, User], forgotten: Any
) -> None:
    data = {"region": world.street.pk, "kind": PairingKind.LEADER, "user": actors["leader"].pk}
    admin_client.post(reverse("admin:regions_pairing_add"), data)
    assert Pairing.objects.filter(region=world.street, user=actors["leader"]).exists()
    assert forgotten_pks(forgotten) == {actors["admin"].pk, actors["leader"].pk}


def test_a_pairing_outside_the_staff_members_street_is_neither_made_nor_removed(
    client: Client, world: World, actors: dict[str, User]
) -> None:
    far = Pairing.objects.create(region=world.community_c, kind=PairingKind.UNIT, unit=world.unit_market)
    client.force_login(street_staff(world, PAIRING_PERMS))
    data = {"region": world.community_c.pk, "kind": PairingKind.UNIT, "unit": world.unit_city.pk}
    response = client.post(reverse("admin:regions_pairing_add"), data, follow=True)
    assert "您没有修改此数据的权限。" in messages_of(response)
    assert not Pairing.objects.filter(unit=world.unit_city).exists()
    response = client.post(
        reverse("admin:regions_pairing_delete", args=[far.pk]), {"post": "yes"}, follow=True
    )
    assert "您没有修改此数据的权限。" in messages_of(response)
    assert Pairing.objects.filter(pk=far.pk).exists()


def test_removing_a_pairing_in_the_admin_narrows_the_units_territory(
    client: Client, world: World, actors: dict[str, User], forgotten: Any
) -> None:
    near = Pairing.objects.create(region=world.community, kind=PairingKind.UNIT, unit=world.unit_city)
    staff = street_staff(world, PAIRING_PERMS)
    client.force_login(staff)
    assert (
        client.post(reverse("admin:regions_pairing_delete", args=[near.pk]), {"post": "yes"}).status_code
        == 302
    )
    assert not Pairing.objects.filter(pk=near.pk).exists()
    assert forgotten_pks(forgotten) == {staff.pk}
    assert territory_scope(User.objects.get(pk=actors["unit"].pk)).subtree_paths == ()
