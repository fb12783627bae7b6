"""The ``sce`` command: thin Typer front end; each command group lives next to what it drives."""

from __future__ import annotations

import typer

from sce.fiscal.v1.cli import app as fdm1_app

app = typer.Typer(help="Belgian certified cash register system (SCE/GKS).", no_args_is_help=True)
app.add_typer(fdm1_app, name="fdm1", help="SCE 1.0 serial FDM: emulator and driver.")


def main() -> None:
    app()
