"""App configuration for apps.dashboards (read-only views over every other app; imported by none)."""

from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "apps.dashboards"
    label = "dashboards"
    verbose_name = "驾驶舱"
