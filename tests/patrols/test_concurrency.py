"""The same finding sent 50 times at once (a phone retrying on a flaky line, two tabs syncing) is stored once
and opens one ticket. Needs PostgreSQL: SQLite takes one writer at a time, so nothing would race there."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from apps.accounts.models import User
from apps.patrols.models import Finding, FindingPhoto, Patrol
from apps.tickets.models import Ticket, TicketPhoto
from tests.conftest import World
from tests.patrols.factories import Templates, jpeg_bytes, new_uuid, photo

SENDS = 50

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"),
]


def send_all_at_once(user: User, path: str, build: Any) -> list[int]:
    """POST from SENDS threads released together by a barrier; each thread has its own connection."""
    barrier = threading.Barrier(SENDS)

    def one(_: int) -> int:
        client = APIClient()
        client.force_authenticate(user)
        payload = build()
        try:
            barrier.wait()
            return client.post(path, payload, format="multipart").status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=SENDS) as pool:
        return list(pool.map(one, range(SENDS)))


def test_fifty_concurrent_sends_make_one_finding_and_one_ticket(
    actors: dict[str, User], world: World, templates: Templates, settings: Any
) -> None:
    finding, picture = new_uuid(), new_uuid()
    content = jpeg_bytes((800, 600), noise=True)

    def build() -> dict[str, Any]:
        return {
            "uuid": finding,
            "point": world.p1.pk,
            "category": templates.categories.garbage.pk,
            "outcome": "reported",
            "description": "垃圾桶满溢",
            "photos": [photo("p.jpg", content)],
            "photo_uuids": [picture],
        }

    codes = send_all_at_once(actors["grid"], "/api/v1/findings/", build)
    assert sorted(set(codes)) == [200, 201]
    assert codes.count(201) == 1
    assert Finding.objects.count() == 1
    assert FindingPhoto.objects.count() == 1
    assert Ticket.objects.count() == 1
    assert TicketPhoto.objects.count() == 1
    stored = [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]
    assert len(stored) == 2  # the losers wrote no files: the finding row comes before any photo


def test_fifty_concurrent_patrol_starts_make_one_patrol(actors: dict[str, User], world: World) -> None:
    patrol = new_uuid()
    codes = send_all_at_once(
        actors["grid"], "/api/v1/patrols/", lambda: {"uuid": patrol, "grid": world.grid.pk}
    )
    assert codes.count(201) == 1
    assert codes.count(200) == SENDS - 1
    assert Patrol.objects.count() == 1
