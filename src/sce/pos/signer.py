"""Crash-safe hand-off of one event to the FDM: number, pending row, signature, journal and effect.

1. One transaction gives the event its continuous number, builds it, locks the orders it changes and
   stores it as *pending* together with what the FDM adapter prepared (SCE 1.0: the exact H request
   with its sequence number). It is committed before anything is sent.
2. The FDM signs.
3. One transaction journals the event with the exact request and reply, applies its effect (closes the
   order, clocks the user in...) and removes the pending row.

A crash between 1 and 3 leaves the pending row; :meth:`Signer.recover` sends the same request again at
start-up, and the FDM answers what it signed (SCE 1.0 stored-reply rule, SCE 2.0 duplicate detection):
nothing is lost, nothing is signed twice, no number is skipped. Events are serialised per FDM.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sce.db.store import Pending, PosStore, Tx, on_behalf_of
from sce.fiscal.errors import (
    FiscalError,
    FiscalProtocolError,
    FiscalRefusedError,
    FiscalUnreachableError,
    UserAction,
)
from sce.fiscal.port import FiscalEvent, FiscalModule, FiscalReceipt
from sce.journal.codec import event_from_json, event_to_json, receipt_to_json
from sce.journal.format import EVENT, REFUSED, VOID
from sce.pos.errors import FiscalBlockedError


@dataclass(frozen=True, slots=True)
class Built:
    """What a service builds inside the numbering transaction."""

    event: FiscalEvent
    effect: dict[str, Any] = field(default_factory=dict)
    pos: dict[str, Any] = field(default_factory=dict)
    period_id: str = ""


@dataclass(frozen=True, slots=True)
class Signed:
    """A registered event: its journal record and, when the FDM signed it, the receipt."""

    seq: int
    event: FiscalEvent
    receipt: FiscalReceipt | None
    record: dict[str, Any]


#: Prefixes of a pending event's last error: refused (nothing signed) or sent without a known answer.
REFUSED_BY_FDM = "REFUSED: "
UNCERTAIN = "UNCERTAIN: "

EffectFn = Callable[[Tx, dict[str, Any]], None]


def _columns(
    event: FiscalEvent, receipt: FiscalReceipt | None, pos: dict[str, Any], period_id: str
) -> dict[str, Any]:
    centre = event.cost_center
    return {
        "event_kind": event.kind.value,
        "ticket_number": event.ticket_number,
        "label": receipt.event_label if receipt else None,
        "fdm_id": receipt.fdm_id if receipt else None,
        "employee_id": event.employee_id,
        "terminal_id": event.terminal_id,
        "cost_center_id": centre.id if centre else None,
        "order_id": pos.get("order_id"),
        "period_id": period_id,
        "booking_date": event.booking_date.isoformat() if event.booking_date else None,
        "training": event.training,
        "total_cents": event.total_cents,
    }


class Signer:
    """Signs events one at a time through ``fdm`` and journals them in ``store``."""

    def __init__(self, store: PosStore, fdm: FiscalModule, apply_effect: EffectFn) -> None:
        self.store = store
        self.fdm = fdm
        self.apply_effect = apply_effect
        self.lock = threading.RLock()

    # ----- the three steps -----

    def register(self, build: Callable[[Tx, int], Built]) -> Signed:
        """Number, build, sign and journal one event; raises FiscalBlockedError when the FDM did not sign."""
        with self.lock:
            self.recover()
            with self.store.tx() as tx:
                number = tx.next_number("ticket")
                built = build(tx, number)
                prepared = ""
                if self.fdm.supports(built.event.kind):
                    prepared = self.fdm.prepare(built.event)
                tx.add_pending(
                    number,
                    event_to_json(built.event),
                    {"effect": built.effect, "pos": built.pos, "period_id": built.period_id},
                )
                if prepared:
                    tx.set_pending_token(number, prepared)
            return self._send(built.event, built.effect, built.pos, built.period_id, prepared, resume=False)

    def _send(
        self,
        event: FiscalEvent,
        effect: dict[str, Any],
        pos: dict[str, Any],
        period_id: str,
        prepared: str,
        *,
        resume: bool,
    ) -> Signed:
        number = event.ticket_number
        receipt: FiscalReceipt | None = None
        if self.fdm.supports(event.kind):
            try:
                receipt = self.fdm.resume(event, prepared) if resume else self.fdm.sign(event, prepared)
            except (FiscalUnreachableError, FiscalProtocolError) as error:
                # Sent, answer unknown: keep the request to send again, identically.
                with self.store.tx() as tx:
                    tx.note_pending_error(number, f"{UNCERTAIN}{type(error).__name__}: {error}")
                raise FiscalBlockedError(
                    f"the FDM did not answer ({error}); the event keeps number {number} and is sent again "
                    "with 'retry'",
                    error.action,
                    number,
                    pending=True,
                ) from error
            except FiscalRefusedError as error:
                # Answered with a refusal: nothing signed; a retry prepares the request anew.
                with self.store.tx() as tx:
                    tx.note_pending_error(number, f"{REFUSED_BY_FDM}{type(error).__name__}: {error}")
                    tx.set_pending_token(number, "")
                raise FiscalBlockedError(str(error), error.action, number, pending=True) from error
            except FiscalError as error:
                # The request itself is wrong: the number is used and accounted for as refused.
                with self.store.tx() as tx:
                    tx.append_journal(
                        {
                            "type": REFUSED,
                            "period_id": period_id,
                            "booking_date": event.booking_date.isoformat() if event.booking_date else None,
                            "event": event_to_json(event),
                            "request": None,
                            "reply": None,
                            "error": {
                                "class": type(error).__name__,
                                "code": getattr(error, "code", ""),
                                "message": str(error),
                            },
                            "pos": pos,
                        },
                        **_columns(event, None, pos, period_id),
                    )
                    self.apply_effect(tx, {"revert": effect})
                    tx.drop_pending(number)
                raise FiscalBlockedError(str(error), error.action, number, pending=False) from error
        with self.store.tx() as tx:
            record = tx.append_journal(
                {
                    "type": EVENT,
                    "period_id": period_id,
                    "booking_date": event.booking_date.isoformat() if event.booking_date else None,
                    "event": event_to_json(event),
                    "fdm": receipt_to_json(receipt) if receipt else None,
                    "request": receipt.request if receipt else None,
                    "reply": receipt.reply if receipt else None,
                    "pos": pos,
                },
                **_columns(event, receipt, pos, period_id),
            )
            self.apply_effect(tx, effect)
            tx.drop_pending(number)
        return Signed(int(record["seq"]), event, receipt, record)

    # ----- after a crash or an FDM failure -----

    def pending(self) -> list[Pending]:
        with self.store.tx() as tx:
            return tx.pending()

    def recover(self) -> list[Signed]:
        """Send every pending event again, oldest first; stops at the first one the FDM does not sign.

        The request that opened a pending event already recorded it as its effect: what this run
        writes is recorded on behalf of no request."""
        done: list[Signed] = []
        with self.lock, on_behalf_of(None):
            for item in self.pending():
                event = event_from_json(item.event)
                prepared = item.token or ""
                resume = bool(prepared)
                if self.fdm.supports(event.kind) and not prepared:
                    prepared = self.fdm.prepare(event)
                    with self.store.tx() as tx:
                        tx.set_pending_token(item.ticket_number, prepared)
                done.append(
                    self._send(
                        event,
                        item.effect.get("effect", {}),
                        item.effect.get("pos", {}),
                        item.effect.get("period_id", ""),
                        prepared,
                        resume=resume,
                    )
                )
        return done

    def abandon(self, ticket_number: int, employee_id: str, reason: str) -> dict[str, Any]:
        """Give up a pending event that was never signed: its number is journaled as void."""
        with self.lock, self.store.tx() as tx:
            item = next((p for p in tx.pending() if p.ticket_number == ticket_number), None)
            if item is None:
                raise FiscalBlockedError(
                    f"no pending event with number {ticket_number}",
                    UserAction.NONE,
                    ticket_number,
                    pending=False,
                )
            if not item.last_error.startswith(REFUSED_BY_FDM):
                raise FiscalBlockedError(
                    f"event {ticket_number} may have been signed: send it again when the FDM answers",
                    UserAction.CHECK_CONNECTION,
                    ticket_number,
                    pending=True,
                )
            event = event_from_json(item.event)
            record = tx.append_journal(
                {
                    "type": VOID,
                    "period_id": item.effect.get("period_id", ""),
                    "booking_date": item.event.get("booking_date"),
                    "event": item.event,
                    "reason": reason,
                    "employee_id": employee_id,
                    "pos": item.effect.get("pos", {}),
                },
                **_columns(event, None, item.effect.get("pos", {}), item.effect.get("period_id", "")),
            )
            self.apply_effect(tx, {"revert": item.effect.get("effect", {})})
            tx.drop_pending(ticket_number)
            return record
