"""The ``sce`` command: thin Typer front end; each command group lives next to what it drives.

A command group is imported only when it runs (``sce fdm2 emulate`` does not load the web POS), so a
device emulator or a server started as a process is up in a fraction of the time; ``sce --help`` and
:data:`app` load them all.
"""

from __future__ import annotations

import importlib
import sys
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

import typer

#: Command groups: name -> (module, attribute, help).
GROUPS: dict[str, tuple[str, str, str]] = {
    "fdm1": ("sce.fiscal.v1.cli", "app", "SCE 1.0 serial FDM: emulator and driver."),
    "fdm2": ("sce.fiscal.v2.cli", "app", "SCE 2.0 GraphQL FDM: emulator, status and faults."),
    "bench": ("sce.bench_cli", "app", "Run every benchmark and compare each figure with its floor."),
    "eservice": ("sce.eservice.cli", "app", "Registration e-service and support desk."),
    "journal": (
        "sce.audit.cli",
        "app",
        "Export the journal for an inspector and verify an export.",
    ),
    "fps": ("sce.fps.cli", "app", "The tax administration stand-in: uploads and ticket verification."),
    "obligation": (
        "sce.obligation.cli",
        "app",
        "Must an establishment use a certified system, and by when?",
    ),
}

#: Single commands: name -> (module, function); ``demo`` is defined below.
COMMANDS: dict[str, tuple[str, str]] = {
    "simulate": ("sce.pos.cli", "simulate"),
    "serve": ("sce.web.pos.cli", "serve"),
    "demo": (__name__, "demo"),
}

#: The order of ``sce --help``.
ORDER = ("simulate", "fdm1", "fdm2", "bench", "eservice", "journal", "fps", "obligation", "serve", "demo")


def _load(module: str, attribute: str) -> Any:
    return getattr(importlib.import_module(module), attribute)


def build_app(names: Iterable[str] = ORDER) -> typer.Typer:
    """The ``sce`` application with the named commands and groups (all of them by default)."""
    built = typer.Typer(help="Belgian certified cash register system (SCE/GKS).", no_args_is_help=True)

    @built.callback()
    def _root() -> None:
        """Belgian certified cash register system (SCE/GKS)."""

    for name in names:
        if name in GROUPS:
            module, attribute, help_text = GROUPS[name]
            built.add_typer(_load(module, attribute), name=name, help=help_text)
        else:
            built.command()(_load(*COMMANDS[name]))
    return built


def __getattr__(name: str) -> Any:
    """``sce.cli.app``: the whole application, built on first use."""
    if name == "app":
        return build_app()
    raise AttributeError(name)


DemoState = Annotated[
    Path | None, typer.Option(help="Directory for the demo state (temporary when omitted).")
]


def demo(
    state: DemoState = None,
    host: Annotated[str, typer.Option(help="Address of the web pages.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port of the web pages.")] = 8000,
) -> None:
    """Start the demo: the web pages, an SCE 1.0 FDM emulator on a pty and a till session through it."""
    import uvicorn  # noqa: PLC0415

    from sce.demo import run_demo  # noqa: PLC0415
    from sce.web.obligation_pages import create_app  # noqa: PLC0415

    server = uvicorn.Server(uvicorn.Config(create_app(), host=host, port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    typer.echo(f"Web pages (obligation checker, deadline planner): http://{host}:{port}/obligation/")
    run_demo(state)
    server.should_exit = True


def main() -> None:
    """Entry point: load only the command named on the line, or everything for help and errors."""
    first = sys.argv[1] if len(sys.argv) > 1 else ""
    build_app([first] if first in GROUPS or first in COMMANDS else ORDER)()
