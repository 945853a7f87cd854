"""Benchmark targets at scale: the ticket pages and API over 200,000 tickets, and the patrol and home pages
over a year of 1,000,000 patrol results, on PostgreSQL.

The tickets and patrol results are generated once into the bench database (`seed_demo_tickets --if-empty`,
`seed_demo_patrols --bulk-checks --if-empty`) and reused by later runs; the pages are fetched with a real
session (signed in through the login form), the API with a token.
"""

from __future__ import annotations

import http.client
import os
import re
from http.cookies import SimpleCookie
from urllib.parse import urlencode

TICKETS = int(os.environ.get("BENCH_TICKETS", "200000"))
PATROL_CHECKS = int(os.environ.get("BENCH_PATROL_CHECKS", "1000000"))
# (name, path, how to sign in, whom): pages with a session signed in through the form, the API with a token.
TARGETS = [
    ("ticket_list_page", "/tickets/", "session", "office"),
    ("ticket_list_page_overdue_filter", "/tickets/?status=in_progress&overdue=true", "session", "office"),
    ("ticket_list_api", "/api/v1/tickets/", "token", "office"),
    ("unit_inbox_page", "/tickets/inbox/", "session", "unit"),
    ("overdue_board_page", "/tickets/overdue/", "session", "office"),
    ("patrol_coverage_page", "/patrols/", "session", "office"),
    ("home_page_office", "/", "session", "office"),
    ("home_page_leader", "/", "session", "leader"),
    ("home_page_unit", "/", "session", "unit"),
]
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def seed_args() -> list[str]:
    """manage.py arguments that put the tickets into the bench database once."""
    return ["seed_demo_tickets", "--count", str(TICKETS), "--if-empty", "--no-events", "--force"]


def patrol_seed_args() -> list[str]:
    """manage.py arguments that put a year of patrol results into the bench database once (~1.5 min)."""
    return ["seed_demo_patrols", "--bulk-checks", str(PATROL_CHECKS), "--if-empty", "--force"]


def _cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    """Cookies a response sets."""
    jar: SimpleCookie = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def session_headers(host: str, port: int, username: str, password: str) -> dict[str, str]:
    """Sign in through the login form and return the Cookie header a browser would send."""
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        conn.request("GET", "/accounts/login/")
        page = conn.getresponse()
        body = page.read()
        cookies = _cookies(page)
        token = CSRF_INPUT.search(body)
        if token is None:
            raise RuntimeError("login page has no CSRF token")
        form = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)})
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "Referer": f"http://{host}:{port}/accounts/login/",
        }
        conn.request("POST", "/accounts/login/", body=form, headers=headers)
        answer = conn.getresponse()
        answer.read()
        cookies.update(_cookies(answer))
    finally:
        conn.close()
    if answer.status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"signing in as {username} failed: HTTP {answer.status}")
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
