"""FDM health for the back office and the API: status, counters, buffer use, last contact, pending events."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from sce.db import tables as t
from sce.fiscal.errors import FiscalError
from sce.web.pos import security as sec
from sce.web.pos.runtime import Runtime
from sce.web.pos.security import Session


def fdm_health(rt: Runtime, session: Session) -> dict[str, Any]:
    sec.require_role(session, sec.BACK_OFFICE_READ | {"waiter"})
    status: dict[str, Any]
    try:
        info = rt.pos.fdm.status()
        rt.touch()
        status = {
            "reachable": True,
            "ready": info.ready,
            "condition": info.condition,
            "fdm_id": info.fdm_id,
            "firmware": info.firmware,
            "vsc_id": info.vsc_id,
        }
    except FiscalError as error:
        status = {"reachable": False, "ready": False, "condition": str(error)}
    with rt.engine.begin() as c:
        rows = c.execute(
            select(t.journal.c.body)
            .where(t.journal.c.record_type == "event", t.journal.c.fdm_id.is_not(None))
            .order_by(t.journal.c.seq.desc())
            .limit(1)
        ).all()
        counters = {str(r.name): int(r.value) for r in c.execute(select(t.counters)).all()}
    last = json.loads(rows[0][0]).get("fdm") if rows else None
    with rt.pos.store.tx() as tx:
        pending = [
            {
                "ticket_number": p.ticket_number,
                "created_at": p.created_at,
                "kind": p.event.get("kind"),
                "attempts": p.attempts,
                "last_error": p.last_error,
            }
            for p in tx.pending()
        ]
    return {
        "generation": rt.generation,
        "description": rt.connected.description,
        **status,
        "last_contact": rt.last_contact,
        "last_error": rt.last_error,
        "buffer_capacity_used": (last or {}).get("buffer_capacity_used"),
        "last_receipt": {
            k: (last or {}).get(k) for k in ("fdm_datetime", "event_label", "event_counter", "total_counter")
        }
        if last
        else None,
        "numbers": {k[2:]: v for k, v in counters.items() if k.startswith("n:")},
        "pending": pending,
    }
