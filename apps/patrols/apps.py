"""App configuration for apps.patrols."""

from django.apps import AppConfig


class PatrolsConfig(AppConfig):
    """Grid patrols (网格巡查): check templates, patrols, findings with photos, the phone PWA."""

    name = "apps.patrols"
    verbose_name = "网格巡查"
