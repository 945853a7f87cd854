"""One notification per recipient: what happened, where to look, and whether it has been read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User

kind_validator = RegexValidator(
    r"^[a-z][a-z0-9_.]*$", "类型代码只能包含小写字母、数字、下划线和点，并以字母开头。"
)


def is_relative_link(link: str) -> bool:
    """True for a path on this site ("/tickets/3/"); anything with a scheme or host could send users away."""
    # An empty host list refuses every absolute URL, even to this site: notifications only ever point inward.
    return link.startswith("/") and url_has_allowed_host_and_scheme(link, allowed_hosts=None)


def validate_relative_link(link: str) -> None:
    """Refuse links that leave the site."""
    if link and not is_relative_link(link):
        raise ValidationError("链接必须是本站的相对地址（以 / 开头）。", code="absolute_link")


class NotificationQuerySet(models.QuerySet["Notification"]):
    """Reads over notifications; `visible_to(user)` is the one gate: everyone sees only their own."""

    def visible_to(self, user: User | AnonymousUser) -> NotificationQuerySet:
        """The user's own notifications (none for an anonymous visitor)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient_id=user.pk)

    def unread(self) -> NotificationQuerySet:
        """Notifications not yet opened or marked read."""
        return self.filter(read_at__isnull=True)

    def newest_first(self) -> NotificationQuerySet:
        """Most recent first; the id breaks ties within one batch."""
        return self.order_by("-created_at", "-pk")


class Notification(models.Model):
    """A message for one user, in the in-app inbox (站内通知)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(
        "类型",
        max_length=50,
        validators=[kind_validator],
        help_text="发送方定义的类型代码，如 ticket_due_soon。",
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField(
        "链接", max_length=500, blank=True, validators=[validate_relative_link], help_text="本站相对地址。"
    )
    created_at = models.DateTimeField("时间", default=timezone.now)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    dedupe_key = models.CharField(
        "去重键",
        max_length=200,
        blank=True,
        help_text="非空时，同一接收人同一键只收到一次（定时任务重试也不会重复）。",
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notification_unique_dedupe_key",
            )
        ]
        # Serves the unread count in every page's top bar and the inbox listing.
        indexes = [models.Index(fields=["recipient", "read_at", "created_at"], name="notification_inbox_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        """Whether the recipient has opened it or marked it read."""
        return self.read_at is not None
