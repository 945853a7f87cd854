"""The Python-written <select> is byte for byte what Django's templates write."""

from __future__ import annotations

from django import forms
from django.forms.renderers import DjangoTemplates

from apps.core.renderers import QuickFormRenderer

CHOICES = [("", "全部"), ("大类", [("1", 'a<b & "c"'), ("2", "暴露垃圾")]), ("3", "其他")]


def both(widget: forms.Widget, value: object, attrs: dict | None = None) -> tuple[str, str]:
    """The widget rendered by Django's renderer and by ours."""
    return (
        widget.render("category", value, attrs=attrs, renderer=DjangoTemplates()),
        widget.render("category", value, attrs=attrs, renderer=QuickFormRenderer()),
    )


def test_select_with_groups_selection_and_attributes_matches_django() -> None:
    widget = forms.Select(choices=CHOICES, attrs={"class": "x", "required": True, "data-off": False})
    django_html, ours = both(widget, "2", attrs={"id": "id_category", "title": "<类别>"})
    assert ours == django_html
    assert "selected" in ours
    assert "&lt;b &amp;" in ours


def test_multiple_select_matches_django() -> None:
    widget = forms.SelectMultiple(choices=CHOICES)
    django_html, ours = both(widget, ["1", "3"])
    assert ours == django_html
    assert ours.count(" selected") == 2


def test_an_option_with_its_own_template_is_left_to_django() -> None:
    class Custom(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    django_html, ours = both(Custom(choices=CHOICES), "1")
    assert ours == django_html


def test_form_renderer_is_the_quick_one(settings) -> None:
    assert settings.FORM_RENDERER == "apps.core.renderers.QuickFormRenderer"
