"""App configuration for apps.regions."""

from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "apps.regions"
    label = "regions"
    verbose_name = "区域、单位与点位"

    def ready(self) -> None:
        """Numbers about regions, units, points and grid assignments: remembered until one changes."""
        from apps.core.numbers import remember_numbers_of
        from apps.regions.models import GridAssignment, Point, Region, Unit

        remember_numbers_of(Region, Unit, Point, GridAssignment)
