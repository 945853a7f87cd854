"""Filter pieces every list uses."""

from __future__ import annotations

from django_filters import rest_framework as filters

from apps.core.forms import BoundedDateField


class DateFilter(filters.DateFilter):
    """A day filter that refuses dates outside the years this system can hold (in Chinese, as a 400)."""

    field_class = BoundedDateField
