"""Serializer fields shared by the API's apps."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.images import MAX_SIDE, THUMB_SIDE


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
