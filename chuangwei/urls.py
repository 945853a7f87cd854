"""Top-level URLs: pages per app, the admin, the API and its schema."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from apps.core import views as core_views
from apps.dashboards.views import home

admin.site.site_header = "创卫管理系统 后台"
admin.site.site_title = "创卫管理系统"
admin.site.index_title = "数据管理"

handler404 = "apps.core.views.not_found"

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("apps.accounts.urls")),
    path("notifications/", include("apps.notifications.urls")),
    path("regions/", include("apps.regions.urls.regions")),
    path("units/", include("apps.regions.urls.units")),
    path("points/", include("apps.regions.urls.points")),
    path("campaigns/", include("apps.checklists.urls.campaigns")),
    path("tasks/", include("apps.checklists.urls.tasks")),
    path("review/", include("apps.checklists.urls.review")),
    path("binders/", include("apps.checklists.urls.binders")),
    path("standards/", include("apps.checklists.urls.standards")),
    path("tickets/", include("apps.tickets.urls.tickets")),
    path("patrols/", include("apps.patrols.urls.office")),
    path("m/", include("apps.patrols.urls.mobile")),
    path("ping/", core_views.ping, name="ping"),
    path("healthz/", core_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("chuangwei.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    re_path(r"^api/", core_views.api_not_found),  # last: any other /api/ address
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    # Debugging under gunicorn (make stack) too, not only runserver: production uses WhiteNoise instead.
    # Uploads (MEDIA_ROOT) get no route in any mode: photos and evidence are served only by the views that
    # check who may see them (tickets:photo, patrols:finding-photo, tasks:evidence_file, binders:download).
    urlpatterns += staticfiles_urlpatterns()
