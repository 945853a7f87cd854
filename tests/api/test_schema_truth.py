"""The schema documents what the API answers: every refusal in the one error shape, nulls where they occur."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from apps.accounts.models import User

pytestmark = pytest.mark.django_db

ERROR_REF = "#/components/schemas/Error"


@pytest.fixture
def schema(actors: dict[str, User]) -> dict[str, Any]:
    client = APIClient()
    client.force_authenticate(actors["office"])
    return client.get("/api/schema/", {"format": "json"}).json()


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]


def test_every_operation_documents_its_refusals_in_the_error_shape(schema: dict[str, Any]) -> None:
    assert set(schema["components"]["schemas"]["Error"]["properties"]) == {"detail", "code", "fields"}
    for method, path, operation in operations(schema):
        responses = operation["responses"]
        expected = {"400", "406", "414", "429"}
        if operation.get("security"):  # the token exchange has none: it cannot answer 401
            expected |= {"401", "403"}
        if method in ("POST", "PATCH", "PUT"):
            expected |= {"404", "413", "415"}
        if "{" in path:
            expected.add("404")
        assert expected <= set(responses), f"{method} {path}: {sorted(expected - set(responses))}"
        for code in expected - {"414"}:
            assert responses[code]["content"]["application/json"]["schema"] == {"$ref": ERROR_REF}, (
                method,
                path,
            )


@pytest.mark.parametrize(
    ("component", "field"),
    [
        ("Finding", "patrol"),
        ("Finding", "ticket_number"),
        ("Finding", "ticket_status"),
        ("Finding", "point_name"),
        ("Me", "unit_name"),
        ("Me", "scope_region_name"),
        ("TicketDetail", "assignee_name"),
        ("TicketDetail", "reporter_name"),
        ("TicketEvent", "actor_name"),
        ("Evidence", "reviewed_by_name"),
    ],
)
def test_fields_that_can_be_null_say_so(schema: dict[str, Any], component: str, field: str) -> None:
    assert schema["components"]["schemas"][component]["properties"][field].get("nullable") is True
