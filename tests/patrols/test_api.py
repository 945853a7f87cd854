"""/api/v1/patrols/, /findings/, /check-templates/: the phone's calls, idempotent by UUID, scoped to the
worker's grids, refusing bad input with nothing stored, with flat query counts on lists.

`grid` works 东湖1格 (p1 东湖农贸市场), `grid2` works 东湖2格 (p2 东湖路).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from apps.accounts.models import User
from apps.core.numbers import forget_all_numbers
from apps.patrols.models import Finding, FindingPhoto, Patrol, PatrolCheck
from apps.patrols.services import findings
from apps.tickets.models import EventAction, Ticket, TicketEvent, TicketPhoto, TicketSource, TicketStatus
from tests.conftest import World
from tests.patrols.factories import Templates, jpeg_bytes, new_uuid, photo

pytestmark = pytest.mark.django_db


def api(user: User | None = None) -> APIClient:
    """An API client signed in as the user (or anonymous)."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def media_files(settings: Any) -> list[Path]:
    """Every file stored under MEDIA_ROOT."""
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def finding_payload(templates: Templates, world: World, **overrides: Any) -> dict[str, Any]:
    """A reported 暴露垃圾 at 东湖农贸市场 with one photo."""
    payload: dict[str, Any] = {
        "uuid": new_uuid(),
        "point": world.p1.pk,
        "category": templates.categories.garbage.pk,
        "check_item": templates.garbage_item.pk,
        "outcome": "reported",
        "description": "垃圾桶满溢",
        "lat": "30.123456789",
        "lng": "120.5",
        "accuracy_m": 12,
        "photos": [photo()],
        "photo_uuids": [new_uuid()],
    }
    payload.update(overrides)
    return payload


def post_finding(user: User, payload: dict[str, Any]) -> Any:
    return api(user).post("/api/v1/findings/", payload, format="multipart")


# --- check templates and my grids ---


def test_templates_list_items_with_their_categories(actors: dict[str, User], templates: Templates) -> None:
    response = api(actors["grid"]).get("/api/v1/check-templates/")
    assert response.status_code == 200
    market = next(row for row in response.json() if row["code"] == "market")
    assert [item["text"] for item in market["items"]] == ["垃圾桶加盖、无满溢", "直接入口食品三防"]
    assert market["items"][0]["category_name"] == "暴露垃圾"


def test_my_grids_are_the_workers_own_with_points(actors: dict[str, User], world: World) -> None:
    response = api(actors["grid"]).get("/api/v1/patrols/my-grids/")
    assert response.status_code == 200
    assert [(g["name"], [p["name"] for p in g["points"]]) for g in response.json()] == [
        ("东湖1格", ["东湖农贸市场"])
    ]
    assert api(actors["office"]).get("/api/v1/patrols/my-grids/").json() == []


@pytest.mark.parametrize(
    "path",
    ["/api/v1/check-templates/", "/api/v1/patrols/", "/api/v1/findings/", "/api/v1/patrols/my-grids/"],
)
def test_anonymous_callers_get_nothing(world: World, path: str) -> None:
    assert api().get(path).status_code in (401, 403)
    assert api().post(path, {}).status_code in (401, 403, 405)


# --- patrols ---


def test_start_is_idempotent_by_uuid(actors: dict[str, User], world: World) -> None:
    body = {"uuid": new_uuid(), "grid": world.grid.pk, "client_started_at": "2026-11-30T08:00:00+08:00"}
    first = api(actors["grid"]).post("/api/v1/patrols/", body, format="json")
    again = api(actors["grid"]).post("/api/v1/patrols/", body, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["started_at"] == again.json()["started_at"]
    assert Patrol.objects.count() == 1


def test_a_worker_cannot_patrol_another_workers_grid(actors: dict[str, User], world: World) -> None:
    response = api(actors["grid"]).post(
        "/api/v1/patrols/", {"uuid": new_uuid(), "grid": world.grid2.pk}, format="json"
    )
    assert response.status_code == 404
    assert "不是您负责的网格" in response.json()["detail"]
    assert not Patrol.objects.exists()


def test_street_staff_see_the_grid_but_may_not_patrol_it(actors: dict[str, User], world: World) -> None:
    response = api(actors["street"]).post(
        "/api/v1/patrols/", {"uuid": new_uuid(), "grid": world.grid.pk}, format="json"
    )
    assert response.status_code == 403
    assert "不是您负责的网格" in response.json()["detail"]


def test_walk_a_point_then_finish(actors: dict[str, User], world: World, templates: Templates) -> None:
    client = api(actors["grid"])
    patrol = new_uuid()
    client.post("/api/v1/patrols/", {"uuid": patrol, "grid": world.grid.pk}, format="json")
    results = [
        {"item": templates.garbage_item.pk, "result": "problem"},
        {"item": templates.food_item.pk, "result": "ok"},
        {"item": templates.vector_item.pk, "result": "ok"},
    ]
    visit = client.post(
        f"/api/v1/patrols/{patrol}/visits/", {"point": world.p1.pk, "results": results}, format="json"
    )
    assert visit.status_code == 200, visit.json()
    assert visit.json()["results"][str(templates.garbage_item.pk)] == "problem"
    # Sending the point again replaces its results instead of adding a second visit.
    results[0]["result"] = "ok"
    client.post(
        f"/api/v1/patrols/{patrol}/visits/", {"point": world.p1.pk, "results": results}, format="json"
    )
    assert PatrolCheck.objects.filter(result="problem").count() == 0
    assert PatrolCheck.objects.count() == 3

    track = [[30.1, 120.1, 1764460800], [30.1001, 120.1002, 1764460860]]
    done = client.post(f"/api/v1/patrols/{patrol}/finish/", {"track": track}, format="json")
    assert done.status_code == 200
    ended = done.json()["ended_at"]
    assert ended is not None
    again = client.post(f"/api/v1/patrols/{patrol}/finish/", {"track": []}, format="json")
    assert again.json()["ended_at"] == ended
    assert Patrol.objects.get().track == track


def test_a_visit_refuses_items_of_another_template(
    actors: dict[str, User], world: World, templates: Templates
) -> None:
    from apps.patrols.models import CheckItem, CheckTemplate

    toilet = CheckTemplate.objects.create(code="toilet", name="公共厕所", point_types=["toilet"])
    foreign = CheckItem.objects.create(
        template=toilet, code="t-01", text="无臭味", category=templates.categories.garbage
    )
    client = api(actors["grid"])
    patrol = new_uuid()
    client.post("/api/v1/patrols/", {"uuid": patrol, "grid": world.grid.pk}, format="json")
    response = client.post(
        f"/api/v1/patrols/{patrol}/visits/",
        {"point": world.p1.pk, "results": [{"item": foreign.pk, "result": "ok"}]},
        format="json",
    )
    assert response.status_code == 400
    assert "不属于" in str(response.json())
    assert not PatrolCheck.objects.exists()


def test_other_workers_cannot_see_or_add_to_a_patrol(actors: dict[str, User], world: World) -> None:
    patrol = new_uuid()
    api(actors["grid"]).post("/api/v1/patrols/", {"uuid": patrol, "grid": world.grid.pk}, format="json")
    outsider = api(actors["grid2"])
    assert outsider.get(f"/api/v1/patrols/{patrol}/").status_code == 404
    assert outsider.post(f"/api/v1/patrols/{patrol}/finish/", {}, format="json").status_code == 404
    assert outsider.get("/api/v1/patrols/").json()["count"] == 0
    assert api(actors["street"]).get(f"/api/v1/patrols/{patrol}/").status_code == 200
    assert api(actors["street_other"]).get(f"/api/v1/patrols/{patrol}/").status_code == 404
    assert api(actors["unit"]).get(f"/api/v1/patrols/{patrol}/").status_code == 404
    assert api(actors["leader"]).get(f"/api/v1/patrols/{patrol}/").status_code == 200


# --- findings ---


def test_a_reported_finding_becomes_a_ticket_in_the_units_inbox(
    actors: dict[str, User], world: World, templates: Templates
) -> None:
    response = post_finding(actors["grid"], finding_payload(templates, world))
    assert response.status_code == 201, response.json()
    body = response.json()
    ticket = Ticket.objects.get(pk=body["ticket"])
    assert ticket.source == TicketSource.PATROL
    assert ticket.reporter == actors["grid"]
    assert ticket.point == world.p1
    # 暴露垃圾's default unit type is 城管; the one city-level 城管 unit gets it, the clock running.
    assert ticket.status == TicketStatus.DISPATCHED
    assert ticket.responsible_unit == world.unit_city
    assert ticket.deadline is not None
    assert TicketPhoto.objects.filter(ticket=ticket, kind="before").count() == 1
    # The ticket says what is wrong; the pass criterion is quoted once, as the standard it failed.
    assert ticket.title == "垃圾桶未加盖、满溢（东湖农贸市场）"
    assert ticket.description.count("垃圾桶加盖、无满溢") == 1
    assert "检查标准：垃圾桶加盖、无满溢" in ticket.description
    finding = Finding.objects.get()
    assert str(finding.lat) == "30.123457"
    assert finding.photos.get().taken_at is None
    inbox = api(actors["unit"]).get("/api/v1/tickets/").json()
    assert [row["number"] for row in inbox["results"]] == [ticket.number]


def test_without_auto_dispatch_the_report_waits_for_the_office(
    actors: dict[str, User], world: World, templates: Templates, settings: Any
) -> None:
    settings.PATROL_AUTO_DISPATCH = False
    response = post_finding(actors["grid"], finding_payload(templates, world))
    assert Ticket.objects.get(pk=response.json()["ticket"]).status == TicketStatus.REPORTED


def test_the_same_finding_sent_again_is_stored_once(
    actors: dict[str, User], world: World, templates: Templates, settings: Any
) -> None:
    payload = finding_payload(templates, world)
    first = post_finding(actors["grid"], payload)
    payload["photos"] = [photo()]
    again = post_finding(actors["grid"], payload)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["ticket"] == first.json()["ticket"]
    assert (Finding.objects.count(), Ticket.objects.count(), FindingPhoto.objects.count()) == (1, 1, 1)
    assert len(media_files(settings)) == 2  # the finding's photo and the ticket's copy


def test_a_resend_racing_its_original_gets_the_stored_finding(
    actors: dict[str, User], world: World, templates: Templates, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The original commits after the resend looked for it, before the resend checks its photo UUIDs."""
    payload = finding_payload(templates, world)
    check = findings._check

    def original_commits_meanwhile(*args: Any) -> None:
        monkeypatch.setattr(findings, "_check", check)
        findings.finding_submit(
            worker=actors["grid"],
            uuid=UUID(payload["uuid"]),
            category=templates.categories.garbage,
            outcome="reported",
            point=world.p1,
            photos=[findings.PhotoUpload(UUID(payload["photo_uuids"][0]), photo())],
        )
        check(*args)

    monkeypatch.setattr(findings, "_check", original_commits_meanwhile)
    again = post_finding(actors["grid"], payload)
    assert again.status_code == 200, again.json()
    assert again.json()["uuid"] == payload["uuid"]
    assert (Finding.objects.count(), Ticket.objects.count(), FindingPhoto.objects.count()) == (1, 1, 1)


def test_fixed_on_the_spot_needs_an_after_photo_and_opens_no_ticket(
    actors: dict[str, User], world: World, templates: Templates, settings: Any
) -> None:
    refused = post_finding(actors["grid"], finding_payload(templates, world, outcome="fixed"))
    assert refused.status_code == 400
    assert "整改后照片" in str(refused.json())
    fixed = post_finding(
        actors["grid"],
        finding_payload(
            templates,
            world,
            outcome="fixed",
            after_photos=[photo("after.jpg")],
            after_photo_uuids=[new_uuid()],
        ),
    )
    assert fixed.status_code == 201, fixed.json()
    assert fixed.json()["ticket"] is None
    assert sorted(p["kind"] for p in fixed.json()["photos"]) == ["after", "before"]
    assert not Ticket.objects.exists()


def test_a_finding_in_another_workers_grid_is_refused(
    actors: dict[str, User], world: World, templates: Templates, settings: Any
) -> None:
    response = post_finding(actors["grid"], finding_payload(templates, world, point=world.p2.pk))
    assert response.status_code == 404
    assert response.json()["detail"] == "点位不存在或不在您负责的网格内。"
    ad_hoc = finding_payload(templates, world, grid=world.grid2.pk)
    del ad_hoc["point"]
    assert post_finding(actors["grid"], ad_hoc).status_code == 404
    assert not Finding.objects.exists()
    assert not Ticket.objects.exists()
    assert media_files(settings) == []


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"photos": [photo("fake.jpg", b"MZ\x90\x00 this is an exe")]}, "不是可以打开的照片"),
        ({"photos": [photo("empty.jpg", b"")]}, "空文件"),
        ({"lat": "91"}, "纬度超出范围"),
        ({"lng": "-180.5"}, "经度超出范围"),
        ({"lng": ""}, "经纬度须同时填写"),
        ({"photo_uuids": []}, "每张照片须带一个编号"),
        ({"outcome": "ignored"}, "不是合法选项"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_stored(
    actors: dict[str, User],
    world: World,
    templates: Templates,
    settings: Any,
    overrides: dict[str, Any],
    message: str,
) -> None:
    response = post_finding(actors["grid"], finding_payload(templates, world, **overrides))
    assert response.status_code == 400
    assert message in str(response.json()), response.json()
    assert not Finding.objects.exists()
    assert not Ticket.objects.exists()
    assert media_files(settings) == []


def test_a_photo_over_the_limit_is_refused(
    actors: dict[str, User], world: World, templates: Templates, settings: Any
) -> None:
    big = jpeg_bytes((640, 480), noise=True)
    settings.PHOTO_MAX_BYTES = len(big) - 1
    response = post_finding(actors["grid"], finding_payload(templates, world, photos=[photo("big.jpg", big)]))
    assert response.status_code == 400
    assert "超过照片上限" in str(response.json())
    assert not Finding.objects.exists()
    assert media_files(settings) == []


def test_photos_are_re_encoded_and_downscaled(
    actors: dict[str, User], world: World, templates: Templates
) -> None:
    big = jpeg_bytes((2400, 1800))
    response = post_finding(actors["grid"], finding_payload(templates, world, photos=[photo("big.jpg", big)]))
    stored = response.json()["photos"][0]
    assert (stored["width"], stored["height"]) == (1600, 1200)


def test_a_later_photo_is_added_once_and_shown_on_the_ticket(
    actors: dict[str, User], world: World, templates: Templates
) -> None:
    created = post_finding(actors["grid"], finding_payload(templates, world)).json()
    body = {"uuid": new_uuid(), "kind": "before", "image": photo("more.jpg"), "lat": "30.1", "lng": "120.1"}
    client = api(actors["grid"])
    first = client.post(f"/api/v1/findings/{created['uuid']}/photos/", body, format="multipart")
    body["image"] = photo("more.jpg")
    again = client.post(f"/api/v1/findings/{created['uuid']}/photos/", body, format="multipart")
    assert (first.status_code, again.status_code) == (201, 200)
    assert FindingPhoto.objects.count() == 2
    assert TicketPhoto.objects.filter(ticket_id=created["ticket"]).count() == 2
    # The ticket's own service wrote it: a 再次上报 step on the timeline carries the later photo.
    later = TicketEvent.objects.get(ticket_id=created["ticket"], action=EventAction.REPORT_AGAIN)
    assert later.actor == actors["grid"]
    assert later.photos.count() == 1
    outsider = api(actors["grid2"]).post(
        f"/api/v1/findings/{created['uuid']}/photos/",
        {"uuid": new_uuid(), "kind": "before", "image": photo()},
        format="multipart",
    )
    assert outsider.status_code == 404


def test_findings_are_scoped(actors: dict[str, User], world: World, templates: Templates) -> None:
    created = post_finding(actors["grid"], finding_payload(templates, world)).json()
    path = f"/api/v1/findings/{created['uuid']}/"
    expected = {
        "grid": 200,
        "grid2": 404,
        "office": 200,
        "leader": 200,
        "inspector": 200,
        "street": 200,
        "street_other": 404,
        "community": 200,
        "unit": 404,
    }
    assert {name: api(actors[name]).get(path).status_code for name in expected} == expected
    assert api(actors["grid2"]).get("/api/v1/findings/").json()["count"] == 0


def test_list_query_counts_do_not_grow(actors: dict[str, User], world: World, templates: Templates) -> None:
    def count(path: str) -> int:
        forget_all_numbers()  # every number computed, none remembered
        with CaptureQueriesContext(connection) as queries:
            assert api(actors["office"]).get(path).status_code == 200
        return len(queries)

    client = api(actors["grid"])

    def one_patrol_with_a_finding() -> None:
        patrol = new_uuid()
        client.post("/api/v1/patrols/", {"uuid": patrol, "grid": world.grid.pk}, format="json")
        client.post(
            f"/api/v1/patrols/{patrol}/visits/",
            {"point": world.p1.pk, "results": [{"item": templates.garbage_item.pk, "result": "ok"}]},
            format="json",
        )
        post_finding(actors["grid"], finding_payload(templates, world, patrol=patrol))

    one_patrol_with_a_finding()
    count(
        "/api/v1/findings/"
    )  # warm up: the first request reads the office user's roles once, then they are cached
    few = (count("/api/v1/findings/"), count("/api/v1/patrols/"), count("/api/v1/check-templates/"))
    for _ in range(4):
        one_patrol_with_a_finding()
    many = (count("/api/v1/findings/"), count("/api/v1/patrols/"), count("/api/v1/check-templates/"))
    assert few == many


def test_a_second_finding_of_an_open_problem_joins_its_ticket(
    actors: dict[str, User], world: World, templates: Templates
) -> None:
    first = post_finding(actors["grid"], finding_payload(templates, world)).json()
    again = post_finding(actors["grid"], finding_payload(templates, world, description="还没清理"))
    assert again.status_code == 201, again.json()
    assert again.json()["ticket"] == first["ticket"]
    ticket = Ticket.objects.get()
    assert Finding.objects.filter(ticket=ticket).count() == 2
    actions = list(ticket.events.values_list("action", flat=True))
    assert actions.count("dispatch") == 1  # already on its way: not routed a second time
    assert actions[-1] == "report_again"
    assert TicketPhoto.objects.filter(ticket=ticket, kind="before").count() == 2
