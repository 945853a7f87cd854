"""The schema tells the truth about refusals: every operation documents the errors it can answer, in the one
error shape of apps/core/api/exceptions.py, so no view has to list them and none is forgotten."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """The one error shape."""

    detail = serializers.CharField(help_text="一句中文说明，可直接展示给用户")
    code = serializers.CharField(
        help_text="错误代码，如 invalid、required、not_found、permission_denied、throttled"
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        # `fields` is the shape's key, but as a class attribute it would shadow Serializer.fields.
        fields = super().get_fields()
        fields["fields"] = serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            help_text="出错的字段（请求体字段或查询参数）及其说明；与具体字段无关时为空",
        )
        return fields


ERRORS = {
    "400": "输入有误，或当前状态不允许此操作；什么也没有改变",
    "401": "未登录或凭据无效",
    "403": "无权执行此操作",
    "404": "不存在或无权查看（列表：页码超出范围）",
    "406": "无法按 Accept 请求头返回",
    "413": "提交的内容过大",
    "414": "请求地址过长（查询参数太多或太长）",
    "415": "不支持的请求体格式",
    "429": "请求过于频繁，请稍后再试",
}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, with the error responses each operation can give added where not declared."""

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        error = self.resolve_serializer(ErrorSerializer, "response").ref
        for code in self._possible_errors():
            response = responses.setdefault(code, {"description": ERRORS[code]})
            # A request line too long is refused by the HTTP server in front, before the API, as a page.
            body = (
                {"text/html": {"schema": {"type": "string"}}}
                if code == "414"
                else {"application/json": {"schema": error}}
            )
            response.setdefault("content", body)
        return responses

    def _possible_errors(self) -> list[str]:
        """Which refusals this operation can answer."""
        # Every operation reads input of some kind, and its address may be too long; throttling is global.
        codes = ["400", "406", "414", "429"]
        if self.get_auth():
            codes += ["401", "403"]
        if self.method in ("POST", "PUT", "PATCH"):
            codes += ["413", "415"]
        # An object in the path, a page past the last, or an id in the body the caller cannot see.
        if "{" in self.path or self._is_list_view() or self.method in ("POST", "PUT", "PATCH"):
            codes.append("404")
        return codes
