"""Fixtures for the patrol tests: templates on the test categories, photos out of the way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.patrols.factories import Templates, make_templates


@pytest.fixture
def templates(db: Any) -> Templates:
    """农贸市场 and 病媒 templates over 暴露垃圾 / 三防缺失."""
    return make_templates()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    """Photos the services store land in a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
