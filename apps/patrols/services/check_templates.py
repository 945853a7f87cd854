"""Loading the shipped check templates and items: create what is missing, write the rest only on request.

check_templates_load_shipped()                      # creates what is missing, compares the rest
check_templates_load_shipped(update_existing=True)  # also brings existing ones in line with the file
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from apps.core.sync import SyncRow, apply, validated
from apps.patrols.check_templates import SHIPPED, check_templates_plan


@transaction.atomic
def check_templates_load_shipped(*, update_existing: bool = False, path: Path = SHIPPED) -> list[SyncRow]:
    """Create the shipped templates and items that are missing; compare existing ones, write them on request.

    A rerun changes nothing. An unknown category or a 大类, or any invalid entry, rolls the whole load back
    (ValidationError naming the template and item).
    """
    return apply(check_templates_plan(path), update=update_existing, save=_save)


def _save(row: SyncRow) -> None:
    """Validate (lengths, slugs, unique codes) and save; errors name the template or item."""
    validated(row).save()
