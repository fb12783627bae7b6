"""``sce bench``: every benchmark of bench/ in one command, each figure next to its floor or peer.

Each ``bench/*.py`` script (not ``run.py``, not ``_*.py``) is run with ``--json`` (and ``--quick``)
and prints one JSON object on its last line; the full run also runs the variants listed in
:data:`FULL_RUN_VARIANTS` (extra arguments), which the quick run leaves out. What is shown of each
run, its *headlines*, is either the script's own ``"headlines"`` list (``measure``, ``figure``,
``floor``, ``floor_name``, ``ratio``) or, for the scripts written before that convention, the keys
listed in :data:`KNOWN_HEADLINES`.
The record (machine description, every script's figures and headlines) is written to
``bench/results/latest.json`` so a change in performance shows in review.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

__all__ = ["FULL_RUN_VARIANTS", "KNOWN_HEADLINES", "app", "headlines", "machine", "run_benchmarks"]

BENCH_DIR = Path(__file__).resolve().parents[2] / "bench"
QUICK_TIMEOUT_S = 120.0
FULL_TIMEOUT_S = 1800.0

# benchmark name -> (measure, figure key, floor key, floor name); ratio = figure / floor
KNOWN_HEADLINES: dict[str, list[tuple[str, str, str, str]]] = {
    "fdm1_h_roundtrip_pty": [
        (
            "FDM v1 H round trip over a pty, p50 (ms)",
            "h_p50_ms",
            "floor_pty_echo_p50_ms",
            "pty echo, p50 (ms)",
        ),
        (
            "FDM v1 H round trip over a pty, p50 (ms)",
            "h_p50_ms",
            "wire_time_19200_ms",
            "19 200 baud wire time (ms)",
        ),
    ],
    "fdm2_sign": [
        ("FDM v2 signSale, p50 (ms)", "sign_p50_ms", "floor_http_p50_ms", "HTTP /health, p50 (ms)"),
        ("FDM v2 signSale, p99 (ms)", "sign_p99_ms", "floor_http_p99_ms", "HTTP /health, p99 (ms)"),
        ("FDM v2 signs per second", "signs_per_second", "goal_signs_per_second", "goal (signs/s)"),
    ],
}

# script stem -> extra argument lists, each one more run in the full benchmark only (never in --quick: the
# quick run is CI's, with a budget of a minute)
FULL_RUN_VARIANTS: dict[str, list[list[str]]] = {
    # SCE 2.0 journal (ECDSA P-256 signatures), what inspectors verify on sites opened since 2026
    "verify_journal": [["--generation", "2"]],
}

app = typer.Typer(help="Run every benchmark and compare each figure with its floor.", no_args_is_help=False)


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu_model = platform.processor() or platform.machine()
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    memory_mib: int | None = None
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_mib = int(line.split()[1]) // 1024
                break
    return {
        "cpu_model": cpu_model,
        "cores": os.cpu_count(),
        "memory_mib": memory_mib,
        "python": platform.python_version(),
        "kernel": platform.release(),
        "system": platform.platform(),
    }


def headlines(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The figure/floor/ratio lines of one benchmark's JSON (empty when it has none)."""
    own = result.get("headlines")
    if isinstance(own, list):
        return [dict(line) for line in own if isinstance(line, dict)]
    lines = []
    for measure, figure_key, floor_key, floor_name in KNOWN_HEADLINES.get(str(result.get("benchmark")), []):
        figure, floor = result.get(figure_key), result.get(floor_key)
        if isinstance(figure, int | float) and isinstance(floor, int | float):
            ratio = float(f"{figure / floor:.3g}") if floor else None  # 3 significant digits
            lines.append(
                {
                    "measure": measure,
                    "figure": figure,
                    "floor": floor,
                    "floor_name": floor_name,
                    "ratio": ratio,
                }
            )
    return lines


def scripts(bench_dir: Path) -> list[Path]:
    """The benchmark scripts of ``bench_dir``, in name order."""
    return [
        path
        for path in sorted(bench_dir.glob("*.py"))
        if path.name != "run.py" and not path.name.startswith("_")
    ]


def run_benchmarks(
    *,
    quick: bool,
    bench_dir: Path = BENCH_DIR,
    only: list[str] | None = None,
    progress: bool = True,
    variants: dict[str, list[list[str]]] | None = None,
) -> dict[str, Any]:
    """Run the benchmark scripts one after the other (and, in a full run, their variants); the record."""
    results: list[dict[str, Any]] = []
    started = time.monotonic()
    extra_runs = FULL_RUN_VARIANTS if variants is None else variants
    for script in scripts(bench_dir):
        if only and script.stem not in only:
            continue
        for arguments in [[], *([] if quick else extra_runs.get(script.stem, []))]:
            if progress:
                typer.echo(f"running {' '.join([script.name, *arguments])} ...", err=True)
            results.append(_run_one(script, quick, arguments))
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": quick,
        "seconds": round(time.monotonic() - started, 1),
        "machine": machine(),
        "results": results,
    }


def _run_one(script: Path, quick: bool, arguments: list[str] | None = None) -> dict[str, Any]:
    extra = list(arguments or [])
    command = [sys.executable, str(script), "--json", *(["--quick"] if quick else []), *extra]
    started = time.monotonic()
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            check=False,
            timeout=QUICK_TIMEOUT_S if quick else FULL_TIMEOUT_S,
            cwd=script.parent.parent,
        )
    except subprocess.TimeoutExpired:
        return {"benchmark": script.stem, "script": script.name, **_arguments(extra), "error": "timed out"}
    seconds = round(time.monotonic() - started, 1)
    lines = done.stdout.strip().splitlines()
    try:
        figures = json.loads(lines[-1]) if done.returncode == 0 and lines else None
    except json.JSONDecodeError:
        figures = None
    if not isinstance(figures, dict):
        tail = (done.stderr.strip() or done.stdout.strip()).splitlines()[-5:]
        return {
            "benchmark": script.stem,
            "script": script.name,
            **_arguments(extra),
            "seconds": seconds,
            "error": "\n".join(tail),
        }
    figures.setdefault("benchmark", script.stem)
    return {
        **figures,
        "script": script.name,
        **_arguments(extra),
        "seconds": seconds,
        "headlines": headlines(figures),
    }


def _arguments(extra: list[str]) -> dict[str, Any]:
    """``{"arguments": [...]}`` for a variant run (nothing for the plain run, as before variants)."""
    return {"arguments": extra} if extra else {}


def _table(record: dict[str, Any]) -> str:
    rows = [("benchmark", "measure", "figure", "floor / peer", "ratio")]
    for result in record["results"]:
        if "error" in result:
            rows.append((result["benchmark"], "FAILED: " + result["error"].splitlines()[-1][:80], "", "", ""))
            continue
        for line in result["headlines"] or [{"measure": "(no headline)"}]:
            floor = f"{line.get('floor', '')} {line.get('floor_name', '')}".strip()
            rows.append(
                (
                    result["benchmark"],
                    str(line.get("measure", "")),
                    str(line.get("figure", "")),
                    floor,
                    "" if line.get("ratio") is None else f"{line['ratio']}x",
                )
            )
    widths = [max(len(row[column]) for row in rows) for column in range(5)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in rows
    )


@app.callback(invoke_without_command=True)
def bench(
    quick: Annotated[bool, typer.Option("--quick", help="Short runs, under a minute in all.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole record as JSON.")] = False,
    output: Annotated[
        Path | None, typer.Option(help="Where to write the record (default bench/results/latest.json).")
    ] = None,
    only: Annotated[
        list[str] | None, typer.Option(help="Run only this benchmark script (stem); repeatable.")
    ] = None,
    bench_dir: Annotated[Path, typer.Option(help="Folder of the benchmark scripts.")] = BENCH_DIR,
) -> None:
    """Run every benchmark; print each figure, its floor or peer and the ratio; record them."""
    record = run_benchmarks(quick=quick, bench_dir=bench_dir, only=only)
    target = output or bench_dir / "results" / "latest.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    if as_json:
        typer.echo(json.dumps(record))
    else:
        described = record["machine"]
        typer.echo(
            f"{described['cpu_model']}, {described['cores']} cores, {described['memory_mib']} MiB,"
            f" Python {described['python']}, kernel {described['kernel']}"
        )
        typer.echo(_table(record))
        typer.echo(f"written {target}", err=True)
    if any("error" in result for result in record["results"]):
        raise typer.Exit(1)
