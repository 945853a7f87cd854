"""/m/: the grid worker's installable phone app — its shell page, web app manifest and service worker.

The shell page is rendered for the signed-in worker, but everything the patrol screens show comes from the API
(cached in the phone's IndexedDB), so the page works offline once it has been opened online.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import get_template, render_to_string
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET

from apps.accounts.http import AuthenticatedRequest
from apps.accounts.models import User
from apps.patrols.permissions import is_grid_worker
from apps.patrols.selectors import worker_week

THEME = "#0f6b5c"
# What the service worker precaches: the scripts and styles every /m/ page loads, and the icons.
SHELL_STATIC = [
    "m/app.css",
    "m/store.js",
    "m/sync.js",
    "m/shell.js",
    "m/photos.js",
    "m/geo.js",
    "m/ui.js",
    "m/screens.js",
    "m/finding.js",
    "m/app.js",
    "m/icon-192.png",
    "m/icon-512.png",
    "img/favicon.svg",
]
SHELL_TEMPLATES = ["mobile/base.html", "mobile/home.html", "mobile/sw.js"]


def require_grid_worker(user: User) -> None:
    """The phone pages are the 网格员's; anyone else gets the 403 page."""
    if not is_grid_worker(user):
        raise PermissionDenied("手机巡查页面仅供网格员使用。")


@login_required
@ensure_csrf_cookie
@require_GET
def mobile_home(request: AuthenticatedRequest) -> TemplateResponse:
    """The app shell: today's grids and points, the patrol screens, the sync queue and the 待核查 count."""
    require_grid_worker(request.user)
    week = worker_week(request.user, timezone.now())
    context = {"recheck_count": week["rechecks"], "week": week}
    return TemplateResponse(request, "mobile/home.html", context)


def shell_version() -> str:
    """A digest of the shell's files, so any change to them makes a new cache and a new worker take over."""
    digest = hashlib.sha256(json.dumps(manifest_data(), sort_keys=True).encode())
    for name in SHELL_TEMPLATES:
        digest.update(get_template(name).template.source.encode())  # type: ignore[attr-defined]
    for name in SHELL_STATIC:
        path = finders.find(name)
        if isinstance(path, str):
            with open(path, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()[:12]


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from /m/ so that it may control /m/ (public: it holds no one's data)."""
    context = {
        "version": shell_version(),
        "shell": json.dumps([reverse("mobile:manifest"), *(static(name) for name in SHELL_STATIC)]),
        "home": reverse("mobile:home"),
    }
    body = render_to_string("mobile/sw.js", context)
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("mobile:home")
    # Browsers re-check the worker on every visit; no HTTP caching, so an update is seen at once.
    response["Cache-Control"] = "no-cache"
    return response


def manifest_data() -> dict[str, Any]:
    """What the browser needs to install the app: names, start page and scope, colours and icons."""
    home = reverse("mobile:home")
    icons = [("m/icon-192.png", "192x192", "any"), ("m/icon-512.png", "512x512", "any")]
    icons.append(("m/icon-512.png", "512x512", "maskable"))  # drawn inside the maskable safe zone
    return {
        "id": home,
        "name": "创卫网格巡查",
        "short_name": "网格巡查",
        "description": "网格员每日巡查、拍照上报、现场整改与核查，弱网离线可用。",
        "lang": "zh-CN",
        "start_url": home,
        "scope": home,
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME,
        "background_color": "#f4f6f7",
        "icons": [
            {"src": static(name), "sizes": sizes, "type": "image/png", "purpose": purpose}
            for name, sizes, purpose in icons
        ],
    }


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest (public: browsers fetch it without the session cookie)."""
    return JsonResponse(
        manifest_data(), content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )
