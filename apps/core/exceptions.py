"""Project-wide error type raised by services for rule violations users can fix, and its text for pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError


class DomainError(Exception):
    """A business rule refused the action; the message is shown to the user as is (Chinese)."""

    def __init__(self, message: str, *, code: str = "domain_error") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def error_text(exc: DomainError | ValidationError | PermissionDenied) -> str:
    """A service's refusal as one Chinese sentence."""
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    if isinstance(exc, DomainError):
        return exc.message
    return str(exc) or "您没有执行此操作的权限。"
