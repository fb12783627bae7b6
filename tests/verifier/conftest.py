"""One simulated SCE 1.0 month and two SCE 2.0 days, written, signed and exported once per session."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from sce.audit.export import export_journal
from sce.db.engine import open_engine
from tests.verifier.corpus import write_v1_month, write_v2_days


@pytest.fixture(scope="session")
def v1_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("v1month")
    url = write_v1_month(base, days=30)
    engine = open_engine(url)
    export_journal(engine, base / "export")
    engine.dispose()
    return base / "export"


@pytest.fixture(scope="session")
def v1_db(v1_export: Path) -> str:
    return f"sqlite:///{v1_export.parent / 'pos.db'}"


@pytest.fixture(scope="session")
def v2_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("v2days")
    url = write_v2_days(base, days=2)
    engine = open_engine(url)
    export_journal(engine, base / "export")
    engine.dispose()
    return base / "export"


@pytest.fixture
def copy_of(tmp_path: Path) -> Callable[[Path], Path]:
    def make(source: Path) -> Path:
        target = tmp_path / "tampered"
        shutil.copytree(source, target)
        return target

    return make
