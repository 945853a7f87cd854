"""Short-lived caches of expensive numbers (a home page's counts over the whole city, a list's total), keyed
by a version that writers bump: a change is seen at once, and time alone (an overdue clock) moves a number
within a minute. Numbers about a model live under its label (`namespace_of`); for a model registered with
`remember_numbers_of`, saving or deleting any row forgets them, and a bulk update() says so itself.

Without Redis each process keeps its own cache (one process in `make run`); with Redis every process shares
it, and a writer's bump reaches them all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

T = TypeVar("T")
SECONDS = 60
_MISSING = object()
# Models whose writes forget the numbers about them (remember_numbers_of), by namespace.
REMEMBERED: set[str] = set()


def remembered(namespace: str, key: str, compute: Callable[[], T], *, now: datetime) -> T:
    """compute(), kept up to a minute (the key holds the minute of `now`) under the namespace's version."""
    version = cache.get(_version_key(namespace), 0)
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


def remembered_about(
    model: type[models.Model],
    key: str,
    compute: Callable[[], T],
    *,
    now: datetime,
    also: tuple[type[models.Model], ...] = (),
) -> T:
    """compute() of something read from the model's rows (a count, an aggregate, choices), remembered under
    its namespace; `also` names the other models it reads, whose writes forget it too. Computed every time
    when any of them is not remembered. `key` names what else it depends on (the viewer, the filters)."""
    namespaces = [namespace_of(each) for each in (model, *also)]
    if not REMEMBERED.issuperset(namespaces):
        return compute()
    if also:
        names = [_version_key(namespace) for namespace in namespaces[1:]]
        versions = cache.get_many(names)
        key = f"{key}:" + ".".join(str(versions.get(name, 0)) for name in names)
    return remembered(namespaces[0], key, compute, now=now)


def forget_all_numbers() -> None:
    """Every remembered number is dropped (after writes that bypass the services, such as raw SQL)."""
    for namespace in REMEMBERED:
        forget_numbers(namespace)


def remember_numbers_of(*senders: type[models.Model]) -> None:
    """Let numbers about these models be remembered: any saved or deleted row forgets them."""
    for sender in senders:
        namespace = namespace_of(sender)
        REMEMBERED.add(namespace)
        post_save.connect(_rows_changed, sender=sender, dispatch_uid=f"numbers-saved-{namespace}")
        post_delete.connect(_rows_changed, sender=sender, dispatch_uid=f"numbers-deleted-{namespace}")


def _rows_changed(sender: type[models.Model], **kwargs: Any) -> None:
    """A row of `sender` was saved or deleted."""
    forget_numbers(namespace_of(sender))


def namespace_of(model: type[models.Model]) -> str:
    """Where numbers about the model's rows are remembered (its label, "tickets.ticket")."""
    return model._meta.label_lower


def fingerprint(*parts: object) -> str:
    """A short, stable key for what a number depends on (the same in every process)."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()


def _bump(namespace: str) -> None:
    key = _version_key(namespace)
    try:
        cache.incr(key)
    except ValueError:  # not there yet (or evicted): any new value differs from the readers' 0
        cache.set(key, 1, None)


def _version_key(namespace: str) -> str:
    """Where the namespace's version lives: part of every remembered key, bumped by each write."""
    return f"numbers:{namespace}:version"
