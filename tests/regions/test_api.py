"""/api/v1/: token auth, /me/, and regions, units and points against the access matrix."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from apps.accounts.models import User
from apps.core.numbers import forget_all_numbers
from tests.accounts.factories import PASSWORD
from tests.api_errors import fields_of
from tests.conftest import World
from tests.regions.factories import PointFactory


@pytest.fixture
def api(actors: dict[str, User]) -> Any:
    """An API client authenticated with the named actor's token (anonymous for 'anon')."""

    def _api(name: str) -> APIClient:
        client = APIClient()
        if name != "anon":
            response = client.post(
                "/api/v1/auth/token/",
                {"username": actors[name].username, "password": PASSWORD},
                format="json",
            )
            assert response.status_code == 200, response.content
            client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
        return client

    return _api


def test_token_endpoint_returns_a_token_that_authenticates(api: Any) -> None:
    me = api("grid").get("/api/v1/me/")
    assert me.status_code == 200
    body = me.json()
    assert body["username"] == "t_grid"
    assert [r["label"] for r in body["roles"]] == ["网格员"]
    assert len(body["grid_ids"]) == 1


def test_token_endpoint_refuses_wrong_password_in_chinese(actors: dict[str, User]) -> None:
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "t_grid", "password": "wrong"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "用户名或密码错误。"


def test_token_endpoint_requires_both_fields(db: Any) -> None:
    response = APIClient().post("/api/v1/auth/token/", {"username": "x"}, format="json")
    assert response.status_code == 400
    assert "password" in fields_of(response)


@pytest.mark.parametrize(
    "path",
    ["/api/v1/me/", "/api/v1/regions/", "/api/v1/units/", "/api/v1/points/", "/api/schema/", "/api/docs/"],
)
def test_anonymous_gets_401(db: Any, path: str) -> None:
    assert APIClient().get(path).status_code == 401


def test_session_auth_works_for_the_browser(client: Any, actors: dict[str, User]) -> None:
    client.login(username="t_office", password=PASSWORD)
    assert client.get("/api/v1/me/").json()["username"] == "t_office"
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("office", {"p1", "p2", "p3", "p4"}),
        ("leader", {"p1", "p2", "p3", "p4"}),
        ("grid", {"p1"}),
        ("grid2", {"p2"}),
        ("unit", {"p1", "p3"}),
        ("street", {"p1", "p2", "p3"}),
        ("community", {"p1", "p2"}),
        ("street_other", {"p4"}),
    ],
)
def test_point_list_is_scoped(api: Any, world: World, name: str, expected: set[str]) -> None:
    body = api(name).get("/api/v1/points/").json()
    ids = {r["id"] for r in body["results"]}
    assert body["count"] == len(expected)
    assert ids == {getattr(world, p).pk for p in expected}


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("anon", 401),
        ("grid", 404),
        ("unit", 404),
        ("street_other", 404),
        ("grid2", 200),
        ("leader", 200),
        ("office", 200),
    ],
)
def test_point_detail_access(api: Any, world: World, name: str, status: int) -> None:
    assert api(name).get(f"/api/v1/points/{world.p2.pk}/").status_code == status


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("anon", 401),
        ("grid2", 404),
        ("unit_other", 404),
        ("leader", 403),
        ("inspector", 403),
        ("grid", 403),
        ("unit", 403),
        ("street", 200),
        ("office", 200),
    ],
)
def test_point_patch_access(api: Any, world: World, name: str, status: int) -> None:
    response = api(name).patch(f"/api/v1/points/{world.p1.pk}/", {"address": "东湖路1号"}, format="json")
    assert response.status_code == status
    world.p1.refresh_from_db()
    assert (world.p1.address == "东湖路1号") == (status == 200)


def test_point_patch_rejects_bad_input_with_chinese_message(api: Any, world: World) -> None:
    response = api("office").patch(
        f"/api/v1/points/{world.p1.pk}/", {"lat": "123", "lng": "500"}, format="json"
    )
    assert response.status_code == 400
    assert "90" in str(fields_of(response)["lat"])
    world.p1.refresh_from_db()
    assert world.p1.lat != 123


def test_point_patch_cannot_move_a_point_out_of_the_editors_territory(api: Any, world: World) -> None:
    response = api("street").patch(f"/api/v1/points/{world.p1.pk}/", {"grid": world.grid4.pk}, format="json")
    assert response.status_code == 403
    world.p1.refresh_from_db()
    assert world.p1.grid_id == world.grid.pk


def test_point_delete_and_post_are_not_allowed(api: Any, world: World) -> None:
    client = api("office")
    assert client.delete(f"/api/v1/points/{world.p1.pk}/").status_code == 405
    assert client.post("/api/v1/points/", {}, format="json").status_code == 405


def test_point_list_filters(api: Any, world: World) -> None:
    client = api("office")
    assert client.get("/api/v1/points/", {"region": world.street_b.pk}).json()["count"] == 1
    assert client.get("/api/v1/points/", {"type": "toilet"}).json()["results"][0]["id"] == world.p3.pk
    assert client.get("/api/v1/points/", {"q": "面馆"}).json()["results"][0]["id"] == world.p4.pk
    assert client.get("/api/v1/points/", {"grid": world.grid2.pk}).json()["count"] == 1


@pytest.mark.parametrize(
    ("name", "count"),
    [("office", 11), ("grid", 1), ("street", 6), ("community", 3), ("unit", 2), ("street_other", 3)],
)
def test_region_list_is_scoped(api: Any, world: World, name: str, count: int) -> None:
    assert api(name).get("/api/v1/regions/").json()["count"] == count


def test_region_parent_is_resolved(api: Any, world: World) -> None:
    body = api("office").get(f"/api/v1/regions/{world.grid.pk}/").json()
    assert (body["parent"], body["level"], body["level_display"]) == (world.community.pk, "grid", "网格")


@pytest.mark.parametrize(
    ("name", "status"), [("grid2", 404), ("unit_other", 404), ("unit", 200), ("grid", 200), ("leader", 200)]
)
def test_region_detail_access(api: Any, world: World, name: str, status: int) -> None:
    assert api(name).get(f"/api/v1/regions/{world.grid.pk}/").status_code == status


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("office", {"unit_city", "unit_market"}),
        ("unit", {"unit_city"}),
        ("grid", {"unit_city"}),
        ("grid2", {"unit_market"}),
        ("street", {"unit_city", "unit_market"}),
    ],
)
def test_unit_list_is_scoped(api: Any, world: World, name: str, expected: set[str]) -> None:
    ids = {r["id"] for r in api(name).get("/api/v1/units/").json()["results"]}
    assert ids == {getattr(world, u).pk for u in expected}


@pytest.mark.parametrize("path", ["/api/v1/points/", "/api/v1/regions/", "/api/v1/units/"])
def test_api_list_query_count_does_not_grow_with_rows(api: Any, world: World, path: str) -> None:
    client = api("office")
    client.get(path)
    forget_all_numbers()  # every number computed, none remembered
    with CaptureQueriesContext(connection) as few:
        client.get(path)
    for _ in range(15):
        PointFactory(grid=world.grid3, responsible_unit=world.unit_market)
    forget_all_numbers()  # every number computed, none remembered
    with CaptureQueriesContext(connection) as many:
        client.get(path)
    assert len(many) == len(few)


def test_schema_documents_the_endpoints(client: Any, actors: dict[str, User]) -> None:
    client.login(username="t_office", password=PASSWORD)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for path in [
        "/api/v1/auth/token/",
        "/api/v1/me/",
        "/api/v1/points/",
        "/api/v1/points/{id}/",
        "/api/v1/regions/",
        "/api/v1/units/",
    ]:
        assert path in schema["paths"]
