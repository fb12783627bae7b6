"""Faults the emulator can be told to show: unreachable, slow, FPS down, buffer fill, locked, not operational,
certificate expiring or expired, and any error or warning code of the spec on demand.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sce.fiscal.v2.messages import ERROR_CODES, WARNING_CODES

CERTIFICATE_STATES = ("ok", "expiring", "expired")


@dataclass(slots=True)
class Faults:
    """The current fault settings of one emulator (all off by default)."""

    unreachable: bool = False
    slow_ms: int = 0
    fps_down: bool = False
    buffer_fill: float | None = None
    locked: bool = False
    not_operational: bool = False
    certificate: str = "ok"
    error_code: str | None = None
    warning_codes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def update(self, changes: dict[str, Any]) -> None:
        """Apply ``changes`` (JSON from the CLI or a test); raise ValueError naming a bad key or value."""
        for key, value in changes.items():
            if key not in Faults.__dataclass_fields__:
                raise ValueError(f"unknown fault {key!r}; known: {', '.join(Faults.__dataclass_fields__)}")
            _check(key, value)
            setattr(self, key, list(value) if key == "warning_codes" else value)


def _check(key: str, value: Any) -> None:
    if key in ("unreachable", "fps_down", "locked", "not_operational") and not isinstance(value, bool):
        raise ValueError(f"{key}: must be true or false")
    if key == "slow_ms" and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        raise ValueError("slow_ms: must be a whole number of milliseconds >= 0")
    if key == "buffer_fill" and value is not None and not _percentage(value):
        raise ValueError("buffer_fill: must be a percentage between 0 and 100, or null")
    if key == "certificate" and value not in CERTIFICATE_STATES:
        raise ValueError(f"certificate: must be one of {', '.join(CERTIFICATE_STATES)}")
    if key == "error_code" and value is not None and value not in ERROR_CODES:
        raise ValueError(f"error_code: {value!r} is not an FDM error code")
    if key == "warning_codes" and (
        not isinstance(value, list) or any(code not in WARNING_CODES for code in value)
    ):
        raise ValueError("warning_codes: must be a list of FDM warning codes")


def _percentage(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 100
