"""The ``sce`` command: thin Typer front end; each command group lives next to what it drives."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Annotated

import typer
import uvicorn

from sce.audit.cli import app as journal_app
from sce.bench_cli import app as bench_app
from sce.demo import run_demo
from sce.eservice.cli import app as eservice_app
from sce.fiscal.v1.cli import app as fdm1_app
from sce.fiscal.v2.cli import app as fdm2_app
from sce.fps.cli import app as fps_app
from sce.obligation.cli import app as obligation_app
from sce.pos.cli import simulate
from sce.web.obligation_pages import create_app
from sce.web.pos.cli import serve

app = typer.Typer(help="Belgian certified cash register system (SCE/GKS).", no_args_is_help=True)
app.command()(simulate)
app.add_typer(fdm1_app, name="fdm1", help="SCE 1.0 serial FDM: emulator and driver.")
app.add_typer(fdm2_app, name="fdm2", help="SCE 2.0 GraphQL FDM: emulator, status and faults.")
app.add_typer(bench_app, name="bench", help="Run every benchmark and compare each figure with its floor.")
app.add_typer(eservice_app, name="eservice", help="Registration e-service and support desk.")
app.add_typer(journal_app, name="journal", help="Export the journal for an inspector and verify an export.")
app.add_typer(fps_app, name="fps", help="The tax administration stand-in: uploads and ticket verification.")
app.add_typer(
    obligation_app, name="obligation", help="Must an establishment use a certified system, and by when?"
)
app.command()(serve)


DemoState = Annotated[
    Path | None, typer.Option(help="Directory for the demo state (temporary when omitted).")
]


@app.command()
def demo(
    state: DemoState = None,
    host: Annotated[str, typer.Option(help="Address of the web pages.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port of the web pages.")] = 8000,
) -> None:
    """Start the demo: the web pages, an SCE 1.0 FDM emulator on a pty and a till session through it."""
    server = uvicorn.Server(uvicorn.Config(create_app(), host=host, port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    typer.echo(f"Web pages (obligation checker, deadline planner): http://{host}:{port}/obligation/")
    run_demo(state)
    server.should_exit = True


def main() -> None:
    app()
