"""``sce simulate``: realistic restaurant days through the real services and a real FDM emulator."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from sce.pos.runtime import open_pos
from sce.pos.simulate import simulate_history


def simulate(
    db: Annotated[str, typer.Option(help="Database URL (sqlite:///file.db or postgresql+psycopg://...).")],
    fdm: Annotated[
        str, typer.Option(help="v1 (SCE 1.0 emulator over a pty) or v2 (SCE 2.0 over HTTP).")
    ] = "v1",
    days: Annotated[int, typer.Option(min=1, help="Number of days.")] = 1,
    tickets_per_day: Annotated[int, typer.Option(min=1, help="Tables and counter sales per day.")] = 40,
    terminals: Annotated[int, typer.Option(min=1, help="Terminals taking orders.")] = 2,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same days).")] = 1,
    state: Annotated[Path | None, typer.Option(help="Directory of the emulator state.")] = None,
) -> None:
    """Drive restaurant days; print a JSON summary (events per kind and label, totals per VAT, Z numbers)."""
    if fdm not in ("v1", "v2"):
        typer.echo("error: --fdm: v1 or v2", err=True)
        raise typer.Exit(2)
    directory = state or Path(tempfile.mkdtemp(prefix="sce-simulate-"))
    with open_pos(db, f"emulator-{fdm}", directory, demo=True) as running:
        summary = simulate_history(
            running.pos,
            days=days,
            tickets_per_day=tickets_per_day,
            terminals=terminals,
            seed=seed,
            progress=lambda text: print(text, file=sys.stderr, flush=True),
        )
    typer.echo(json.dumps(summary, indent=2))
