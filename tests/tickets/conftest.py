"""Fixtures for the ticket tests: a small category set and photos stored out of the way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.tickets.factories import Categories, make_categories


@pytest.fixture
def categories(db: Any) -> Categories:
    """市容环境 / 暴露垃圾 (4 工作时) and 食品 / 三防缺失 (2 工作日)."""
    return make_categories()


@pytest.fixture
def media_in_tmp(settings: Any, tmp_path: Path) -> None:
    """Photos the services store land in a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
