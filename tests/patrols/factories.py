"""A small check-template set and photo bytes for the patrol tests."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.patrols.models import CheckItem, CheckTemplate
from apps.regions.models import PointType
from tests.tickets.factories import Categories, make_categories


@dataclass
class Templates:
    """农贸市场 (two items) and 病媒 (every point, one item), on the tickets' test categories."""

    categories: Categories
    market: CheckTemplate
    vector: CheckTemplate
    garbage_item: CheckItem
    food_item: CheckItem
    vector_item: CheckItem


def make_templates() -> Templates:
    """Categories plus two templates; the market's items cover 暴露垃圾 and 三防缺失."""
    categories = make_categories()
    market = CheckTemplate.objects.create(code="market", name="农贸市场", point_types=[PointType.MARKET])
    vector = CheckTemplate.objects.create(code="vector", name="病媒", point_types=[], order=9)
    return Templates(
        categories=categories,
        market=market,
        vector=vector,
        garbage_item=CheckItem.objects.create(
            template=market,
            code="m-01",
            text="垃圾桶加盖、无满溢",
            problem="垃圾桶未加盖、满溢",
            category=categories.garbage,
            order=1,
        ),
        food_item=CheckItem.objects.create(
            template=market,
            code="m-02",
            text="直接入口食品三防",
            problem="直接入口食品缺三防设施",
            category=categories.food_safety,
            order=2,
        ),
        vector_item=CheckItem.objects.create(
            template=vector,
            code="v-01",
            text="无鼠迹",
            problem="有鼠迹",
            category=categories.garbage,
            order=1,
        ),
    )


def jpeg_bytes(size: tuple[int, int] = (64, 48), *, noise: bool = False) -> bytes:
    """A real JPEG; with noise it stays large (a phone photo of about 200 KB at 640×480)."""
    image = Image.effect_noise(size, 80).convert("RGB") if noise else Image.new("RGB", size, "green")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()


def photo(name: str = "photo.jpg", content: bytes | None = None) -> SimpleUploadedFile:
    """An upload as the phone sends it."""
    return SimpleUploadedFile(name, jpeg_bytes() if content is None else content, content_type="image/jpeg")


def new_uuid() -> str:
    """A fresh client-side UUID."""
    return str(uuid.uuid4())
