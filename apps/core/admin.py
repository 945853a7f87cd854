"""Admin for operational records."""

from django.contrib import admin

from apps.core.models import WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    """When each Celery worker host last reported in."""

    list_display = ["hostname", "seen_at"]
    readonly_fields = ["hostname", "seen_at"]
