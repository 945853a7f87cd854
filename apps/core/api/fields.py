"""API fields: strict input (the type the schema says, numbers and dates in range before any arithmetic)
and the permission-checked photo URL.

DRF is lenient where the API must not be: a CharField takes `0` as "0", a UUIDField takes an integer, a
DecimalField quantizes 1e400 (and fails inside decimal), a DateTimeField takes the year 9999 (and a time-zone
conversion overflows on it). These refuse such input at the edge, in Chinese.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.dates import EARLIEST_DAY, LATEST_DAY
from apps.core.images import MAX_SIDE, THUMB_SIDE

# How far back or ahead a phone's clock may put a photo or a finding (older ones are not this campaign's).
PAST_LIMIT = timedelta(days=366)
FUTURE_SLACK = timedelta(days=1)


class IdField(serializers.IntegerField):
    """An id as a whole number a database column can hold: a 30-digit id is a 400 on every database."""

    MAX = 2**63 - 1

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", self.MAX)
        super().__init__(**kwargs)


class StrictCharField(serializers.CharField):
    """Text that must be sent as a JSON string (or a form value), never as a number."""

    default_error_messages = {"invalid": "请以文字填写。"}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return str(super().to_internal_value(data))


class StrictUUIDField(serializers.UUIDField):
    """A UUID written as a string (DRF would also take an integer and make one up from it)."""

    default_error_messages = {"invalid": "须为 UUID 格式的字符串，如 3f2b8a9e-1c4d-4e5f-8a6b-7c8d9e0f1a2b。"}

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class CoordinateField(serializers.DecimalField):
    """Degrees as phones send them (15 decimals), range-checked, then rounded to the model's 6 (0.1 m)."""

    STEP = Decimal("0.000001")

    def __init__(self, *, limit: int, **kwargs: Any) -> None:
        self.limit = Decimal(limit)
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"] = {
            "invalid": "须为数字（度）。",
            "max_string_length": "数字过长。",
            "out_of_range": f"须在 -{limit} 到 {limit} 度之间。",
            **kwargs["error_messages"],
        }
        super().__init__(
            max_digits=9,
            decimal_places=6,
            min_value=-self.limit,
            max_value=self.limit,
            required=False,
            allow_null=True,
            default=None,
            **kwargs,
        )

    def to_internal_value(self, data: Any) -> Decimal:
        if isinstance(data, bool) or not isinstance(data, str | int | float | Decimal):
            self.fail("invalid")
        text = str(data).strip()
        if len(text) > 40:  # a coordinate never needs more; longer is a number made to hurt
            self.fail("max_string_length")
        try:
            value = Decimal(text)
        except InvalidOperation:
            self.fail("invalid")
        if not value.is_finite():
            self.fail("invalid")
        if abs(value) > self.limit:  # before quantize: 1e22 or 1e400 must never reach decimal arithmetic
            self.fail("out_of_range")
        return self.validate_precision(value.quantize(self.STEP, rounding=ROUND_HALF_UP))


class MomentField(serializers.DateTimeField):
    """A date and time within the years the system holds (no time-zone overflow at year 1 or 9999).

    Whether a deadline lies ahead, and not too far, is the service's rule (the web forms share it).
    """

    default_error_messages = {"out_of_range": f"须在 {EARLIEST_DAY.year} 年至 {LATEST_DAY.year} 年之间。"}

    def to_internal_value(self, value: Any) -> datetime:
        try:
            moment = super().to_internal_value(value)
        except OverflowError:  # an offset that carries year 9999 past the end of the calendar
            self.fail("out_of_range")
        if not EARLIEST_DAY <= moment.date() <= LATEST_DAY:
            self.fail("out_of_range")
        return moment


class RecordedAtField(MomentField):
    """When a phone recorded something: not more than a year back, not ahead of the server by over a day."""

    default_error_messages = {
        "too_old": "不能早于一年以前，请检查手机时间。",
        "future": "晚于当前时间，请检查手机时间。",
    }

    def to_internal_value(self, value: Any) -> datetime:
        moment = super().to_internal_value(value)
        now = timezone.now()
        if moment < now - PAST_LIMIT:
            self.fail("too_old")
        if moment > now + FUTURE_SLACK:
            self.fail("future")
        return moment


@extend_schema_field(OpenApiTypes.URI)
class PhotoUrlField(serializers.Field):
    """The permission-checked page that serves a photo (full size, or `?size=thumb`), never a `/media/` path.

    The page accepts the session and `Authorization: Token …` alike and answers 404 to those who may not see
    the photo, so the URL can be handed to any client.
    """

    def __init__(self, route: str, *, thumb: bool = False, **kwargs: Any) -> None:
        self.route, self.thumb = route, thumb
        side = (
            f"缩略图 JPEG，长边不超过 {THUMB_SIDE} 像素"
            if thumb
            else f"照片 JPEG，长边不超过 {MAX_SIDE} 像素"
        )
        kwargs.setdefault("help_text", f"{side}；凭会话或 Token 访问，无权查看时 404")
        super().__init__(source="pk", read_only=True, **kwargs)

    def to_representation(self, value: int) -> str:
        url = reverse(self.route, args=[value]) + ("?size=thumb" if self.thumb else "")
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url
