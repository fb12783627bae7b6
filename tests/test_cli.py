"""The ``sce`` command: every group and command is there, and a device command loads only its own group."""

from __future__ import annotations

import json
import subprocess
import sys

import typer
from typer.testing import CliRunner

from sce import cli

PROBE = """
import json
import sys
from sce.cli import main
sys.argv = ["sce", *sys.argv[1:]]
try:
    main()
except SystemExit as done:
    code = done.code
heavy = ("fastapi", "sce.web", "sce.eservice")
print("LOADED", json.dumps(sorted(m for m in sys.modules if m.startswith(heavy))))
print("CODE", code)
"""


def _probe(*args: str) -> tuple[list[str], str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=60, check=True
    )
    lines = done.stdout.splitlines()
    loaded = next(line for line in lines if line.startswith("LOADED "))
    code = next(line for line in lines if line.startswith("CODE "))
    return json.loads(loaded.removeprefix("LOADED ")), code.removeprefix("CODE ")


def test_the_whole_application_lists_every_group_and_command() -> None:
    result = CliRunner().invoke(cli.app, ["--help"])
    assert result.exit_code == 0
    for name in cli.ORDER:
        assert f" {name} " in result.output, name
    assert set(cli.ORDER) == set(cli.GROUPS) | set(cli.COMMANDS)


def test_an_emulator_command_does_not_load_the_web_applications() -> None:
    loaded, code = _probe("fdm2", "--help")
    assert code == "0"
    assert loaded == [], loaded


def test_a_server_command_loads_what_it_serves() -> None:
    loaded, code = _probe("serve", "--help")
    assert code == "0"
    assert "sce.web.pos.cli" in loaded


def test_an_unknown_command_is_an_error_naming_it() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sce", "no-such-command"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "No such command 'no-such-command'" in done.stderr


def test_build_app_with_one_group_keeps_its_name_on_the_command_line() -> None:
    one = cli.build_app(["fdm1"])
    assert isinstance(one, typer.Typer)
    result = CliRunner().invoke(one, ["fdm1", "--help"])
    assert result.exit_code == 0 and "emulate" in result.output
