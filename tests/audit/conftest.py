"""A few SCE 1.0 business days in a real POS database, written once for the audit tests."""

from __future__ import annotations

import pytest

from tests.verifier.corpus import write_v1_month


@pytest.fixture(scope="session")
def pos_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return write_v1_month(tmp_path_factory.mktemp("pos"), days=4)
