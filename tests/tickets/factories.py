"""Problem categories, and tickets in a given state built through the real services (so every date, deadline
and event is what the app itself would write).

Units and their staff accounts come from the shared fixtures: world.unit_city (市城管局) is handled by
actors["unit"], world.unit_market (市市场监督管理局) by actors["unit_other"].
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.accounts.models import Role, User
from apps.regions.models import Unit
from apps.tickets.models import ProblemCategory, Ticket, TicketSource
from apps.tickets.services import (
    ticket_accept,
    ticket_create,
    ticket_decide_shelve,
    ticket_dispatch,
    ticket_recheck,
    ticket_request_shelve,
    ticket_return,
    ticket_submit,
)
from tests.conftest import World

TZ = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0, *, month: int = 11) -> datetime:
    """A moment in Shanghai time in 2026 (November unless told): at(20, 16) is Friday 20 Nov, 16:00."""
    return datetime(2026, month, day, hour, minute, tzinfo=TZ)


class ProblemCategoryFactory(factory.django.DjangoModelFactory):
    """A 大类 unless given a parent; no time limit unless given one."""

    class Meta:
        model = ProblemCategory

    code = factory.Sequence(lambda n: f"T{n:03d}")
    name = factory.Sequence(lambda n: f"测试类别{n}")


@dataclass
class Categories:
    """A small set: 市容环境 / 暴露垃圾 (4 工作时, 城管) and 食品 / 三防缺失 (2 工作日, 市场监管)."""

    city_appearance: ProblemCategory
    garbage: ProblemCategory
    food: ProblemCategory
    food_safety: ProblemCategory


def make_categories() -> Categories:
    """Two 大类 with one 小类 each, limits on the 小类."""
    appearance = ProblemCategoryFactory(code="T-SR", name="市容环境", default_unit_type="urban_mgmt")
    food = ProblemCategoryFactory(code="T-SP", name="食品", default_unit_type="market")
    return Categories(
        city_appearance=appearance,
        garbage=ProblemCategoryFactory(
            code="T-SR-01", name="暴露垃圾", parent=appearance, deadline_value=4, deadline_unit="work_hour"
        ),
        food=food,
        food_safety=ProblemCategoryFactory(
            code="T-SP-01", name="三防缺失", parent=food, deadline_value=2, deadline_unit="work_day"
        ),
    )


def jpeg(name: str = "photo.jpg") -> SimpleUploadedFile:
    """A real JPEG, as a phone camera would send."""
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def handler(actors: dict[str, User], unit: Unit) -> User:
    """A staff account of the unit: the shared actor for the two shared units, else the unit's first."""
    shared = [u for u in (actors["unit"], actors["unit_other"]) if u.unit_id == unit.pk]
    return shared[0] if shared else User.objects.filter(unit=unit, role_grants__role=Role.UNIT).earliest("pk")


def open_ticket(
    actors: dict[str, User], world: World, category: ProblemCategory, *, when: datetime, **kw: Any
) -> Ticket:
    """The office files a problem in 东湖1格 (no point unless given one, so no accidental 反弹): 待派遣."""
    values: dict[str, Any] = {"region": world.grid, "title": "路口暴露垃圾", "source": TicketSource.OFFICE}
    values.update(kw)
    return ticket_create(actor=actors["office"], category=category, now=when, **values)


def dispatched(
    actors: dict[str, User],
    world: World,
    category: ProblemCategory,
    *,
    when: datetime,
    unit: Unit | None = None,
    **kw: Any,
) -> Ticket:
    """Filed and dispatched at `when` (to 市城管局 unless told): 待签收, the clock running."""
    ticket = open_ticket(actors, world, category, when=when, **kw)
    return ticket_dispatch(ticket=ticket, actor=actors["office"], unit=unit or world.unit_city, now=when)


def in_progress(
    actors: dict[str, User],
    world: World,
    category: ProblemCategory,
    *,
    when: datetime,
    unit: Unit | None = None,
    **kw: Any,
) -> Ticket:
    """Dispatched at `when` and accepted five minutes later: 整改中."""
    ticket = dispatched(actors, world, category, when=when, unit=unit, **kw)
    staff = handler(actors, ticket.responsible_unit)  # type: ignore[arg-type]
    return ticket_accept(ticket=ticket, actor=staff, now=when + timedelta(minutes=5))


def submit(actors: dict[str, User], ticket: Ticket, *, when: datetime) -> Ticket:
    """The handling unit reports the fix with an after-photo: 待核查."""
    staff = handler(actors, ticket.responsible_unit)  # type: ignore[arg-type]
    return ticket_submit(ticket=ticket, actor=staff, comment="已整改", photos=[jpeg()], now=when)


def recheck(actors: dict[str, User], ticket: Ticket, *, when: datetime, passed: bool = True) -> Ticket:
    """An inspector re-checks: 已销号, or 返工 back to 整改中."""
    comment = "" if passed else "仍有残留垃圾"
    return ticket_recheck(ticket=ticket, actor=actors["inspector"], passed=passed, comment=comment, now=when)


def closed(
    actors: dict[str, User],
    world: World,
    category: ProblemCategory,
    *,
    when: datetime,
    submitted_at: datetime,
    closed_at: datetime,
    unit: Unit | None = None,
    **kw: Any,
) -> Ticket:
    """Dispatched at `when`, fixed at `submitted_at`, closed at `closed_at`: 已销号."""
    ticket = in_progress(actors, world, category, when=when, unit=unit, **kw)
    ticket = submit(actors, ticket, when=submitted_at)
    return recheck(actors, ticket, when=closed_at)


def returned(actors: dict[str, User], ticket: Ticket, *, when: datetime) -> Ticket:
    """The handling unit sends the ticket back as not its business: 待派遣 again."""
    staff = handler(actors, ticket.responsible_unit)  # type: ignore[arg-type]
    return ticket_return(ticket=ticket, actor=staff, reason="不属于本单位职责", now=when)


def shelved(actors: dict[str, User], ticket: Ticket, *, when: datetime) -> Ticket:
    """An in-progress ticket put on the shelf (挂账) with the office's approval: the clock pauses."""
    staff = handler(actors, ticket.responsible_unit)  # type: ignore[arg-type]
    ticket = ticket_request_shelve(ticket=ticket, actor=staff, reason="需列入明年预算", now=when)
    return ticket_decide_shelve(ticket=ticket, actor=actors["office"], approve=True, now=when)
