"""``sce eservice``: serve the registration e-service, load demo data, import a KBO/BCE CSV file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import uvicorn

from sce.eservice.app import create_app
from sce.eservice.context import EserviceSettings
from sce.eservice.db import DEFAULT_URL, make_engine
from sce.eservice.errors import EserviceError
from sce.eservice.kbo import import_csv
from sce.eservice.mail import MailSettings
from sce.eservice.seed import DEMO_PASSWORD, seed

app = typer.Typer(no_args_is_help=True)

DbOption = Annotated[str, typer.Option("--db", help="Database URL (SQLAlchemy).")]


@app.command()
def serve(
    db: DbOption = DEFAULT_URL,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8030,
    state: Annotated[Path, typer.Option(help="State of the emulated FDMs and the FPS stand-in.")] = Path(
        "eservice-state"
    ),
    smtp_host: Annotated[str | None, typer.Option(help="SMTP server for the operator e-mails.")] = None,
    smtp_port: Annotated[int, typer.Option(help="SMTP port.")] = 25,
    demo: Annotated[bool, typer.Option(help="Load the demo data first.")] = True,
) -> None:
    """Serve the e-service (pages at /eservice/, API at /eservice/api/, FPS stand-in at /fps/)."""
    settings = EserviceSettings(db_url=db, state_dir=state, mail=MailSettings(smtp_host, smtp_port))
    if demo:
        with make_engine(db).begin() as conn:
            seed(conn)
    typer.echo(f"Registration e-service: http://{host}:{port}/eservice/")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


@app.command("seed")
def seed_command(db: DbOption = DEFAULT_URL) -> None:
    """Load the demo KBO data and one account per role (password: demo)."""
    with make_engine(db).begin() as conn:
        users = seed(conn)
    if users:
        typer.echo(f"accounts (password {DEMO_PASSWORD}): {', '.join(users)}")
    else:
        typer.echo("demo data already present")


@app.command("import-kbo")
def import_kbo(
    csv_file: Annotated[Path, typer.Argument(help="CSV file (see docs/eservice.md).")],
    db: DbOption = DEFAULT_URL,
) -> None:
    """Import companies, legal representatives and establishment units into the KBO/BCE stand-in."""
    try:
        with make_engine(db).begin() as conn:
            result = import_csv(conn, csv_file.read_text(encoding="utf-8-sig"))
    except EserviceError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    typer.echo(
        f"{result.companies} companies, {result.representatives} representatives,"
        f" {result.establishments} establishment units"
    )
