"""/api/v1/: one router for every app's API viewsets."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from apps.accounts.api.views import MeView, ObtainTokenView
from apps.checklists.api.views import CampaignViewSet, EvidenceViewSet, TaskViewSet
from apps.notifications.api.views import NotificationViewSet
from apps.patrols.api.views import CheckTemplateViewSet, FindingViewSet, PatrolViewSet
from apps.regions.api.views import PointViewSet, RegionViewSet, UnitViewSet
from apps.tickets.api.views import TicketViewSet

app_name = "api"

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("units", UnitViewSet, basename="unit")
router.register("points", PointViewSet, basename="point")
router.register("campaigns", CampaignViewSet, basename="campaign")
router.register("tasks", TaskViewSet, basename="task")
router.register("evidence", EvidenceViewSet, basename="evidence")
router.register("tickets", TicketViewSet, basename="ticket")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("check-templates", CheckTemplateViewSet, basename="check-template")
router.register("patrols", PatrolViewSet, basename="patrol")
router.register("findings", FindingViewSet, basename="finding")

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="token"),
    path("me/", MeView.as_view(), name="me"),
    *router.urls,
]
