"""One API error shape for every refusal: `{"detail", "code", "fields"}`, in Chinese.

`detail` is one sentence to show as is, `code` a stable machine word, and `fields` maps each input field (a
body key or a query parameter) that is wrong to its messages — empty when the refusal is about no one field.
Django's and the services' errors (ValidationError, PermissionDenied, Http404, DomainError, a body over the
size limit) are translated first, so no view has to.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer, as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from apps.core.api.parsers import PayloadTooLarge
from apps.core.exceptions import DomainError

NOT_FOUND = "找不到该记录，或您无权查看。"
NOT_FIELDS = {api_settings.NON_FIELD_ERRORS_KEY, "detail"}


class InputError(exceptions.ValidationError):
    """A serializer's errors, with the Chinese labels of its fields for the one-sentence `detail`."""

    def __init__(self, serializer: BaseSerializer[Any]) -> None:
        super().__init__(cast(Any, serializer.errors))
        fields = getattr(serializer, "fields", {})
        self.labels = {name: str(field.label or "") for name, field in fields.items()}


def validated(serializer: BaseSerializer[Any]) -> Any:
    """The serializer's validated data, or InputError (400) naming each wrong field."""
    if not serializer.is_valid():
        raise InputError(serializer)
    return serializer.validated_data


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Translate, let DRF build the response (status, headers such as Retry-After), then give it the shape."""
    exc = as_api_exception(exc)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.APIException):
        response.data = error_body(exc, context)
    return response


def as_api_exception(exc: Exception) -> Exception:
    """The DRF exception that stands for a Django or service error (others pass unchanged)."""
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, DomainError):
        return exceptions.ValidationError({"detail": [exc.message]}, code=exc.code)
    if isinstance(exc, Http404):
        return exceptions.NotFound(NOT_FOUND)  # get_object_or_404's own message is English
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, RequestDataTooBig | TooManyFieldsSent):
        return PayloadTooLarge()
    if isinstance(exc, OverflowError | DataError):
        # A number no column can hold (an id of 30 digits) reached a query: bad input, not a server fault.
        return exceptions.ValidationError({"detail": ["数值超出范围。"]}, code="out_of_range")
    return exc


def error_body(exc: exceptions.APIException, context: dict[str, Any]) -> dict[str, Any]:
    """The one shape, from any DRF exception."""
    if not isinstance(exc, exceptions.ValidationError):
        return {"detail": str(exc.detail), "code": _code(exc), "fields": {}}
    general: list[str] = []
    fields: dict[str, list[str]] = {}
    details = exc.detail if isinstance(exc.detail, dict) else {"detail": exc.detail}
    for name, messages in details.items():
        if name in NOT_FIELDS:
            general += _messages(messages)
        else:
            fields[str(name)] = _messages(messages)
    if general:
        detail = general[0]
    elif fields:
        name, first = next(iter(fields.items()))
        label = getattr(exc, "labels", {}).get(name) or _label(context, name)
        message = first[0] if first else "输入有误。"
        # A message that already names its field (「点位「…」已停用。」) is not prefixed a second time.
        detail = f"{label}：{message}" if label and not message.startswith(label) else message
    else:
        detail = "输入有误。"
    return {"detail": detail, "code": _code(exc), "fields": fields}


def _messages(value: Any) -> list[str]:
    """Every message under a key, flattened (a list field's items, a nested object's fields)."""
    if isinstance(value, dict):
        return [message for item in value.values() for message in _messages(item)]
    if isinstance(value, list | tuple):
        return [message for item in value for message in _messages(item)]
    return [str(value)]


def _code(exc: exceptions.APIException) -> str:
    """The first code DRF recorded (DomainError's own, or `invalid`, `not_found`, `throttled`…)."""
    codes = exc.get_codes()
    while isinstance(codes, dict | list):
        if not codes:
            return str(exc.default_code)
        codes = next(iter(codes.values())) if isinstance(codes, dict) else codes[0]
    return str(codes)


def _label(context: dict[str, Any], name: str) -> str:
    """The Chinese label of the input field `name` in the view's serializer or filter set, if there is one."""
    view = context.get("view")
    label = ""
    get_serializer = getattr(view, "get_serializer", None)
    if get_serializer is not None:
        try:
            field = get_serializer().fields.get(name)
        except Exception:  # a view whose serializer needs more context than an error has: no label, no harm
            field = None
        label = str(getattr(field, "label", "") or "")
    filterset_class = getattr(view, "filterset_class", None)
    if not label and filterset_class is not None and name in filterset_class.base_filters:
        label = str(filterset_class.base_filters[name].label or "")
    return label
