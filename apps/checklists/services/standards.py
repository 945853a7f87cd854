"""Writing a standard: apply an Excel import's plan (office only); load the shipped 2021 and 2014 standards.

Both plan again against the current database and save that plan's rows in order (apps.core.sync.apply):
the standard, its categories, items, then requirements. Nothing is deleted; any problem rolls everything back.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from apps.accounts.models import User
from apps.checklists.models import Standard
from apps.checklists.permissions import can_manage_campaign
from apps.checklists.standards import StandardPlan, read_json, standard_plan, standard_replan
from apps.core.sync import SyncRow, apply

SHIPPED = ("nhc2021.json", "nhc2014.json")
OFFICE_ONLY = "只有创卫办可以导入标准。"


@transaction.atomic
def standard_apply(*, plan: StandardPlan, actor: User) -> StandardPlan:
    """Write a problem-free plan in one transaction (office only); returns the plan as carried out."""
    if not can_manage_campaign(actor):
        raise PermissionDenied(OFFICE_ONLY)
    return _apply(plan)


def _apply(plan: StandardPlan) -> StandardPlan:
    """Re-plan against the current database and save; any problem rolls everything back."""
    if plan.data is None or plan.errors:
        raise ValidationError([str(p) for p in plan.errors] or ["没有可导入的内容。"])
    with transaction.atomic():
        done = standard_replan(plan.data)
        if done.errors:
            raise ValidationError([str(p) for p in done.errors])
        apply(done.rows, update=True, save=_save)
    return done


def _save(row: SyncRow) -> None:
    """Save a row the plan has already validated (its parents are saved before it)."""
    if row.obj is not None:
        row.obj.save()


@transaction.atomic
def standards_load_shipped(*, update_existing: bool = False) -> list[StandardPlan]:
    """Load the shipped 2021 and 2014 standards (fixtures/standards/); a rerun changes nothing.

    A standard already in the database is only compared, not written, unless `update_existing`: a city may
    have edited it through the Excel import, and a routine reload must not undo that.
    """
    directory = settings.BASE_DIR / "fixtures" / "standards"
    plans = []
    for name in SHIPPED:
        plan = standard_plan(read_json(directory / name))
        exists = plan.data is not None and Standard.objects.filter(code=plan.data.code).exists()
        plans.append(_apply(plan) if update_existing or not exists else plan)
    return plans
