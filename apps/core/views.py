"""Operational endpoints: a trivial ping (the bench baseline), a health check, and the API's own 404."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from django.views.defaults import page_not_found

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


@csrf_exempt  # it changes nothing; a POST to a wrong address should hear 404, not a CSRF page
def api_not_found(request: HttpRequest, *args: object, **kwargs: object) -> JsonResponse:
    """An /api/ address nothing answers, in the API's error shape (in DEBUG too, unlike handler404)."""
    body = {"detail": "没有这个接口地址。", "code": "not_found", "fields": {}}
    return JsonResponse(body, status=404, json_dumps_params={"ensure_ascii": False})


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A 404 outside DRF: under /api/ the API's error shape, elsewhere the usual page."""
    if request.path.startswith("/api/"):
        return api_not_found(request)
    return page_not_found(request, exception)
