"""Admin for operational records, and the base for admins whose writes go through services."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from apps.core.exceptions import DomainError, error_text
from apps.core.models import WorkerHeartbeat


class ServiceRefused(Exception):
    """A service refused an admin save or delete; the message is the sentence to show."""


@contextmanager
def service_call() -> Iterator[None]:
    """Turn a service's refusal inside an admin hook into `ServiceRefused` (the admin views catch it)."""
    try:
        yield
    except (DomainError, ValidationError, PermissionDenied) as exc:
        raise ServiceRefused(error_text(exc)) from exc


class ServiceAdmin(admin.ModelAdmin):
    """An admin whose save/delete hooks call services: a refusal rolls back and shows as an error message.

    Only refusals raised through `service_call` are caught; the admin's own 403s stay 403s.
    """

    def _refused(self, request: HttpRequest, exc: ServiceRefused) -> HttpResponse:
        self.message_user(request, str(exc), messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:  # Django runs the form view in a transaction: a refusal undoes the log entry too
            return super().changeform_view(request, *args, **kwargs)
        except ServiceRefused as exc:
            return self._refused(request, exc)

    def delete_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().delete_view(request, *args, **kwargs)
        except ServiceRefused as exc:
            return self._refused(request, exc)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        try:  # the bulk delete action is not atomic by itself: one refusal must undo the whole batch
            with transaction.atomic():
                return super().changelist_view(request, extra_context)
        except ServiceRefused as exc:
            return self._refused(request, exc)


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    """When each Celery worker host last reported in; written only by the heartbeat task."""

    list_display = ["hostname", "seen_at"]
    readonly_fields = ["hostname", "seen_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a hand-made row would make /healthz/ report a worker that never ran
