"""The patrols' choices: one definition each.

A leaf module (only Django imports it), so that the models, the QuerySets, the filters and the selectors
can all name an outcome with the same enum member instead of repeating strings.
"""

from __future__ import annotations

from django.db import models


class CheckResult(models.TextChoices):
    OK = "ok", "合格"
    PROBLEM = "problem", "有问题"
    NOT_APPLICABLE = "na", "不涉及"


class Outcome(models.TextChoices):
    FIXED = "fixed", "已现场整改"
    REPORTED = "reported", "上报"


class FindingPhotoKind(models.TextChoices):
    BEFORE = "before", "问题照片"
    AFTER = "after", "整改后"
