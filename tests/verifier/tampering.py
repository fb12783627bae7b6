"""Tampering helpers: edit an export like an attacker would, optionally re-sealing everything derived."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sce.journal.format import line_of, seal
from sce.verifier.run import z_file_name

Record = dict[str, Any]


def read_lines(root: Path, name: str = "events.jsonl") -> list[str]:
    return (root / name).read_text(encoding="utf-8").splitlines()


def write_lines(root: Path, lines: list[str], name: str = "events.jsonl") -> None:
    (root / name).write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def find_seq(root: Path, test: Callable[[Record], bool], nth: int = 0) -> int:
    """The ``seq`` of the ``nth`` record matching ``test``."""
    hits = [json.loads(line) for line in read_lines(root) if test(json.loads(line))]
    return int(hits[nth]["seq"])


def edit(root: Path, seq: int, change: Callable[[Record], None], *, reseal: bool) -> None:
    """Change record ``seq``; with ``reseal`` recompute its hash and the rest of the chain, then forge the
    derived files (sub-journal, Z files, manifest) so only the FDM signatures and figures can tell."""
    lines = read_lines(root)
    index = next(i for i, line in enumerate(lines) if json.loads(line)["seq"] == seq)
    record = json.loads(lines[index])
    change(record)
    lines[index] = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    write_lines(root, lines)
    if reseal:
        rechain(root, index)


def rechain(root: Path, start: int = 0) -> None:
    """Renumber ``seq`` and recompute ``prev`` and ``hash`` from line ``start`` on, then forge the rest."""
    lines = read_lines(root)
    prev = json.loads(lines[start - 1])["hash"] if start else "0" * 64
    for i in range(start, len(lines)):
        record = json.loads(lines[i])
        record["seq"] = i + 1
        record = seal(record, prev)
        prev = record["hash"]
        lines[i] = line_of(record)
    write_lines(root, lines)
    forge_derived(root)


def forge_derived(root: Path) -> None:
    """Rebuild invoices.jsonl, z-reports/ and the manifest from events.jsonl (a thorough forger)."""
    lines = read_lines(root)
    invoices = []
    for path in (root / "z-reports").iterdir():
        path.unlink()
    for line in lines:
        record = json.loads(line)
        event = record.get("event") or {}
        if record["type"] == "event" and event.get("kind") == "INVOICE":
            invoices.append(line)
        if record["type"] == "event" and event.get("kind") in ("REPORT_TURNOVER_Z", "REPORT_USER_Z"):
            name = z_file_name(int(event["report_number"]), event["kind"])
            (root / "z-reports" / name).write_text(line + "\n", encoding="utf-8")
    write_lines(root, invoices, "invoices.jsonl")
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    files: dict[str, Any] = {}
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if path.is_file() and name != "manifest.json":
            data = path.read_bytes()
            files[name] = {
                "sha256": hashlib.sha256(data).hexdigest(),
                "bytes": len(data),
                "records": data.count(b"\n") if name.endswith(".jsonl") else 1,
            }
    files["keys.json"]["records"] = manifest["files"]["keys.json"]["records"]
    files["journal.txt"] = manifest["files"]["journal.txt"] | {
        "sha256": hashlib.sha256((root / "journal.txt").read_bytes()).hexdigest()
    }
    manifest["files"] = files
    last = json.loads(lines[-1])
    manifest["events"].update(count=len(lines), last_seq=last["seq"], head=last["hash"])
    (root / "manifest.json").write_text(
        json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
