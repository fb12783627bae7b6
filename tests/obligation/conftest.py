"""Fixtures of the obligation tests: run the ``sce obligation`` commands and read their JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sce.obligation.cli import app

CheckRunner = Callable[..., dict[str, Any]]
PlanRunner = Callable[..., dict[str, Any]]


@pytest.fixture
def run_check(tmp_path: Path) -> CheckRunner:
    """Write the payload to a file, run ``check FILE --json`` and return the parsed output."""

    def run(payload: dict[str, Any], lang: str = "en", expect_exit: int = 0) -> dict[str, Any]:
        path = tmp_path / "input.json"
        path.write_text(json.dumps(payload), encoding="utf-8")
        result = CliRunner().invoke(app, ["check", str(path), "--json", "--lang", lang])
        assert result.exit_code == expect_exit, result.output
        parsed: dict[str, Any] = json.loads(result.stdout)
        return parsed

    return run


@pytest.fixture
def run_plan() -> PlanRunner:
    """Run ``plan ... --json`` with the given options and return the parsed output."""

    def run(*args: str, expect_exit: int = 0) -> dict[str, Any]:
        result = CliRunner().invoke(app, ["plan", *args, "--json"])
        assert result.exit_code == expect_exit, result.output
        parsed: dict[str, Any] = json.loads(result.stdout)
        return parsed

    return run
