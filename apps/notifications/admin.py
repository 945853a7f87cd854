"""Admin for notifications: look up what was sent to whom; delivery goes through `notify`, not this form."""

from django.contrib import admin
from django.http import HttpRequest

from apps.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only view of the inbox rows."""

    list_display = ["title", "recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind", "created_at"]
    search_fields = ["title", "recipient__username", "recipient__real_name", "dedupe_key"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False
