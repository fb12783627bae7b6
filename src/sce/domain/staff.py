"""Employees: the INSZ/BIS number that identifies a user to the FDM and the alias printed on tickets.

The ticket shows a user identification recognisable inside the company, never the INSZ (MB art. 20 h).
"""

from __future__ import annotations

from dataclasses import dataclass

from sce.domain.errors import DomainError
from sce.domain.identifiers import ONLINE_KIOSK, TECHNICIAN, validate_employee_id

MAX_ALIAS = 40


@dataclass(frozen=True, slots=True)
class Employee:
    """A user of the POS; ``employee_id`` is validated and kept in compact form."""

    employee_id: str
    alias: str
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "employee_id", validate_employee_id(self.employee_id))
        alias = self.alias.strip()
        if not alias:
            raise DomainError("alias", "REQUIRED", "the name printed on tickets")
        if len(alias) > MAX_ALIAS:
            raise DomainError("alias", "TOO_LONG", f"at most {MAX_ALIAS} characters")
        if alias.replace(" ", "") == self.employee_id:
            raise DomainError("alias", "INSZ_NOT_ALLOWED", "tickets never show the INSZ/BIS number")
        object.__setattr__(self, "alias", alias)


def technician(alias: str = "Technician") -> Employee:
    """A user foreign to the enterprise (MB art. 1 9°)."""
    return Employee(TECHNICIAN, alias)


def online_user(alias: str = "Online") -> Employee:
    """The user of online and kiosk orders under the establishment's responsibility."""
    return Employee(ONLINE_KIOSK, alias)
