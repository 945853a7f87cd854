"""Form pieces every app uses: the date picker, a several-files field, a service's refusal shown on a form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from apps.core.dates import EARLIEST_DAY, LATEST_DAY


class DateInput(forms.DateInput):
    """The browser's date picker; its value is ISO 8601 whatever the locale prints (zh-hans: 2027/03/31)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class BoundedDateField(forms.DateField):
    """A date from EARLIEST_DAY to LATEST_DAY: no filter or report does arithmetic on year 1 or 9999."""

    def to_python(self, value: Any) -> Any:
        day = super().to_python(value)
        if day is not None and not EARLIEST_DAY <= day <= LATEST_DAY:
            raise ValidationError(
                f"日期须在 {EARLIEST_DAY:%Y-%m-%d} 至 {LATEST_DAY:%Y-%m-%d} 之间。", code="out_of_range"
            )
        return day


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; emptiness and type are judged by the upload check, file by file."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        files = data if isinstance(data, list | tuple) else [data]
        return [single(f, initial) for f in files if f]


def add_service_error(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the named field when the form has it, else on top."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)
