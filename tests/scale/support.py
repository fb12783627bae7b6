"""What every scale test asserts at the end: the terminals' account, the chain, the FDM's counters and
the independent verifier over an export all agree."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sce.devtools import load


def assert_journal_sound(
    db_url: str,
    export_dir: Path,
    *,
    report: load.LoadReport | None = None,
    fdm_counters: tuple[dict[str, int], int] | None = None,
) -> list[dict[str, Any]]:
    """Nothing lost or doubled, numbering continuous, FDM counters equal, ``sce journal verify`` passes."""
    bodies, pending = load.journal(db_url)
    problems = load.check_chain(bodies, fdm_counters)
    if report is not None:
        problems += load.check(report, bodies, pending)
    elif pending:
        problems.append(f"{pending} events still pending")
    assert not problems, problems[:20]
    ok, findings, _summary = load.verify(db_url, export_dir)
    assert ok, findings[:20]
    return bodies


def show(capsys: pytest.CaptureFixture[str], title: str, figures: dict[str, Any]) -> None:
    """Print a result line into the test output even under ``pytest -q``."""
    with capsys.disabled():
        print(f"\n[{title}] {json.dumps(figures, sort_keys=True)}")
