"""App configuration for apps.regions."""

from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "apps.regions"
    label = "regions"
    verbose_name = "区域、单位与点位"
