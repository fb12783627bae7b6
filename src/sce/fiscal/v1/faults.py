"""Fault injection for the SCE 1.0 emulator: what goes wrong, on which request, how many times.

A fault is written ``KIND[=ARG][@IDENTIFIER][*COUNT]``, for example ``drop-reply@H``, ``nack*2``,
``delay=4@H``, ``error=208@S`` or ``fill-memory``. Per-request faults wait for the next matching request
(identifier S, I, P or H; any when omitted) and apply ``COUNT`` times (default 1). Device faults
(``fill-memory``, ``pull-vsc``, ``insert-vsc``) change the device at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import Enum


class FaultKind(Enum):
    DROP_ACK = "drop-ack"
    """The request frame is lost: no ACK, no processing; the POS must time out and re-send."""
    NACK = "nack"
    """The FDM answers NACK to an intact request frame and does not process it."""
    DROP_REPLY = "drop-reply"
    """The FDM processes (and signs) but the reply frame is lost; a re-send gets the stored reply."""
    CORRUPT_BCC = "corrupt-bcc"
    """Every send of the reply has a wrong BCC; the POS NACKs, then re-sends its request."""
    DELAY = "delay"
    """The reply leaves ARG seconds late (default 4.0, past the driver's 3.0 s reply timeout)."""
    ERROR = "error"
    """The request is answered with error code ARG (e.g. 208), nothing is signed."""
    FILL_MEMORY = "fill-memory"
    """The memory is filled (ARG percent, default 100)."""
    PULL_VSC = "pull-vsc"
    """The VAT Signing Card is removed (201 until it is inserted again)."""
    INSERT_VSC = "insert-vsc"
    """The card is inserted again; it waits for its PIN (202)."""


DEVICE_FAULTS = frozenset({FaultKind.FILL_MEMORY, FaultKind.PULL_VSC, FaultKind.INSERT_VSC})
_SPEC = re.compile(r"(?P<kind>[a-z-]+)(?:=(?P<arg>[^@*]+))?(?:@(?P<ident>[A-Z]))?(?:\*(?P<count>\d+))?")


class FaultSpecError(ValueError):
    """A fault description that cannot be understood."""


@dataclass(frozen=True, slots=True)
class Fault:
    kind: FaultKind
    arg: str | None = None
    identifier: str | None = None
    count: int = 1

    def matches(self, identifier: str) -> bool:
        return self.identifier is None or self.identifier == identifier

    def __str__(self) -> str:
        text = self.kind.value
        if self.arg is not None:
            text += f"={self.arg}"
        if self.identifier is not None:
            text += f"@{self.identifier}"
        if self.count != 1:
            text += f"*{self.count}"
        return text


def parse_fault(spec: str) -> Fault:
    """Parse ``KIND[=ARG][@IDENTIFIER][*COUNT]``; the error names the part that is wrong."""
    match = _SPEC.fullmatch(spec.strip())
    if not match:
        raise FaultSpecError(f"fault {spec!r}: expected KIND[=ARG][@IDENTIFIER][*COUNT]")
    try:
        kind = FaultKind(match["kind"])
    except ValueError:
        known = ", ".join(k.value for k in FaultKind)
        raise FaultSpecError(f"fault {spec!r}: unknown kind {match['kind']!r} (known: {known})") from None
    ident = match["ident"]
    if ident is not None and ident not in "SIPHJ":
        raise FaultSpecError(f"fault {spec!r}: identifier must be S, I, P, H or J")
    arg = match["arg"]
    if kind is FaultKind.ERROR:
        if arg is None or not re.fullmatch(r"[0-2]\d\d", arg):
            raise FaultSpecError(f"fault {spec!r}: error needs a 3-digit code, e.g. error=208")
    elif kind is FaultKind.DELAY:
        arg = arg or "4.0"
        try:
            if float(arg) < 0:
                raise ValueError
        except ValueError:
            raise FaultSpecError(f"fault {spec!r}: delay needs a number of seconds >= 0") from None
    elif kind is FaultKind.FILL_MEMORY:
        arg = arg or "100"
        if not arg.isdigit() or not 0 <= int(arg) <= 100:
            raise FaultSpecError(f"fault {spec!r}: fill-memory takes a percentage 0-100")
    elif arg is not None:
        raise FaultSpecError(f"fault {spec!r}: {kind.value} takes no argument")
    count = int(match["count"]) if match["count"] else 1
    if count < 1:
        raise FaultSpecError(f"fault {spec!r}: count must be at least 1")
    return Fault(kind, arg, ident, count)


class FaultPlan:
    """Pending per-request faults, consumed in the order they were added."""

    def __init__(self, faults: Iterable[Fault] = ()) -> None:
        self._pending: list[Fault] = []
        for fault in faults:
            self.add(fault)

    def add(self, fault: Fault) -> None:
        if fault.kind in DEVICE_FAULTS:
            raise FaultSpecError(f"{fault.kind.value} is a device fault: apply it to the emulator directly")
        self._pending.append(fault)

    def take(self, identifier: str) -> dict[FaultKind, Fault]:
        """The faults that apply to this request (at most one per kind), each consumed once."""
        chosen: dict[FaultKind, Fault] = {}
        remaining: list[Fault] = []
        for fault in self._pending:
            if fault.kind not in chosen and fault.matches(identifier):
                chosen[fault.kind] = fault
                if fault.count > 1:
                    remaining.append(replace(fault, count=fault.count - 1))
            else:
                remaining.append(fault)
        self._pending = remaining
        return chosen

    @property
    def pending(self) -> list[Fault]:
        return list(self._pending)
