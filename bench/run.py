"""Runs every benchmark script in this folder and records the figures with the machine they ran on.

Run: ``.venv/bin/python bench/run.py [--quick] [--json]`` (``make bench``), the same as
``sce bench``: each script prints one JSON object with ``--json``; each figure is shown next to its
floor or peer, and the record goes to ``bench/results/latest.json`` so a change shows in review.
"""

from __future__ import annotations

from sce.bench_cli import app

if __name__ == "__main__":
    app(prog_name="bench/run.py")
