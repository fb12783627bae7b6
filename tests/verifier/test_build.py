"""Which build of the verifier runs: ``make test`` runs this directory on the pure Python sources, then
again on the compiled wheel (``SCE_EXPECT_COMPILED=1``); each pass must run the build it names."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sce.verifier import is_compiled, run, signatures, verify_export

EXPECT_COMPILED = os.environ.get("SCE_EXPECT_COMPILED") == "1"


def test_the_build_under_test_is_the_one_named() -> None:
    assert is_compiled() is EXPECT_COMPILED
    for module in (run, signatures):
        assert module.__file__ is not None
        assert module.__file__.endswith(".py") is not EXPECT_COMPILED, module.__file__


def test_the_summary_names_the_build(v2_export: Path) -> None:
    assert verify_export(v2_export, jobs=0).to_json()["compiled"] is EXPECT_COMPILED


def test_the_command_runs_the_same_build_with_workers(v2_export: Path) -> None:
    """The command in a process of its own, with two workers (started afresh: the same import path)."""
    done = subprocess.run(
        [sys.executable, "-m", "sce", "journal", "verify", str(v2_export), "--json", "--jobs", "2"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["compiled"] is EXPECT_COMPILED
    assert summary["ok"] is True
