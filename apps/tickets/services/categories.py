"""Loading the shipped problem categories: create what is missing, compare the rest, write it only on request.

problem_categories_load_shipped()                      # creates what is missing, compares the rest
problem_categories_load_shipped(update_existing=True)  # also brings existing ones in line with the file
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from apps.core.sync import SyncRow, apply, validated
from apps.tickets.categories import SHIPPED, problem_categories_plan


@transaction.atomic
def problem_categories_load_shipped(*, update_existing: bool = False, path: Path = SHIPPED) -> list[SyncRow]:
    """Create the shipped categories that are missing; existing ones are compared, written only when asked.

    A rerun changes nothing. Any invalid entry rolls the whole load back (ValidationError naming its code).
    """
    return apply(problem_categories_plan(path), update=update_existing, save=_save)


def _save(row: SyncRow) -> None:
    """Validate (two levels, limits, choices) and save; errors name the category's code."""
    validated(row).save()
