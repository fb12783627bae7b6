"""The inspector's view: a read-only API the web POS mounts behind its read-only role.

``inspector_router(engine)`` gives: event search (date, ticket number, table, employee), one record with
the original FDM messages, the export as a zip, the configuration settings, and the database tables with
their row counts. Nothing here writes to the database.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from fastapi.params import Depends
from fastapi.responses import StreamingResponse
from sqlalchemy import Engine, func, select

from sce.audit.export import export_journal
from sce.db import tables as t

SECRET_KEYS = frozenset({"pin", "pin_hash", "password", "password_hash", "puk", "secret", "token"})


def redact(value: Any) -> Any:
    """Secrets (PINs, passwords, tokens) replaced by ``"***"``, recursively."""
    if isinstance(value, dict):
        return {k: ("***" if k.lower() in SECRET_KEYS else redact(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(item) for item in value]
    return value


def _summary(row: Any) -> dict[str, Any]:
    return {
        "seq": row.seq,
        "recorded_at": row.recorded_at,
        "type": row.record_type,
        "kind": row.event_kind,
        "ticket_number": row.ticket_number,
        "label": row.label,
        "fdm_id": row.fdm_id,
        "employee_id": row.employee_id,
        "terminal_id": row.terminal_id,
        "table": row.cost_center_id,
        "order_id": row.order_id,
        "booking_date": row.booking_date,
        "training": bool(row.training),
        "total": _cents(row.total_cents),
    }


def _cents(value: int | None) -> str | None:
    if value is None:
        return None
    sign = "-" if value < 0 else ""
    return f"{sign}{abs(value) // 100}.{abs(value) % 100:02d}"


def inspector_router(engine: Engine, *, dependencies: Sequence[Depends] | None = None) -> APIRouter:
    """A read-only router over ``engine``; ``dependencies`` carry the mounting app's role check."""
    router = APIRouter(dependencies=list(dependencies or ()), tags=["inspector"])

    @router.get("/events")
    def search_events(
        booking_date: Annotated[date | None, Query(alias="date")] = None,
        date_from: Annotated[date | None, Query(alias="from")] = None,
        date_to: Annotated[date | None, Query(alias="to")] = None,
        number: int | None = None,
        table: str | None = None,
        employee: str | None = None,
        kind: str | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        after: Annotated[int, Query(ge=0)] = 0,
    ) -> dict[str, Any]:
        """Events by booking date (or range), ticket number, table, employee or kind; paged by ``after``."""
        j = t.journal.c
        query = select(t.journal).where(j.seq > after).order_by(j.seq).limit(limit)
        if booking_date is not None:
            query = query.where(j.booking_date == booking_date.isoformat())
        if date_from is not None:
            query = query.where(j.booking_date >= date_from.isoformat())
        if date_to is not None:
            query = query.where(j.booking_date <= date_to.isoformat())
        if number is not None:
            query = query.where(j.ticket_number == number)
        if table is not None:
            query = query.where(j.cost_center_id == table)
        if employee is not None:
            query = query.where(j.employee_id == employee)
        if kind is not None:
            query = query.where(j.event_kind == kind)
        with engine.connect() as connection:
            rows = connection.execute(query).all()
        events = [_summary(row) for row in rows]
        return {"events": events, "next_after": events[-1]["seq"] if len(events) == limit else None}

    def _record(seq: int) -> dict[str, Any]:
        with engine.connect() as connection:
            body = connection.execute(select(t.journal.c.body).where(t.journal.c.seq == seq)).scalar()
        if body is None:
            raise HTTPException(404, f"no journal record {seq}")
        record: dict[str, Any] = json.loads(body)
        return record

    @router.get("/events/{seq}")
    def event(seq: int) -> dict[str, Any]:
        """The sealed record as stored (the original form, with its hash)."""
        return _record(seq)

    @router.get("/events/{seq}/fdm")
    def fdm_messages(seq: int) -> dict[str, Any]:
        """The exchange with the FDM in original form: SCE 1.0 H frames' DATA or SCE 2.0 GraphQL bodies."""
        record = _record(seq)
        fdm = record.get("fdm") or {}
        return {
            "seq": seq,
            "generation": fdm.get("generation"),
            "fdm_id": fdm.get("fdm_id"),
            "request": record.get("request"),
            "reply": record.get("reply"),
            "error": record.get("error"),
        }

    @router.get("/export.zip")
    def download(
        date_from: Annotated[date | None, Query(alias="from")] = None,
        date_to: Annotated[date | None, Query(alias="to")] = None,
    ) -> StreamingResponse:
        """The export (``docs/export/``) as one zip file."""
        work = Path(tempfile.mkdtemp(prefix="sce-export-"))
        try:
            export_journal(engine, work / "export", start=date_from, end=date_to)
            archive = work / "export.zip"
            with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
                for path in sorted((work / "export").rglob("*")):
                    if path.is_file():
                        bundle.write(path, f"export/{path.relative_to(work / 'export').as_posix()}")
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise

        def stream() -> Iterator[bytes]:
            try:
                with open(archive, "rb") as handle:
                    while block := handle.read(1 << 16):
                        yield block
            finally:
                shutil.rmtree(work, ignore_errors=True)

        return StreamingResponse(
            stream(),
            media_type="application/zip",
            headers={"Content-Disposition": 'attachment; filename="journal-export.zip"'},
        )

    @router.get("/config")
    def settings() -> dict[str, Any]:
        """Every configuration document by kind (secrets redacted), with its version."""
        out: dict[str, dict[str, Any]] = {}
        with engine.connect() as connection:
            rows = connection.execute(
                select(t.config_items).order_by(t.config_items.c.kind, t.config_items.c.item_id)
            ).all()
        for row in rows:
            out.setdefault(row.kind, {})[row.item_id] = {
                "version": row.version,
                "body": redact(json.loads(row.body)),
            }
        return {"settings": out}

    @router.get("/config/log")
    def config_log(
        after: Annotated[int, Query(ge=0)] = 0, limit: Annotated[int, Query(ge=1, le=1000)] = 100
    ) -> dict[str, Any]:
        """The configuration-change log, sealed records as stored."""
        with engine.connect() as connection:
            rows = connection.execute(
                select(t.config_log.c.body)
                .where(t.config_log.c.seq > after)
                .order_by(t.config_log.c.seq)
                .limit(limit)
            ).all()
        return {"records": [json.loads(row.body) for row in rows]}

    @router.get("/tables")
    def tables() -> dict[str, Any]:
        """Every table of the POS database with its columns and row count."""
        out = []
        with engine.connect() as connection:
            for table in t.metadata.sorted_tables:
                count = connection.execute(select(func.count()).select_from(table)).scalar()
                out.append(
                    {
                        "name": table.name,
                        "rows": int(count or 0),
                        "append_only": table.name in t.APPEND_ONLY,
                        "columns": [{"name": c.name, "type": str(c.type)} for c in table.columns],
                    }
                )
        return {"tables": out}

    return router
