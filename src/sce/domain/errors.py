"""The one error type of the domain: a rule broken by a field, named so the edge can put it into words."""

from __future__ import annotations


class DomainError(ValueError):
    """A domain rule broken by the value of a field.

    ``field`` names the input (``price``, ``employee_id``, ``lines[2].quantity``), ``rule`` is a stable
    upper-case code (``INVALID_CHECKSUM``, ``NOT_CLOCKED_IN``...), ``detail`` says it in words.
    """

    def __init__(self, field: str, rule: str, detail: str = "") -> None:
        super().__init__(f"{field}: {rule}{f' ({detail})' if detail else ''}")
        self.field = field
        self.rule = rule
        self.detail = detail
