"""List rows for hot API reads: `.values()` rows written out as the serializer would, without its per-field
machinery (attribute look-ups, signature inspection, one model instance per row).

The serializer stays the schema and the single-object representation; each row writer is tested to give
exactly the serializer's output (tests/tickets/test_api_rows.py, tests/regions/test_api_rows.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from rest_framework import serializers


def moment(value: datetime | None) -> str | None:
    """A datetime as DRF's DateTimeField writes it: in the current time zone, ISO 8601, UTC as "Z"."""
    if value is None:
        return None
    text = value.astimezone(timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def decimal_writer(field: Any) -> Callable[[Decimal | None], str | None]:
    """A writer for a model DecimalField's values as DRF writes them (a string with its decimal places)."""
    drf = serializers.DecimalField(max_digits=field.max_digits, decimal_places=field.decimal_places)
    return lambda value: None if value is None else drf.to_representation(value)


def ref(row: dict[str, Any], prefix: str, **names: str) -> dict[str, Any] | None:
    """A nested {"id", …} from `prefix_id` and `prefix__key` columns; None when the FK is null."""
    pk = row[f"{prefix}_id"]
    if pk is None:
        return None
    return {"id": pk, **{name: row[f"{prefix}__{key}"] for name, key in names.items()}}
