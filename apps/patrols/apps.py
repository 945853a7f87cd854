"""App configuration for apps.patrols."""

from django.apps import AppConfig


class PatrolsConfig(AppConfig):
    """Grid patrols (网格巡查): check templates, patrols, findings with photos, the phone PWA."""

    name = "apps.patrols"
    verbose_name = "网格巡查"

    def ready(self) -> None:
        """A week's coverage is remembered until a patrol, visit or finding changes."""
        from apps.core.numbers import remember_numbers_of
        from apps.patrols.models import Finding, Patrol, PatrolVisit

        remember_numbers_of(Patrol, PatrolVisit, Finding)
