"""``sce fps serve``: run the FPS stand-in (event upload, FDM first boot, ticket verification page)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sce.fiscal.v2.serving import bind, make_server, url_of
from sce.fps.app import FpsConfig, create_app

app = typer.Typer(help="The tax administration stand-in for SCE 2.0.", no_args_is_help=True)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port (0 = any free port).")] = 8420,
    state: Annotated[Path, typer.Option(help="State directory (received events).")] = Path("fps-state"),
    footer: Annotated[
        list[str] | None, typer.Option("--footer", help="Footer line for VAT tickets (repeatable).")
    ] = None,
    allow_pos: Annotated[
        list[str] | None, typer.Option("--allow-pos", help="posId on the FDMs' allow-list (repeatable).")
    ] = None,
    notice: Annotated[list[str] | None, typer.Option("--notice", help="FPS notice (repeatable).")] = None,
) -> None:
    """Serve the FPS stand-in; prints its address on the first line."""
    config = FpsConfig(
        state=state,
        footer=list(footer or []),
        pos_allow_list=list(allow_pos or []),
        notices=list(notice or []),
    )
    sock = bind(host, port)
    server = make_server(create_app(config))
    typer.echo(f"FPS stand-in listening on {url_of(sock)}")
    server.run(sockets=[sock])
