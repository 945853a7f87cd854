"""Phone photos: the real bytes decide, the re-encoded JPEG keeps no metadata, time and place are fields."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.core.images import EXIF_DATETIME_ORIGINAL, EXIF_IFD, GPS_IFD, clean_photo


def camera_jpeg(gps: dict[int, Any] | None = None, taken: str | None = None) -> SimpleUploadedFile:
    """A JPEG with EXIF as a phone camera writes it."""
    exif = Image.Exif()
    if gps is not None:
        exif[GPS_IFD] = gps
    if taken is not None:
        exif[EXIF_IFD] = {EXIF_DATETIME_ORIGINAL: taken}
    out = io.BytesIO()
    Image.new("RGB", (2000, 1000), "gray").save(out, format="JPEG", exif=exif.tobytes())
    return SimpleUploadedFile("camera.jpg", out.getvalue(), content_type="image/jpeg")


def test_gps_and_time_become_fields_and_leave_the_file() -> None:
    gps = {1: "N", 2: (30.0, 15.0, 36.0), 3: "W", 4: (120.0, 9.0, 0.0)}
    photo = clean_photo(camera_jpeg(gps, "2026:11:30 09:15:00"))
    assert (photo.lat, photo.lng) == (Decimal("30.260000"), Decimal("-120.150000"))
    assert photo.taken_at is not None
    assert photo.taken_at.strftime("%Y-%m-%d %H:%M") == "2026-11-30 09:15"
    assert (photo.width, photo.height) == (1600, 800)
    with Image.open(photo.content) as stored:
        assert not stored.getexif()


@pytest.mark.parametrize(
    "gps",
    [
        None,
        {1: "N", 2: (95.0, 0.0, 0.0), 3: "E", 4: (120.0, 0.0, 0.0)},  # latitude beyond the pole
        {1: "N", 2: (30.0, 0.0, 0.0)},  # no longitude
    ],
)
def test_missing_or_impossible_positions_are_left_empty(gps: dict[int, Any] | None) -> None:
    photo = clean_photo(camera_jpeg(gps))
    assert (photo.lat, photo.lng) == (None, None)


def test_a_renamed_file_is_refused_in_chinese() -> None:
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.7 not a photo", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="不是可以打开的照片"):
        clean_photo(fake)
