"""The ``sce`` command: thin Typer front end; each command group lives next to what it drives."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sce.demo import run_demo
from sce.fiscal.v1.cli import app as fdm1_app
from sce.fiscal.v2.cli import app as fdm2_app
from sce.fps.cli import app as fps_app
from sce.obligation.cli import app as obligation_app

app = typer.Typer(help="Belgian certified cash register system (SCE/GKS).", no_args_is_help=True)
app.add_typer(fdm1_app, name="fdm1", help="SCE 1.0 serial FDM: emulator and driver.")
app.add_typer(fdm2_app, name="fdm2", help="SCE 2.0 GraphQL FDM: emulator, status and faults.")
app.add_typer(fps_app, name="fps", help="The tax administration stand-in: uploads and ticket verification.")
app.add_typer(
    obligation_app, name="obligation", help="Must an establishment use a certified system, and by when?"
)


DemoState = Annotated[
    Path | None, typer.Option(help="Directory for the demo state (temporary when omitted).")
]


@app.command()
def demo(state: DemoState = None) -> None:
    """Start the demo: an SCE 1.0 FDM emulator on a pty and a short till session through it."""
    run_demo(state)


def main() -> None:
    app()
