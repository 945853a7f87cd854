"""Benchmark targets for the phone: finding submissions per second on PostgreSQL under gunicorn.

Each request is a new finding (a fresh UUID) reported by the demo grid worker `grid` at one of their
points, so each also opens a ticket and dispatches it: the whole path a real report takes. Measured twice:
metadata only (JSON) and with one 200 KB photo (multipart), which the server decodes and re-encodes.
"""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Callable
from typing import Any

from PIL import Image

PHOTO_BYTES = 200 * 1024
Body = tuple[bytes, str]


def photo_of_about(size: int = PHOTO_BYTES) -> bytes:
    """A noisy JPEG of roughly `size` bytes (noise does not compress, like a real street photo's detail)."""
    side = 320
    while True:
        out = io.BytesIO()
        Image.effect_noise((side, side * 3 // 4), 60).convert("RGB").save(out, format="JPEG", quality=85)
        if out.tell() >= size:
            return out.getvalue()
        side += 40


def metadata_body(point: int, category: int) -> Callable[[], Body]:
    """A JSON finding with a fresh UUID each call."""

    def build() -> Body:
        fields = {"uuid": str(uuid.uuid4()), "point": point, "category": category, "outcome": "reported"}
        return json.dumps(fields).encode(), "application/json"

    return build


def photo_body(point: int, category: int, photo: bytes) -> Callable[[], Body]:
    """A multipart finding with one photo and fresh UUIDs each call."""

    def build() -> Body:
        boundary = uuid.uuid4().hex
        fields = {
            "uuid": str(uuid.uuid4()),
            "point": str(point),
            "category": str(category),
            "outcome": "reported",
            "photo_uuids": str(uuid.uuid4()),
        }
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; filename="p.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n".encode()
            + photo
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        return b"".join(parts), f"multipart/form-data; boundary={boundary}"

    return build


def first_point_and_category(get: Callable[[str], Any]) -> tuple[int, int]:
    """The worker's first point that has check items, and the category of its first item."""
    templates = get("/api/v1/check-templates/")
    for grid in get("/api/v1/patrols/my-grids/"):
        for point in grid["points"]:
            for template in templates:
                if point["type"] in template["point_types"] and template["items"]:
                    return point["id"], template["items"][0]["category"]
    raise RuntimeError("the demo grid worker has no point with check items: run load_check_templates")
