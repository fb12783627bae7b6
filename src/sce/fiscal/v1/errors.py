"""SCE 1.0 FDM error field: the six-character level/code/detail string and what each code means."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(Enum):
    """First digit of the error field."""

    OK = 0
    WARNING = 1
    ERROR = 2


class FdmCode(Enum):
    """Level + code (the first three characters of the error field)."""

    OK = "000"
    PIN_ACCEPTED = "001"
    MEMORY_NEAR_FULL = "101"
    ALREADY_HANDLED = "102"
    NO_RECORD = "103"
    UNSPECIFIED_WARNING = "199"
    NO_VSC = "201"
    PIN_REQUIRED = "202"
    VSC_BLOCKED = "203"
    INVALID_PIN = "204"
    MEMORY_FULL = "205"
    UNKNOWN_IDENTIFIER = "206"
    INVALID_DATA = "207"
    NOT_OPERATIONAL = "208"
    CLOCK_CORRUPT = "209"
    VSC_INCOMPATIBLE = "210"
    UNSPECIFIED_ERROR = "299"

    @property
    def severity(self) -> Severity:
        return Severity(int(self.value[0]))

    @property
    def description(self) -> str:
        return DESCRIPTIONS[self]


DESCRIPTIONS: dict[FdmCode, str] = {
    FdmCode.OK: "no error",
    FdmCode.PIN_ACCEPTED: "PIN accepted",
    FdmCode.MEMORY_NEAR_FULL: "FDM memory 90 % full",
    FdmCode.ALREADY_HANDLED: "already handled request",
    FdmCode.NO_RECORD: "no record",
    FdmCode.UNSPECIFIED_WARNING: "unspecified warning",
    FdmCode.NO_VSC: "no VSC or VSC broken",
    FdmCode.PIN_REQUIRED: "initialise the VSC with the PIN",
    FdmCode.VSC_BLOCKED: "VSC blocked",
    FdmCode.INVALID_PIN: "invalid PIN",
    FdmCode.MEMORY_FULL: "FDM memory full",
    FdmCode.UNKNOWN_IDENTIFIER: "unknown identifier",
    FdmCode.INVALID_DATA: "invalid data in message",
    FdmCode.NOT_OPERATIONAL: "FDM not operational",
    FdmCode.CLOCK_CORRUPT: "FDM real-time clock corrupt",
    FdmCode.VSC_INCOMPATIBLE: "VSC not compatible with FDM",
    FdmCode.UNSPECIFIED_ERROR: "unspecified error",
}


@dataclass(frozen=True, slots=True)
class ErrorField:
    """The six characters at reply offset 4: level (1), code (2), detail (3)."""

    code: FdmCode
    detail: int = 0

    def __str__(self) -> str:
        return f"{self.code.value}{self.detail:03d}"

    @property
    def severity(self) -> Severity:
        return self.code.severity

    @classmethod
    def parse(cls, text: str) -> ErrorField:
        if len(text) != 6 or not text.isdigit() or not text.isascii():
            raise ValueError(f"error field {text!r} is not 6 digits")
        try:
            code = FdmCode(text[:3])
        except ValueError:
            level = int(text[0])
            if level == 1:
                code = FdmCode.UNSPECIFIED_WARNING
            elif level == 0:
                code = FdmCode.OK
            else:
                code = FdmCode.UNSPECIFIED_ERROR
        return cls(code, int(text[3:]))


OK = ErrorField(FdmCode.OK)
