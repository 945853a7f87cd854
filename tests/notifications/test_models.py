"""The notification row: dedupe constraint, relative links only, and who sees which rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.accounts.models import User
from apps.notifications.models import Notification, is_relative_link
from tests.notifications.factories import NotificationFactory


def test_same_dedupe_key_twice_for_one_recipient_is_refused_by_the_database(actors: dict[str, User]) -> None:
    NotificationFactory(recipient=actors["unit"], dedupe_key="weekly:2025-W10")
    with pytest.raises(IntegrityError), transaction.atomic():
        NotificationFactory(recipient=actors["unit"], dedupe_key="weekly:2025-W10")


def test_dedupe_key_is_per_recipient_and_blank_keys_never_clash(actors: dict[str, User]) -> None:
    NotificationFactory(recipient=actors["unit"], dedupe_key="weekly:2025-W10")
    NotificationFactory(recipient=actors["unit_other"], dedupe_key="weekly:2025-W10")
    NotificationFactory(recipient=actors["unit"])
    NotificationFactory(recipient=actors["unit"])
    assert Notification.objects.count() == 4


@pytest.mark.parametrize(
    ("link", "relative"),
    [
        ("/tickets/3/", True),
        ("/tickets/?status=open#top", True),
        ("https://evil.example.com/", False),
        ("http://testserver/tickets/", False),
        ("//evil.example.com/", False),
        ("///evil.example.com/", False),
        ("javascript:alert(1)", False),
        ("tickets/3/", False),
        ("/\\evil.example.com", False),
    ],
)
def test_only_paths_on_this_site_count_as_relative_links(link: str, relative: bool) -> None:
    assert is_relative_link(link) is relative


def test_full_clean_refuses_an_absolute_link(actors: dict[str, User]) -> None:
    notification = Notification(
        recipient=actors["unit"], kind="x", title="t", link="https://evil.example.com/"
    )
    with pytest.raises(ValidationError) as caught:
        notification.full_clean()
    assert "link" in caught.value.message_dict


def test_everyone_sees_only_their_own_notifications(actors: dict[str, User], db: Any) -> None:
    mine = NotificationFactory(recipient=actors["unit"])
    NotificationFactory(recipient=actors["office"])
    assert list(Notification.objects.visible_to(actors["unit"])) == [mine]
    # Seeing the whole city does not extend to other people's inboxes.
    assert mine not in Notification.objects.visible_to(actors["admin"])
    assert not Notification.objects.visible_to(AnonymousUser()).exists()
