"""``sce journal``: export the journal for an inspector and verify an export independently."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer

from sce.verifier.findings import Finding
from sce.verifier.run import verify_export

app = typer.Typer(no_args_is_help=True)


def _date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


@app.command("export")
def export_command(
    db: Annotated[str, typer.Option(help="Database URL (sqlite:///pos.db or postgresql+psycopg://...).")],
    out: Annotated[Path, typer.Option(help="Directory to write the export into (new or empty).")],
    from_: Annotated[str | None, typer.Option("--from", help="First booking date (YYYY-MM-DD).")] = None,
    to: Annotated[str | None, typer.Option(help="Last booking date (YYYY-MM-DD).")] = None,
    keys: Annotated[
        Path | None, typer.Option(help="Extra verification keys (keys.json or export-keys).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Export events, configuration log, Z reports, keys, text journal, invoices and a manifest."""
    from sce.audit.export import export_journal  # noqa: PLC0415 - keeps `sce journal verify` light
    from sce.db.engine import open_engine  # noqa: PLC0415

    started = datetime.now()

    def progress(count: int) -> None:
        typer.echo(f"exported {count} records ({(datetime.now() - started).total_seconds():.0f} s)", err=True)

    result = export_journal(
        open_engine(db), out, start=_date(from_), end=_date(to), keys_file=keys, progress=progress
    )
    summary = {
        "directory": str(result.directory),
        "events": result.events,
        "config_records": result.config_records,
        "invoices": result.invoices,
        "z_reports": result.z_reports,
    }
    typer.echo(json.dumps(summary) if as_json else " ".join(f"{k}={v}" for k, v in summary.items()))


@app.command("verify")
def verify_command(
    path: Annotated[Path, typer.Argument(help="Export directory.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per finding, then a summary.")
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option(help="Worker processes (0: none; default: 2 for exports over 64 MB)."),
    ] = None,
    tolerance: Annotated[float, typer.Option(help="Allowed backward clock step, seconds.")] = 300.0,
    reference_ecdsa: Annotated[
        bool,
        typer.Option(
            "--reference-ecdsa",
            help="Check every SCE 2.0 signature with the reference (cryptography) alone, "
            "without the per-key tables in libcrypto (about a third slower).",
        ),
    ] = False,
) -> None:
    """Check the export record by record; exit 0 only when everything holds."""
    if not (path / "events.jsonl").exists() and not (path / "manifest.json").exists():
        typer.echo(f"{path}: not an export directory", err=True)
        raise typer.Exit(2)

    def on_finding(finding: Finding) -> None:
        typer.echo(json.dumps(finding.to_json(), ensure_ascii=False) if as_json else finding.text())

    def progress(count: int, seconds: float) -> None:
        print(f"verified {count} records, {count / seconds:,.0f}/s", file=sys.stderr, flush=True)

    summary = verify_export(
        path,
        jobs=jobs,
        tolerance_seconds=tolerance,
        on_finding=on_finding,
        progress=progress,
        key_tables=not reference_ecdsa,
    )
    if as_json:
        typer.echo(json.dumps(summary.to_json()))
    else:
        status = "OK" if summary.ok else f"FAILED: {summary.findings} findings"
        typer.echo(
            f"{status} - {summary.events} events, {summary.config_records} configuration records, "
            f"{summary.z_reports} Z reports, {summary.signatures} signatures in {summary.seconds:.2f} s"
        )
    raise typer.Exit(0 if summary.ok else 1)
