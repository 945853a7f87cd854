"""/patrols/: coverage, patrols, findings and check templates for the 创卫办 and territory staff."""

from django.urls import path

from apps.patrols.views import coverage, findings, photos, templates_page

app_name = "patrols"

urlpatterns = [
    path("", coverage.coverage_page, name="coverage"),
    path("list/", coverage.patrol_list, name="list"),
    path("findings/", findings.finding_list, name="findings"),
    path("findings/<uuid:uuid>/", findings.finding_detail, name="finding"),
    path("templates/", templates_page.template_list, name="templates"),
    path("templates/<int:pk>/items/new/", templates_page.item_add, name="item-add"),
    path("templates/items/<int:pk>/", templates_page.item_edit, name="item-edit"),
    path("photos/<int:pk>/", photos.finding_photo, name="finding-photo"),
    path("<uuid:uuid>/", coverage.patrol_detail, name="detail"),
]
