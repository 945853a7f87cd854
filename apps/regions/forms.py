"""Edit forms for regions, units and points; the services validate and save."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from apps.regions.models import Point, Region, Unit
from apps.regions.services import UNIT_CONTACT_FIELDS


class RegionForm(forms.ModelForm):
    """Name and centre of a region (the tree shape is managed in the admin and imports)."""

    class Meta:
        model = Region
        fields = ["name", "centre_lat", "centre_lng", "boundary"]
        widgets = {"boundary": forms.Textarea(attrs={"rows": 4})}


class UnitForm(forms.ModelForm):
    """A unit's details; unit staff see only the contact fields."""

    webhook_url = forms.URLField(label="群机器人地址", required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = Unit
        fields = [
            "name",
            "short_name",
            "type",
            "region",
            "principal_name",
            "principal_phone",
            "liaison_name",
            "liaison_phone",
            "webhook_kind",
            "webhook_url",
            "is_active",
        ]

    def __init__(self, *args: Any, contacts_only: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if contacts_only:
            for name in list(self.fields):
                if name not in UNIT_CONTACT_FIELDS:
                    del self.fields[name]


class PointForm(forms.ModelForm):
    """A point's details; grid and unit choices are limited to what the editor can see."""

    class Meta:
        model = Point
        fields = ["name", "type", "address", "grid", "lat", "lng", "responsible_unit", "is_active"]

    def __init__(self, *args: Any, grids: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["grid"]).queryset = grids
        cast(forms.ModelChoiceField, self.fields["responsible_unit"]).queryset = units
