"""Fixtures the integration tests share."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cchc.services.workspace import Workspace
from tests.integration.screen_ctx import NOON


@pytest.fixture
def ws(db_path: Path) -> Iterator[Workspace]:
    """A seeded laptop's workspace whose clock stands at 10/07/2026, noon on the island."""
    workspace = Workspace.open(db_path, clock=lambda: NOON)
    yield workspace
    workspace.close()
