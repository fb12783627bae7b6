"""One thing the verifier found wrong: which file and record, which field, what was expected and found."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Finding:
    """``seq`` is the journal (or configuration-log) sequence number of the record named, when known;
    ``line`` the 1-based line of the file when the record could not be read."""

    check: str
    file: str
    seq: int | None
    field: str
    expected: str
    actual: str
    line: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"finding": True, **asdict(self)}

    def text(self) -> str:
        where = f"seq {self.seq}" if self.seq is not None else (f"line {self.line}" if self.line else "-")
        return (
            f"{self.file} {where}: [{self.check}] {self.field}: expected {self.expected}, found {self.actual}"
        )
