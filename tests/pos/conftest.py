"""POS fixtures: every test runs for both FDM generations; the ``db`` parameter adds PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pos.support import Rig, pos_rig


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'pos.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture(params=[1, 2], ids=["sce1", "sce2"])
def rig(request: pytest.FixtureRequest, db_url: str, tmp_path: Path) -> Iterator[Rig]:
    with pos_rig(db_url, int(request.param), tmp_path / "state") as made:
        yield made
