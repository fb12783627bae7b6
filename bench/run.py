"""Runs every benchmark script in this folder and records the figures with the machine they ran on.

Run: ``.venv/bin/python bench/run.py [--quick]`` (``make bench``). Each script prints one JSON object
with ``--json``; the collected results go to ``bench/results/latest.json`` so a change shows in review.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent


def machine() -> dict[str, object]:
    return {
        "python": platform.python_version(),
        "system": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description="run every benchmark")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    results = []
    for script in sorted(HERE.glob("*.py")):
        if script.name == "run.py":
            continue
        command = [sys.executable, str(script), "--json", *(["--quick"] if args.quick else [])]
        print(f"running {script.name} ...", file=sys.stderr, flush=True)
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            results.append({"benchmark": script.stem, "error": done.stderr.strip().splitlines()[-1:]})
            continue
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        results.append(figures)
        print(json.dumps(figures, indent=1))
    out = HERE / "results" / "latest.json"
    out.parent.mkdir(exist_ok=True)
    record = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "results": results,
    }
    out.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(f"written {out.relative_to(HERE.parent)}", file=sys.stderr)
    return 1 if any("error" in r for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
