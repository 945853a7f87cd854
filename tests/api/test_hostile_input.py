"""Input made to hurt: each answers 400 (or 413) in the one Chinese error shape, and nothing changes."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.accounts.models import User
from apps.patrols.models import Finding
from apps.tickets.models import Ticket, TicketStatus
from apps.tickets.services import ticket_accept, ticket_create, ticket_dispatch, ticket_request_extension
from tests.api_errors import error_of, fields_of
from tests.conftest import World
from tests.tickets.factories import Categories, make_categories

pytestmark = pytest.mark.django_db

HUGE_NUMBERS = [1e22, "1e22", "1e400", "12345678901234567890123", -1e300, "NaN", "Infinity", True, [], {}]


@pytest.fixture
def categories(db: Any) -> Categories:
    return make_categories()


def api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def finding(world: World, categories: Categories, **overrides: Any) -> dict[str, Any]:
    """A finding without photos (JSON), fixed on the spot: nothing but the finding is written."""
    body = {
        "uuid": str(uuid.uuid4()),
        "point": world.p1.pk,
        "category": categories.garbage.pk,
        "outcome": "reported",
        "description": "垃圾桶满溢",
    }
    return {**body, **overrides}


def report(world: World, categories: Categories, **overrides: Any) -> dict[str, Any]:
    body = {
        "source": "office",
        "category": categories.garbage.pk,
        "title": "路口暴露垃圾",
        "region": world.grid.pk,
    }
    return {**body, **overrides}


def reported(actors: dict[str, User], world: World, categories: Categories) -> Ticket:
    """An office-filed ticket at 待派遣."""
    return ticket_create(
        actor=actors["office"], category=categories.garbage, region=world.grid, title="积水", source="office"
    )


def assert_finding_refused(actors: dict[str, User], body: dict[str, Any], field: str) -> None:
    """The grid worker's finding is a 400 naming `field`, and nothing is stored."""
    response = api(actors["grid"]).post("/api/v1/findings/", body, format="json")
    assert response.status_code == 400
    assert field in fields_of(response)
    assert not Finding.objects.exists()


@pytest.mark.parametrize("value", HUGE_NUMBERS)
@pytest.mark.parametrize("field", ["lat", "lng"])
def test_absurd_coordinates_are_refused_on_findings_and_tickets(
    actors: dict[str, User], world: World, categories: Categories, field: str, value: Any
) -> None:
    response = api(actors["grid"]).post(
        "/api/v1/findings/", finding(world, categories, **{field: value}), format="json"
    )
    assert response.status_code == 400
    assert field in fields_of(response)
    response = api(actors["office"]).post(
        "/api/v1/tickets/", report(world, categories, **{field: value}), format="json"
    )
    assert response.status_code == 400
    assert field in fields_of(response)
    assert not Finding.objects.exists()
    assert not Ticket.objects.exists()


def test_coordinates_in_range_with_phone_precision_are_rounded(
    actors: dict[str, User], world: World, categories: Categories
) -> None:
    body = finding(world, categories, lat="30.123456789", lng=-120.0000004)
    assert api(actors["grid"]).post("/api/v1/findings/", body, format="json").status_code == 201
    stored = Finding.objects.get()
    assert (str(stored.lat), str(stored.lng)) == ("30.123457", "-120.000000")


def test_deeply_nested_json_is_a_400_not_a_recursion_error(actors: dict[str, User], world: World) -> None:
    body = "[" * 100_000 + "]" * 100_000
    response = api(actors["grid"]).post("/api/v1/findings/", body, content_type="application/json")
    assert response.status_code == 400
    assert "嵌套" in error_of(response)["detail"]
    deep = json.dumps({"description": [[[[[[[[[[[[[[[[[[[[[["x"]]]]]]]]]]]]]]]]]]]]]]})
    response = api(actors["grid"]).post("/api/v1/findings/", deep, content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "parse_error"


def test_a_body_over_the_limit_is_a_413(
    actors: dict[str, User], world: World, categories: Categories
) -> None:
    body = report(world, categories, description="垃" * 1_000_000)  # 3 MB of UTF-8
    response = api(actors["office"]).post("/api/v1/tickets/", body, format="json")
    assert response.status_code == 413
    assert error_of(response)["code"] == "payload_too_large"
    assert not Ticket.objects.exists()


def test_text_longer_than_its_field_is_refused(
    actors: dict[str, User], world: World, categories: Categories
) -> None:
    response = api(actors["office"]).post(
        "/api/v1/tickets/", report(world, categories, description="垃" * 2001), format="json"
    )
    assert response.status_code == 400
    assert error_of(response)["detail"].startswith("问题描述：")
    assert "description" in fields_of(response)
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("value", [12345, 1.5, True])
def test_text_must_be_a_string(
    actors: dict[str, User], world: World, categories: Categories, value: Any
) -> None:
    response = api(actors["office"]).post(
        "/api/v1/tickets/", report(world, categories, title=value), format="json"
    )
    assert response.status_code == 400
    assert "title" in fields_of(response)
    ticket = reported(actors, world, categories)
    response = api(actors["office"]).post(
        f"/api/v1/tickets/{ticket.pk}/dispatch/",
        {"unit": world.unit_city.pk, "comment": value},
        format="json",
    )
    assert response.status_code == 400
    assert "comment" in fields_of(response)
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.FILED


@pytest.mark.parametrize("value", [123456789, 0, 3.5])
def test_a_uuid_must_be_a_uuid_string(
    actors: dict[str, User], world: World, categories: Categories, value: Any
) -> None:
    assert_finding_refused(actors, finding(world, categories, uuid=value), "uuid")


@pytest.mark.parametrize(
    "taken_at", ["yesterday", "2026-13-40T10:00:00", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"]
)
def test_a_phone_time_must_be_a_real_recent_moment(
    actors: dict[str, User], world: World, categories: Categories, taken_at: str
) -> None:
    assert_finding_refused(actors, finding(world, categories, taken_at=taken_at), "taken_at")


@pytest.mark.parametrize(
    "deadline", ["9999-12-31T10:00:00+08:00", "0001-01-01T00:00:00Z", "2099-12-31T10:00:00+08:00"]
)
def test_a_dispatch_deadline_beyond_the_horizon_is_refused_at_once(
    actors: dict[str, User], world: World, categories: Categories, deadline: str
) -> None:
    ticket = reported(actors, world, categories)
    response = api(actors["office"]).post(
        f"/api/v1/tickets/{ticket.pk}/dispatch/",
        {"unit": world.unit_city.pk, "deadline": deadline},
        format="json",
    )
    assert response.status_code == 400
    assert "deadline" in fields_of(response)
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.FILED


def test_an_extension_beyond_the_horizon_is_refused_from_the_unit(
    actors: dict[str, User], world: World, categories: Categories
) -> None:
    ticket = reported(actors, world, categories)
    ticket = ticket_dispatch(ticket=ticket, actor=actors["office"], unit=world.unit_city)
    ticket = ticket_accept(ticket=ticket, actor=actors["unit"])
    for until in ["9999-12-31T10:00:00+08:00", (timezone.now() + timedelta(days=800)).isoformat()]:
        response = api(actors["unit"]).post(
            f"/api/v1/tickets/{ticket.pk}/extension/",
            {"until": until, "reason": "需要采购设备"},
            format="json",
        )
        assert response.status_code == 400, until
        assert "until" in fields_of(response)
    assert Ticket.objects.get(pk=ticket.pk).extension_until is None
    # The service holds the same line for the web form.
    with pytest.raises(Exception, match="两年"):
        ticket_request_extension(
            ticket=ticket, actor=actors["unit"], until=timezone.now() + timedelta(days=800), reason="采购"
        )


@pytest.mark.parametrize(
    "params",
    [
        {"created_before": "9999-12-31"},
        {"created_after": "0001-01-01"},
        {"created_after": "1999-12-31"},
        {"page": "0"},
        {"page": "-1"},
        {"page": "abc"},
        {"page_size": "8.1e-306"},
        {"page_size": "0"},
        {"page_size": "201"},
    ],
)
def test_list_parameters_out_of_range_are_a_400_naming_the_parameter(
    actors: dict[str, User], params: dict[str, str]
) -> None:
    response = api(actors["office"]).get("/api/v1/tickets/", params)
    assert response.status_code == 400
    assert list(fields_of(response)) == list(params)


def test_a_page_past_the_last_is_a_404_in_chinese(actors: dict[str, User]) -> None:
    response = api(actors["office"]).get("/api/v1/tickets/", {"page": "2"})
    assert response.status_code == 404
    assert error_of(response)["detail"] == "没有这一页（页码超出范围）。"


def test_a_ticket_out_of_sight_is_a_404_in_chinese(
    actors: dict[str, User], world: World, categories: Categories
) -> None:
    ticket = reported(actors, world, categories)
    response = api(actors["grid2"]).get(f"/api/v1/tickets/{ticket.pk}/")
    assert response.status_code == 404
    body = error_of(response)
    assert body["detail"] == "找不到该记录，或您无权查看。"
    assert body["code"] == "not_found"


def test_an_unknown_api_address_answers_in_the_error_shape(actors: dict[str, User]) -> None:
    response = api(actors["office"]).get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_an_id_no_column_can_hold_is_a_400(actors: dict[str, User]) -> None:
    body = {"ids": [10**30], "decision": "approve"}
    response = api(actors["office"]).post("/api/v1/evidence/review/", body, format="json")
    assert response.status_code == 400
    assert "ids" in fields_of(response)
    body = {"uuid": str(uuid.uuid4()), "grid": 10**30}
    response = api(actors["grid"]).post("/api/v1/patrols/", body, format="json")
    assert response.status_code == 400
    assert "grid" in fields_of(response)
    response = api(actors["office"]).get("/api/v1/tickets/", {"region": str(10**30)})
    assert response.status_code == 200  # Django answers an out-of-range id lookup with nothing
    assert response.json()["count"] == 0


def test_a_post_to_an_unknown_api_address_is_a_json_404_even_with_a_session(actors: dict[str, User]) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(actors["office"])
    response = client.post("/api/v1/tickets/0.5/return/", {"reason": ""}, format="json")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_a_file_that_is_not_a_photo_is_refused_under_its_field(
    actors: dict[str, User], world: World, categories: Categories, settings: Any, tmp_path: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path / "media"

    def fake() -> SimpleUploadedFile:
        return SimpleUploadedFile("fake.jpg", b"not an image", content_type="image/jpeg")

    response = api(actors["office"]).post(
        "/api/v1/tickets/", {**report(world, categories), "photos": [fake()]}, format="multipart"
    )
    assert response.status_code == 400
    assert "不是可以打开的照片" in fields_of(response)["photos"][0]
    body = finding(
        world, categories, outcome="fixed", after_photos=[fake()], after_photo_uuids=[str(uuid.uuid4())]
    )
    response = api(actors["grid"]).post("/api/v1/findings/", body, format="multipart")
    assert response.status_code == 400
    assert "after_photos" in fields_of(response)
    assert not Ticket.objects.exists()
    assert not Finding.objects.exists()
