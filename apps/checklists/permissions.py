"""Who may change what in campaigns: 404 if you can't see it (visible_to), 403 if you can't change it."""

from __future__ import annotations

from apps.accounts.models import Role, User
from apps.checklists.models import Task


def can_manage_campaign(user: User) -> bool:
    """Only the 创卫办 assigns tasks, reviews evidence, imports standards and builds binders."""
    return user.manages_everything


def can_upload_evidence(user: User, task: Task) -> bool:
    """The lead unit's staff (and the office) upload; supporting units and leaders only read."""
    if user.manages_everything:
        return True
    return user.has_role(Role.UNIT) and user.unit_id is not None and user.unit_id == task.lead_unit_id


def can_update_progress(user: User, task: Task) -> bool:
    """The same people who upload may write the progress note."""
    return can_upload_evidence(user, task)
