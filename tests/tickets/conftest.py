"""Fixtures for the ticket tests: a small category set and photos stored out of the way."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.accounts.models import User
from apps.tickets.models import ProblemCategory, Ticket, TicketSource
from apps.tickets.services import ticket_accept, ticket_create, ticket_dispatch, ticket_submit
from tests.conftest import World
from tests.tickets.factories import Categories, make_categories


@pytest.fixture
def categories(db: Any) -> Categories:
    """市容环境 / 暴露垃圾 (4 工作时) and 食品 / 三防缺失 (2 工作日)."""
    return make_categories()


@pytest.fixture
def media_in_tmp(settings: Any, tmp_path: Path) -> None:
    """Photos the services store land in a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def garbage(db: Any) -> ProblemCategory:
    """市容环境 / 暴露垃圾: 4 工作时, normally 城管."""
    parent = ProblemCategory.objects.create(code="T-SR", name="市容环境", default_unit_type="urban_mgmt")
    return ProblemCategory.objects.create(
        code="T-SR-01", name="暴露垃圾", parent=parent, deadline_value=4, deadline_unit="work_hour"
    )


@pytest.fixture
def food(garbage: ProblemCategory) -> ProblemCategory:
    """食品 / 三防缺失: 2 工作日, normally 市场监管."""
    parent = ProblemCategory.objects.create(code="T-SP", name="食品", default_unit_type="market")
    return ProblemCategory.objects.create(
        code="T-SP-01", name="三防缺失", parent=parent, deadline_value=2, deadline_unit="work_day"
    )


@pytest.fixture
def food_unrouted(garbage: ProblemCategory) -> ProblemCategory:
    """食品安全 / 三防缺失: 2 工作日, no unit type of its own and no rule (so no routing suggestion)."""
    parent = ProblemCategory.objects.create(code="T-SU", name="食品安全")
    return ProblemCategory.objects.create(
        code="T-SU-01", name="三防缺失", parent=parent, deadline_value=2, deadline_unit="work_day"
    )


@pytest.fixture
def api(actors: dict[str, User]) -> Any:
    """An API client with the named actor's token (anonymous for 'anon').

    The token is made directly: signing in through `auth/token/` for every actor would trip its throttle.
    """

    def _api(name: str) -> APIClient:
        client = APIClient()
        if name != "anon":
            token, _ = Token.objects.get_or_create(user=actors[name])
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return _api


def jpeg(name: str = "photo.jpg", colour: str = "red") -> SimpleUploadedFile:
    """A real JPEG, as a phone camera would send."""
    out = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def stored_files() -> list[Path]:
    """Every file under MEDIA_ROOT (a per-test tmp dir)."""
    root = Path(django_settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def messages(response: Any) -> str:
    """All error text in a response body, for asserting on the Chinese message."""
    return str(response.json())


def url(ticket: Ticket, step: str = "") -> str:
    """The ticket's detail URL, or one of its steps."""
    return f"/api/v1/tickets/{ticket.pk}/" + (f"{step}/" if step else "")


def filed(actors: dict[str, User], world: World, category: ProblemCategory, **kw: Any) -> Ticket:
    """The office reports a problem at 东湖农贸市场 (p1 in 东湖1格), no photo: 待派遣."""
    values: dict[str, Any] = {
        "actor": actors["office"],
        "category": category,
        "region": world.grid,
        "point": world.p1,
        "title": "市场门口暴露垃圾",
        "source": TicketSource.OFFICE,
    }
    return ticket_create(**{**values, **kw})


def opened(actors: dict[str, User], world: World, category: ProblemCategory, **kw: Any) -> Ticket:
    """The office files a problem at 东湖农贸市场 with one before-photo: 待派遣."""
    return filed(actors, world, category, **{"photos": [jpeg("before.jpg")], **kw})


def dispatched(actors: dict[str, User], world: World, category: ProblemCategory, **kw: Any) -> Ticket:
    """Sent to 市城管局: 待签收."""
    return ticket_dispatch(
        ticket=opened(actors, world, category, **kw), actor=actors["office"], unit=world.unit_city
    )


def in_progress(actors: dict[str, User], world: World, category: ProblemCategory, **kw: Any) -> Ticket:
    """Accepted by 市城管局: 整改中."""
    return ticket_accept(ticket=dispatched(actors, world, category, **kw), actor=actors["unit"])


def submitted(actors: dict[str, User], world: World, category: ProblemCategory) -> Ticket:
    """The fix reported with an after-photo: 待核查."""
    ticket = in_progress(actors, world, category)
    return ticket_submit(ticket=ticket, actor=actors["unit"], comment="已清运", photos=[jpeg("after.jpg")])


def snapshot(ticket: Ticket) -> tuple[Any, ...]:
    """What a refused step must leave as it was."""
    fresh = Ticket.objects.get(pk=ticket.pk)
    return (
        fresh.status,
        fresh.responsible_unit_id,
        fresh.assignee_id,
        fresh.deadline,
        fresh.extension_until,
        fresh.shelve_requested,
        fresh.supervision,
        fresh.events.count(),
        fresh.photos.count(),
        len(stored_files()),
    )


def reload(ticket: Ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


def page_text(response: Any) -> str:
    return response.content.decode()
