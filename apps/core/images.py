"""Photos from phones: check the bytes really are an image, then re-encode a downscaled JPEG without metadata.

Re-encoding means nothing of the original file (scripts, trailing data, GPS in EXIF) is ever served back; the
taken-at time and the GPS position are read from EXIF first and kept as fields.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import PurePosixPath
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_SIDE = 1600
JPEG_QUALITY = 85
EXIF_DATETIME_ORIGINAL = 0x9003
EXIF_IFD = 0x8769
GPS_IFD = 0x8825
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}
# Lists show photos at 72 px; 320 px stays sharp on 3x phone screens and weighs a few tens of KB.
THUMB_SIDE = 320
THUMB_QUALITY = 80
PHOTO_SIZES = {None, "", "thumb"}


@dataclass(frozen=True)
class CleanPhoto:
    """A re-encoded JPEG ready to save, with its size and the time and place the camera recorded."""

    content: ContentFile
    width: int
    height: int
    taken_at: datetime | None
    lat: Decimal | None = None
    lng: Decimal | None = None


def clean_photo(upload: UploadedFile, *, field: str | None = None) -> CleanPhoto:
    """Refuse anything that is not a decodable JPEG/PNG/WebP within the size limit; else re-encode it.

    With `field`, a refusal names the input field the photo came in (`photos`, `after_photos`, `image`).
    """
    if field is None:
        return _clean_photo(upload)
    try:
        return _clean_photo(upload)
    except ValidationError as exc:
        raise ValidationError({field: exc.error_list}) from None


def _clean_photo(upload: UploadedFile) -> CleanPhoto:
    """The check and the re-encoding."""
    name = PurePosixPath(upload.name or "照片").name
    size = upload.size or 0
    if size == 0:
        raise ValidationError(f"「{name}」是空文件，请重新拍摄或选择。", code="empty")
    limit = settings.PHOTO_MAX_BYTES
    if size > limit:
        raise ValidationError(
            f"「{name}」大小为 {filesizeformat(size)}，超过照片上限 {filesizeformat(limit)}。",
            code="too_large",
        )
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            if image.format not in ACCEPTED_FORMATS:
                raise ValidationError(f"「{name}」不是 JPG、PNG 或 WebP 照片。", code="bad_type")
            taken_at = _taken_at(image)
            lat, lng = _position(image)
            picture = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            f"「{name}」不是可以打开的照片（JPG、PNG 或 WebP）。", code="bad_type"
        ) from None
    picture.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    content = ContentFile(out.getvalue(), name="photo.jpg")
    return CleanPhoto(content, picture.width, picture.height, taken_at, lat, lng)


def _taken_at(image: Image.Image) -> datetime | None:
    """DateTimeOriginal from EXIF as an aware local time, if the camera wrote a readable one."""
    raw = image.getexif().get_ifd(EXIF_IFD).get(EXIF_DATETIME_ORIGINAL)
    if not isinstance(raw, str):
        return None
    try:
        # EXIF keeps the camera's local wall-clock time without a zone; read it in the server's zone.
        naive = datetime.strptime(raw.strip("\x00 "), "%Y:%m:%d %H:%M:%S")  # noqa: DTZ007
    except ValueError:
        return None
    return timezone.make_aware(naive)


def _position(image: Image.Image) -> tuple[Decimal | None, Decimal | None]:
    """WGS-84 latitude and longitude from EXIF GPS, to six decimals, if present and in range."""
    gps = image.getexif().get_ifd(GPS_IFD)
    try:
        lat = _degrees(gps[2], gps.get(1, "N"), limit=90)
        lng = _degrees(gps[4], gps.get(3, "E"), limit=180)
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None, None
    return lat, lng


def _degrees(dms: tuple[float, float, float], ref: str, *, limit: int) -> Decimal:
    """Degrees, minutes, seconds (EXIF rationals) and a hemisphere letter as signed decimal degrees."""
    degrees, minutes, seconds = (float(part) for part in dms)
    value = degrees + minutes / 60 + seconds / 3600
    if str(ref).strip("\x00 ").upper() in {"S", "W"}:
        value = -value
    if abs(value) > limit:
        raise ValueError(value)
    return Decimal(f"{value:.6f}")


def photo_response(image: FieldFile, *, size: str | None = None) -> FileResponse:
    """Serve a stored (re-encoded) photo privately, or its thumbnail for `size="thumb"`.

    The caller has already checked who may see it.
    """
    if size not in PHOTO_SIZES:
        raise Http404("没有这个照片尺寸（可选 size=thumb）。")
    try:
        handle = _thumbnail(image) if size == "thumb" else image.open("rb")
    except FileNotFoundError:
        raise Http404("照片文件已不存在。") from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response


def thumb_name(name: str) -> str:
    """Where a photo's thumbnail is kept: the same path under `thumbs/`, named with its size."""
    path = PurePosixPath(name)
    return str(PurePosixPath("thumbs") / path.parent / f"{path.stem}-{THUMB_SIDE}.jpg")


def _thumbnail(image: FieldFile) -> IO[bytes]:
    """The photo's cached thumbnail, made from the original on first request and then kept on the storage.

    Made on request rather than at upload so every photo already stored gets one without a migration or a
    backfill, and no upload (offline phone sync, demo seeding) pays for it. Originals are never replaced, so
    a cached thumbnail cannot go stale.
    """
    storage, name = image.storage, thumb_name(image.name or "")
    try:
        return storage.open(name, "rb")
    except FileNotFoundError:
        pass
    try:
        with image.open("rb") as original, Image.open(original) as picture:
            small = picture.convert("RGB")
    except FileNotFoundError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise Http404("照片文件已损坏。") from None
    small.thumbnail((THUMB_SIDE, THUMB_SIDE))
    out = io.BytesIO()
    small.save(out, format="JPEG", quality=THUMB_QUALITY, optimize=True)
    # Two first requests at once may both make it; the second save is skipped rather than kept twice.
    if not storage.exists(name):
        storage.save(name, ContentFile(out.getvalue()))
    out.seek(0)
    return out
