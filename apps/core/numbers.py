"""Short-lived caches of expensive numbers (a home page's counts over the whole city), keyed by a version that
writers bump: a change is seen at once, and time alone (an overdue clock) moves a number within a minute.

Without Redis each process keeps its own cache (one process in `make run`); with Redis every process shares
it, and a writer's bump reaches them all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

T = TypeVar("T")
SECONDS = 60
_MISSING = object()


def remembered(namespace: str, key: str, compute: Callable[[], T], *, now: datetime) -> T:
    """compute(), kept up to a minute (the key holds the minute of `now`) under the namespace's version."""
    version = cache.get(f"numbers:{namespace}:version", 0)
    full = f"numbers:{namespace}:{version}:{timezone.localtime(now):%Y%m%d%H%M}:{key}"
    value = cache.get(full, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(full, value, SECONDS)
    return value  # type: ignore[return-value]


def forget_numbers(namespace: str) -> None:
    """What the namespace counts has changed: drop every remembered number, now and again at commit (a read
    in between, from another connection, still saw the old rows)."""
    _bump(namespace)
    transaction.on_commit(lambda: _bump(namespace))


def fingerprint(*parts: object) -> str:
    """A short, stable key for what a number depends on (the same in every process)."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()


def _bump(namespace: str) -> None:
    key = f"numbers:{namespace}:version"
    try:
        cache.incr(key)
    except ValueError:  # not there yet (or evicted): any new value differs from the readers' 0
        cache.set(key, 1, None)
