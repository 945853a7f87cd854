"""A JSON parser with limits: a bounded body and bounded nesting, refused in Chinese before any work."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from rest_framework import exceptions, parsers


class PayloadTooLarge(exceptions.APIException):
    """413: the body is larger than the API takes."""

    status_code = 413
    default_detail = "提交的内容过大。"
    default_code = "payload_too_large"


def max_json_bytes() -> int:
    """The largest JSON body the API reads (no API input needs more than a few kilobytes of text)."""
    return int(getattr(settings, "API_JSON_MAX_BYTES", 1024 * 1024))


MAX_DEPTH = 20  # the deepest input (a finding's check results) is three levels


def depth_of(value: Any) -> int:
    """How deeply lists and objects nest in a parsed document (iterative: no recursion to exhaust)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            return deepest
        stack.extend((child, depth + 1) for child in children)
    return deepest


class JSONParser(parsers.JSONParser):
    """DRF's strict JSON parser, reading at most API_JSON_MAX_BYTES and refusing deep nesting."""

    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:
        limit = max_json_bytes()
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if declared and str(declared).isdigit() and int(declared) > limit:
            raise PayloadTooLarge(f"提交的内容过大：JSON 不能超过 {limit // 1024} KB。")
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise PayloadTooLarge(f"提交的内容过大：JSON 不能超过 {limit // 1024} KB。")
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.loads(raw.decode(encoding), parse_constant=_refuse_constant)
        except RecursionError:
            raise exceptions.ParseError(f"JSON 嵌套过深：最多 {MAX_DEPTH} 层。") from None
        except (ValueError, UnicodeDecodeError):
            raise exceptions.ParseError("提交的内容不是有效的 JSON。") from None
        if depth_of(data) > MAX_DEPTH:
            raise exceptions.ParseError(f"JSON 嵌套过深：最多 {MAX_DEPTH} 层。")
        return data


def _refuse_constant(name: str) -> Any:
    """NaN and Infinity are not JSON (DRF refuses them too)."""
    raise ValueError(f"{name} 不是有效的 JSON 数值")
