"""``sce journal export``: the self-describing export of one site's journal (``docs/export/``).

Rows are read in ``seq`` order with ``yield_per`` (a server-side cursor on PostgreSQL), written as they
come and hashed on the fly, so memory stays constant whatever the size of the journal.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Engine, func, select

from sce.audit.keys import KIND as KEY_KIND
from sce.audit.keys import entries_from_file, keys_document
from sce.db import tables as t
from sce.journal.format import GENESIS
from sce.verifier.run import CONFIG, EVENTS, EXPORT_FORMAT, INVOICES, KEYS, MANIFEST, ZDIR, z_file_name

TEXT = "journal.txt"
BATCH = 1000
Z_KINDS = ("REPORT_TURNOVER_Z", "REPORT_USER_Z")


class HashingWriter:
    """A text file written line by line, with its SHA-256, size and line count kept on the way."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle: IO[bytes] = open(path, "wb")  # noqa: SIM115
        self.digest = hashlib.sha256()
        self.records = 0
        self.bytes = 0

    def line(self, text: str) -> None:
        data = (text + "\n").encode("utf-8")
        self.handle.write(data)
        self.digest.update(data)
        self.bytes += len(data)
        self.records += 1

    def close(self) -> dict[str, Any]:
        self.handle.close()
        return {"sha256": self.digest.hexdigest(), "bytes": self.bytes, "records": self.records}


@dataclass(slots=True)
class ExportResult:
    directory: Path
    events: int = 0
    config_records: int = 0
    invoices: int = 0
    z_reports: int = 0
    files: dict[str, dict[str, Any]] = field(default_factory=dict)


def _file_entry(path: Path, records: int) -> dict[str, Any]:
    data = path.read_bytes()
    return {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data), "records": records}


def _money(value: Any) -> str:
    return "" if value is None else str(value)


def text_line(record: dict[str, Any]) -> str:
    """One readable line of ``journal.txt`` for a journal record."""
    head = f"{record.get('seq'):>8} {record.get('recorded_at')} {record.get('type', ''):<8}"
    event = record.get("event") or {}
    if record.get("type") == "incident":
        incident = record.get("incident") or {}
        return (
            f"{head} INCIDENT {incident.get('nature', '')} from {incident.get('started_at')} "
            f"to {incident.get('ended_at')} manual receipts {incident.get('manual_receipts')}"
        )
    parts = [
        head,
        f"#{event.get('ticket_number')}",
        str(event.get("kind", "")),
        f"at {event.get('pos_datetime')}",
        f"by {event.get('employee_id')}",
    ]
    if event.get("terminal_id"):
        parts.append(f"terminal {event['terminal_id']}")
    if event.get("training"):
        parts.append("TRAINING")
    centre = event.get("cost_center")
    if centre:
        parts.append(f"{centre.get('type', '')} {centre.get('id', '')} order {centre.get('reference', '')}")
    parts.append(f"total {_money(event.get('total'))}")
    fdm = record.get("fdm")
    if fdm:
        parts.append(
            f"FDM {fdm.get('fdm_id')} {fdm.get('event_label')} {fdm.get('event_counter')}/"
            f"{fdm.get('total_counter')} {fdm.get('fdm_datetime')} sig {str(fdm.get('signature'))[:16]}"
        )
    if record.get("type") == "void":
        parts.append(f"VOID: {record.get('reason')}")
    if record.get("type") == "refused":
        error = record.get("error") or {}
        parts.append(f"REFUSED: {error.get('code')} {error.get('message')}")
    lines = [" ".join(parts)]
    for line in event.get("lines") or []:
        reason = f" {line.get('neg_reason')}" if line.get("neg_reason") else ""
        lines.append(
            f"{'':>9}{line.get('quantity')} x {line.get('name')} @ {line.get('unit_price')} "
            f"= {line.get('line_total')} {line.get('vat')}{reason}"
        )
    for payment in event.get("payments") or []:
        lines.append(f"{'':>9}{payment.get('kind')} {payment.get('method')} {payment.get('amount')}")
    return "\n".join(lines)


def seq_range(engine: Engine, start: date | None, end: date | None) -> tuple[int | None, int | None]:
    """First and last ``seq`` whose booking date lies in [start, end] (the whole journal when open)."""
    if start is None and end is None:
        return None, None
    with engine.connect() as connection:
        low = select(func.min(t.journal.c.seq))
        high = select(func.max(t.journal.c.seq))
        if start is not None:
            low = low.where(t.journal.c.booking_date >= start.isoformat())
            high = high.where(t.journal.c.booking_date >= start.isoformat())
        if end is not None:
            low = low.where(t.journal.c.booking_date <= end.isoformat())
            high = high.where(t.journal.c.booking_date <= end.isoformat())
        first = connection.execute(low).scalar()
        last = connection.execute(high).scalar()
    if first is None or last is None:
        return 0, -1
    return int(first), int(last)


def export_journal(
    engine: Engine,
    out: Path,
    *,
    start: date | None = None,
    end: date | None = None,
    keys_file: Path | None = None,
    progress: Callable[[int], None] | None = None,
) -> ExportResult:
    """Write the export of ``engine``'s journal into directory ``out`` (created; must be empty)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty")
    (out / ZDIR).mkdir()
    result = ExportResult(out)
    first, last = seq_range(engine, start, end)
    events = HashingWriter(out / EVENTS)
    invoices = HashingWriter(out / INVOICES)
    text = HashingWriter(out / TEXT)
    meta: dict[str, Any] = {
        "count": 0,
        "first_seq": None,
        "last_seq": None,
        "first_prev": GENESIS,
        "head": None,
    }
    z_names: list[str] = []
    with engine.connect() as connection:
        query = select(
            t.journal.c.seq,
            t.journal.c.prev_hash,
            t.journal.c.hash,
            t.journal.c.event_kind,
            t.journal.c.record_type,
            t.journal.c.body,
        ).order_by(t.journal.c.seq)
        if first is not None:
            query = query.where(t.journal.c.seq >= first, t.journal.c.seq <= last)
        rows = connection.execution_options(yield_per=BATCH).execute(query)
        for row in rows:
            body = str(row.body)
            if meta["first_seq"] is None:
                meta["first_seq"] = int(row.seq)
                meta["first_prev"] = str(row.prev_hash)
            meta["last_seq"] = int(row.seq)
            meta["head"] = str(row.hash)
            events.line(body)
            record = json.loads(body)
            text.line(text_line(record))
            if row.record_type == "event" and row.event_kind == "INVOICE":
                invoices.line(body)
            if row.record_type == "event" and row.event_kind in Z_KINDS:
                number = int((record.get("event") or {}).get("report_number") or 0)
                name = z_file_name(number, str(row.event_kind))
                (out / ZDIR / name).write_text(body + "\n", encoding="utf-8")
                z_names.append(name)
            if progress is not None and events.records % 10000 == 0:
                progress(events.records)
        rows.close()
        meta["count"] = events.records
        config = HashingWriter(out / CONFIG)
        head: str | None = None
        for config_row in connection.execution_options(yield_per=BATCH).execute(
            select(t.config_log.c.hash, t.config_log.c.body).order_by(t.config_log.c.seq)
        ):
            config.line(str(config_row.body))
            head = str(config_row.hash)
        key_rows = connection.execute(
            select(t.config_items.c.item_id, t.config_items.c.body).where(t.config_items.c.kind == KEY_KIND)
        ).all()
        site_row = connection.execute(
            select(t.config_items.c.body).where(
                t.config_items.c.kind == "site", t.config_items.c.item_id == "site"
            )
        ).first()
    entries = [{"fdm_id": str(r.item_id), **json.loads(r.body)} for r in key_rows]
    if keys_file is not None:
        entries.extend(entries_from_file(keys_file))
    (out / KEYS).write_text(
        json.dumps(keys_document(entries), indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    files = {
        EVENTS: events.close(),
        INVOICES: invoices.close(),
        TEXT: text.close(),
        CONFIG: config.close(),
        KEYS: _file_entry(out / KEYS, len(entries)),
    }
    for name in z_names:
        files[f"{ZDIR}/{name}"] = _file_entry(out / ZDIR / name, 1)
    site = json.loads(site_row.body) if site_row is not None else {}
    manifest = {
        "format": EXPORT_FORMAT,
        "journal_format": "sce-journal/1",
        "config_format": "sce-config/1",
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "site": {
            k: site.get(k)
            for k in (
                "company_name",
                "vat_no",
                "establishment_no",
                "establishment_name",
                "pos_id",
                "sw_version",
            )
        },
        "range": {"from": start.isoformat() if start else None, "to": end.isoformat() if end else None},
        "events": meta,
        "config": {"count": files[CONFIG]["records"], "head": head},
        "invoices": files[INVOICES]["records"],
        "z_reports": len(z_names),
        "files": dict(sorted(files.items())),
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    result.events = meta["count"]
    result.config_records = files[CONFIG]["records"]
    result.invoices = files[INVOICES]["records"]
    result.z_reports = len(z_names)
    result.files = files
    return result
