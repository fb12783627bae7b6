"""The diagnostics bundle an operator sends to the dealer: versions, FDM status and counters, last errors,
configuration log, with personal data removed (national numbers, e-mail addresses, phone numbers, names)."""

from __future__ import annotations

import re
from typing import Any

import sce

REDACTED = "[removed]"
_PERSONAL_KEYS = frozenset(
    {
        "employee_id",
        "insz",
        "employeeid",
        "name",
        "first_name",
        "last_name",
        "display_name",
        "username",
        "actor",
        "contact_person",
        "representatives",
        "email",
        "contact_email",
        "phone",
        "customer",
        "pin",
        "puk",
    }
)
_PATTERNS = (
    re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"),  # e-mail address
    re.compile(r"(?<!\d)\d{2}\.?\d{2}\.?\d{2}-?\d{3}\.?\d{2}(?!\d)"),  # INSZ/BIS, with or without separators
    # phone number: +32/0032 or a leading 0, then 8 or 9 digits with optional separators; not a date,
    # a timestamp, a VAT, establishment or production number, nor a VSC id
    re.compile(r"(?<![\w+.-])(?:(?:\+|00)\d{2}[ /.-]?|0)\d(?:[ /.-]?\d){7,8}(?![\w-])"),
)


def scrub_text(text: str) -> str:
    for pattern in _PATTERNS:
        text = pattern.sub(REDACTED, text)
    return text


def scrub(value: Any, key: str = "") -> Any:
    """A copy of ``value`` without personal data: personal keys emptied, patterns replaced in texts."""
    if key.lower() in _PERSONAL_KEYS:
        return REDACTED
    if isinstance(value, dict):
        return {k: scrub(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub(v) for v in value]
    if isinstance(value, str):
        return scrub_text(value)
    return value


def bundle(
    pos: dict[str, Any], fdm_status: dict[str, Any], errors: list[str], config_log: list[dict[str, Any]]
) -> dict[str, Any]:
    """The bundle, scrubbed; the POS calls this and offers the result as a download."""
    scrubbed: dict[str, Any] = scrub(
        {
            "format": "sce-diagnostics/1",
            "versions": {"sce": getattr(sce, "__version__", "0.1.0"), **dict(pos.get("versions") or {})},
            "pos": {k: v for k, v in pos.items() if k != "versions"},
            "fdm": fdm_status,
            "last_errors": errors[-20:],
            "configuration_log": config_log[-100:],
        }
    )
    return scrubbed
