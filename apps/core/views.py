"""Operational endpoints: a trivial ping (the bench baseline) and a health check."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.core.models import WorkerHeartbeat


@require_GET
def ping(request: HttpRequest) -> HttpResponse:
    """Answer 'ok' without touching the database: the ceiling every bench number is compared with."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Report whether the database answers and when a Celery worker was last seen."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    last = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    return JsonResponse({"database": "ok", "worker_last_seen": last.isoformat() if last else None})
