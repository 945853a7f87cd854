"""Statements and in-process time per bench path, run inside `manage.py shell` on the bench database.

Reads the paths as JSON on stdin ([name, method, path, username], …) and prints {name: {"sql_statements",
"in_process_ms"}}: the median of 20 requests through Django's test client (no HTTP, no other client), and
the statements of one more request. Pages are signed in with a session, the API with a token, as under load.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
import uuid

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import User
from apps.accounts.services import api_token_issue
from apps.patrols.models import CheckItem
from apps.regions.models import Point

ROUNDS = 20


def finding_body() -> dict[str, object]:
    """A metadata-only finding at the demo grid worker's first point, as bench/findings.py sends."""
    grid = User.objects.get(username="grid")
    point = Point.objects.filter(grid__assignments__worker=grid, is_active=True).order_by("pk").first()
    item = CheckItem.objects.order_by("pk").first()
    return {"point": point.pk, "category": item.category_id, "outcome": "reported"}


def measure(client: Client, method: str, path: str, body: dict[str, object] | None) -> tuple[int, float]:
    """One request; (status, seconds)."""
    began = time.perf_counter()
    if method == "POST":
        response = client.post(
            path, {**(body or {}), "uuid": str(uuid.uuid4())}, content_type="application/json"
        )
    else:
        response = client.get(path)
    return response.status_code, time.perf_counter() - began


def main() -> None:
    """Measure every path given on stdin."""
    settings.ALLOWED_HOSTS = ["*"]
    results = {}
    body = None
    for name, method, path, username in json.load(sys.stdin):
        user = User.objects.get(username=username)
        if path.startswith("/api/"):
            client = Client(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user).key}")
        else:
            client = Client()
            client.force_login(user)
        if method == "POST":
            body = body or finding_body()
        for _ in range(3):
            measure(client, method, path, body)
        times = [measure(client, method, path, body)[1] for _ in range(ROUNDS)]
        with CaptureQueriesContext(connection) as queries:
            measure(client, method, path, body)
        results[name] = {
            "sql_statements": len(queries),
            "in_process_ms": round(statistics.median(times) * 1000, 1),
        }
    print(json.dumps(results))


main()
