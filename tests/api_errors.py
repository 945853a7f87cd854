"""The API's one error shape, read in tests."""

from __future__ import annotations

from typing import Any


def error_of(response: Any) -> dict[str, Any]:
    """The error body, checked to have the one shape: detail (a sentence), code, fields."""
    body = response.json()
    assert set(body) == {"detail", "code", "fields"}, body
    assert isinstance(body["detail"], str), body
    assert body["detail"], body
    assert isinstance(body["fields"], dict), body
    return body


def fields_of(response: Any) -> dict[str, list[str]]:
    """The wrong fields of an error body and their messages."""
    return error_of(response)["fields"]
