"""Patrol and finding writes; each is idempotent by the UUID the phone generated."""

from apps.patrols.services.findings import PhotoUpload, finding_add_photo, finding_submit
from apps.patrols.services.patrols import patrol_finish, patrol_start, patrol_visit

__all__ = [
    "PhotoUpload",
    "finding_add_photo",
    "finding_submit",
    "patrol_finish",
    "patrol_start",
    "patrol_visit",
]
