"""Every photo and file URL the API returns opens with a token or a session, 404s for outsiders, never for
anonymous; thumbnails are small JPEGs; and `/media/` is not served in any configuration."""

from __future__ import annotations

import importlib
import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles.views import serve
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import Resolver404, clear_url_caches, resolve, reverse
from PIL import Image
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.accounts.models import User
from apps.checklists.models import Evidence
from apps.checklists.services import evidence_upload
from apps.core.images import THUMB_SIDE, thumb_name
from apps.patrols.models import Finding, Outcome
from apps.patrols.services.findings import PhotoUpload, finding_submit
from apps.tickets.models import Ticket
from apps.tickets.services import ticket_accept, ticket_create, ticket_dispatch, ticket_submit
from tests.api_errors import error_of
from tests.checklists.files import pdf_bytes, upload
from tests.checklists.fixtures import Book
from tests.conftest import World
from tests.tickets.factories import make_categories

JPEG_START = b"\xff\xd8"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    """Stored photos and thumbnails land in a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


def camera_jpeg(size: tuple[int, int] = (1200, 900), name: str = "photo.jpg") -> SimpleUploadedFile:
    """A real JPEG as a phone sends it."""
    out = io.BytesIO()
    Image.effect_noise(size, 60).convert("RGB").save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


@dataclass(frozen=True)
class Kind:
    """One kind of URL the API returns: who may open it, who may not, and the bytes it starts with."""

    name: str
    owner: str
    outsider: str
    start: bytes


KINDS = [
    Kind("ticket_photo", owner="unit", outsider="unit_other", start=JPEG_START),
    Kind("ticket_thumb", owner="grid", outsider="grid2", start=JPEG_START),
    Kind("event_photo", owner="office", outsider="street_other", start=JPEG_START),
    Kind("event_thumb", owner="unit", outsider="grid2", start=JPEG_START),
    Kind("finding_photo", owner="grid", outsider="grid2", start=JPEG_START),
    Kind("finding_thumb", owner="office", outsider="unit_other", start=JPEG_START),
    Kind("evidence_file", owner="unit_other", outsider="grid", start=b"%PDF"),
]


def token_client(user: User) -> APIClient:
    """A client with only the API token: no session cookie."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@dataclass
class Photos:
    """A ticket with a before-photo and a submitted after-photo, a fixed finding, one evidence file."""

    ticket: Ticket
    finding: Finding
    evidence: Evidence


@pytest.fixture
def photos(actors: dict[str, User], world: World, book: Book) -> Photos:
    """The rows behind every kind of URL, made through the services."""
    garbage = make_categories().garbage
    ticket = ticket_create(
        actor=actors["office"],
        source="office",
        category=garbage,
        title="路口暴露垃圾",
        region=world.grid,
        photos=[camera_jpeg()],
    )
    ticket = ticket_dispatch(ticket=ticket, actor=actors["office"], unit=world.unit_city)
    ticket = ticket_accept(ticket=ticket, actor=actors["unit"])
    ticket = ticket_submit(ticket=ticket, actor=actors["unit"], comment="已清运", photos=[camera_jpeg()])
    finding, _ = finding_submit(
        worker=actors["grid"],
        uuid=uuid.uuid4(),
        category=garbage,
        outcome=Outcome.FIXED,
        point=world.p1,
        photos=[PhotoUpload(uuid.uuid4(), camera_jpeg())],
        after_photos=[PhotoUpload(uuid.uuid4(), camera_jpeg())],
    )
    requirement = book.task.item.requirements.first()
    assert requirement is not None
    evidence = evidence_upload(
        task=book.task,
        requirement=requirement,
        year=None,
        files=[upload("台账.pdf", pdf_bytes())],
        actor=actors["unit"],
    )[0]
    return Photos(ticket, finding, evidence)


def api_url(kind: str, photos: Photos, actors: dict[str, User]) -> str:
    """The URL exactly as the API hands it to the office."""
    office = token_client(actors["office"])
    if kind.startswith(("ticket", "event")):
        body = office.get(f"/api/v1/tickets/{photos.ticket.pk}/").json()
        if kind.startswith("ticket"):
            photo = next(p for p in body["photos"] if p["kind"] == "before")
        else:
            photo = next(e for e in body["events"] if e["action"] == "submit")["photos"][0]
        return photo["thumb_url" if kind.endswith("thumb") else "url"]
    if kind.startswith("finding"):
        photo = office.get(f"/api/v1/findings/{photos.finding.uuid}/").json()["photos"][0]
        return photo["thumb_url" if kind.endswith("thumb") else "url"]
    return office.get(f"/api/v1/evidence/{photos.evidence.pk}/").json()["file_url"]


def body_of(response: Any) -> bytes:
    """The bytes sent, streamed or not."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_every_api_url_opens_with_the_token_alone(
    photos: Photos, actors: dict[str, User], kind: Kind
) -> None:
    response = token_client(actors[kind.owner]).get(api_url(kind.name, photos, actors))
    assert response.status_code == 200
    assert body_of(response).startswith(kind.start)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_every_api_url_opens_with_the_session(
    photos: Photos, actors: dict[str, User], login: Any, kind: Kind
) -> None:
    response = login(kind.owner).get(api_url(kind.name, photos, actors))
    assert response.status_code == 200
    assert body_of(response).startswith(kind.start)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_an_outsider_gets_404_by_token_and_by_session(
    photos: Photos, actors: dict[str, User], login: Any, kind: Kind
) -> None:
    url = api_url(kind.name, photos, actors)
    by_token = token_client(actors[kind.outsider]).get(url)
    assert by_token.status_code == 404
    assert not body_of(by_token).startswith(kind.start)
    by_session = login(kind.outsider).get(url)
    assert by_session.status_code == 404
    assert not body_of(by_session).startswith(kind.start)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_anonymous_never_gets_the_bytes(photos: Photos, actors: dict[str, User], kind: Kind) -> None:
    url = api_url(kind.name, photos, actors)
    browser = Client().get(url)
    assert browser.status_code == 302
    assert browser["Location"].startswith(reverse("accounts:login"))
    assert body_of(browser) == b""
    for header in ("Token not-a-real-token", "Bearer abc", "Token"):
        refused = APIClient().get(url, HTTP_AUTHORIZATION=header)
        assert refused.status_code == 401, header
        assert refused["WWW-Authenticate"] == "Token"
        assert error_of(refused)["code"] in {"authentication_failed", "not_authenticated"}
        assert not body_of(refused).startswith(kind.start)


def test_an_inactive_users_token_is_refused(photos: Photos, actors: dict[str, User]) -> None:
    client = token_client(actors["office"])
    url = api_url("ticket_photo", photos, actors)
    User.objects.filter(pk=actors["office"].pk).update(is_active=False)
    assert client.get(url).status_code == 401


def test_the_api_urls_are_the_checked_views_never_media(photos: Photos, actors: dict[str, User]) -> None:
    body = token_client(actors["office"]).get(f"/api/v1/tickets/{photos.ticket.pk}/").json()
    urls = [u for p in body["photos"] for u in (p["url"], p["thumb_url"])]
    urls += [u for e in body["events"] for p in e["photos"] for u in (p["url"], p["thumb_url"])]
    finding = token_client(actors["office"]).get(f"/api/v1/findings/{photos.finding.uuid}/").json()
    urls += [u for p in finding["photos"] for u in (p["url"], p["thumb_url"])]
    assert len(urls) == 12  # before and after photo, the create and submit steps' photos, the finding's two
    assert all(
        u.startswith(("http://testserver/tickets/photos/", "http://testserver/patrols/photos/")) for u in urls
    )
    assert not any("/media/" in u for u in urls)
    assert all(u.endswith("?size=thumb") for u in urls[1::2])


@pytest.mark.parametrize("kind", ["ticket_thumb", "finding_thumb"])
def test_a_thumbnail_is_a_jpeg_within_the_max_side_kept_on_disk(
    photos: Photos, actors: dict[str, User], kind: str
) -> None:
    client = token_client(actors["office"])
    url = api_url(kind, photos, actors)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    small = body_of(response)
    with Image.open(io.BytesIO(small)) as thumb:
        assert thumb.format == "JPEG"
        assert thumb.size == (THUMB_SIDE, THUMB_SIDE * 3 // 4)  # 1200×900 scaled to fit 320, aspect kept
    full = body_of(client.get(url.removesuffix("?size=thumb")))
    with Image.open(io.BytesIO(full)) as original:
        assert original.size == (1200, 900)
    assert len(small) < len(full)

    # Cached on the storage: served again after the original is gone.
    photo = (
        photos.ticket.photos.get(kind="before") if kind == "ticket_thumb" else photos.finding.photos.first()
    )
    assert photo is not None
    assert default_storage.exists(thumb_name(photo.image.name))
    default_storage.delete(photo.image.name)
    again = client.get(url)
    assert again.status_code == 200
    assert body_of(again) == small
    assert client.get(url.removesuffix("?size=thumb")).status_code == 404


def test_a_small_photo_is_not_enlarged_for_its_thumbnail(actors: dict[str, User], world: World) -> None:
    ticket = ticket_create(
        actor=actors["office"],
        source="office",
        category=make_categories().garbage,
        title="小图",
        region=world.grid,
        photos=[camera_jpeg((200, 100))],
    )
    response = token_client(actors["office"]).get(f"/tickets/photos/{ticket.photos.get().pk}/?size=thumb")
    with Image.open(io.BytesIO(body_of(response))) as thumb:
        assert thumb.size == (200, 100)


def test_an_unknown_size_is_404(photos: Photos, actors: dict[str, User]) -> None:
    url = api_url("ticket_photo", photos, actors)
    response = token_client(actors["office"]).get(f"{url}?size=huge")
    assert response.status_code == 404
    assert not body_of(response).startswith(JPEG_START)


@pytest.fixture
def debug_urlconf(settings: Any) -> Iterator[None]:
    """The project URLconf as `make run` builds it (DEBUG on), put back as it was afterwards."""
    import chuangwei.urls

    before = settings.DEBUG
    settings.DEBUG = True
    importlib.reload(chuangwei.urls)
    clear_url_caches()
    yield
    settings.DEBUG = before
    importlib.reload(chuangwei.urls)
    clear_url_caches()


@pytest.mark.usefixtures("debug_urlconf")
def test_media_is_not_routed_even_with_debug_on(photos: Photos, login: Any) -> None:
    name = photos.ticket.photos.first().image.name  # type: ignore[union-attr]
    assert (Path(django_settings.MEDIA_ROOT) / name).is_file()
    media = f"{django_settings.MEDIA_URL}{name}"  # MEDIA_URL carries the script prefix: "/media/"
    assert media.startswith("/media/tickets/")
    with pytest.raises(Resolver404):
        resolve(media)
    # Static files are still served under DEBUG: the reload really built the DEBUG URLconf.
    assert resolve("/static/css/app.css").func is serve
    response = login("office").get(media)
    assert response.status_code == 404
    assert not body_of(response).startswith(JPEG_START)


def test_the_schema_documents_both_photo_urls(actors: dict[str, User]) -> None:
    schema = token_client(actors["office"]).get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    for name in ("TicketPhoto", "TicketPhotoLink", "FindingPhoto"):
        properties = components[name]["properties"]
        for field in ("url", "thumb_url"):
            assert properties[field]["type"] == "string", (name, field)
            assert properties[field]["format"] == "uri", (name, field)
            assert properties[field]["readOnly"] is True
        assert "320" in properties["thumb_url"]["description"]
    event_photos = components["TicketEvent"]["properties"]["photos"]
    assert event_photos["items"]["$ref"].endswith("/TicketPhotoLink")


def test_the_admin_links_evidence_through_the_checked_view(
    photos: Photos, actors: dict[str, User], login: Any
) -> None:
    User.objects.filter(pk=actors["admin"].pk).update(is_staff=True)
    page = login("admin").get(reverse("admin:checklists_evidence_change", args=[photos.evidence.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="{reverse("tasks:evidence_file", args=[photos.evidence.pk])}"' in html
    assert "/media/" not in html
    assert login("admin").get(reverse("admin:checklists_evidence_add")).status_code == 403
