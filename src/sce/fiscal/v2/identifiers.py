"""Checks of the identifiers an SCE 2.0 envelope carries: VAT number, establishment number, INSZ/BIS, posId.

Each check returns ``None`` when the value is valid, else the rule it breaks (``INVALID_LENGTH``,
``INVALID_FORMAT``, ``INVALID_CHECKSUM``), so the FDM can name the rule in its answer.
"""

from __future__ import annotations

import re

SPECIAL_EMPLOYEES = frozenset({"00000000097", "00000000029"})
_POS_ID = re.compile(r"C[A-Z]{3}[0-9]{3}[A-Z0-9]{7}")


def _mod97_ok(number: str) -> bool:
    return int(number[-2:]) == 97 - int(number[:-2]) % 97


def check_vat_no(value: str) -> str | None:
    """``BE`` + 10 digits, first digit 0 or 1, last two = 97 - (first 8 mod 97)."""
    if len(value) != 12:
        return "INVALID_LENGTH"
    if not value.startswith("BE") or not value[2:].isascii() or not value[2:].isdigit():
        return "INVALID_FORMAT"
    if value[2] not in "01":
        return "INVALID_FORMAT"
    return None if _mod97_ok(value[2:]) else "INVALID_CHECKSUM"


def check_est_no(value: str) -> str | None:
    """10 digits, first digit 2-8, last two = 97 - (first 8 mod 97)."""
    if len(value) != 10:
        return "INVALID_LENGTH"
    if not value.isascii() or not value.isdigit() or value[0] not in "2345678":
        return "INVALID_FORMAT"
    return None if _mod97_ok(value) else "INVALID_CHECKSUM"


def check_employee_id(value: str) -> str | None:
    """INSZ/NISS or BIS: 11 digits, check = 97 - (first 9 mod 97), or with 2 000 000 000 added (born 2000+).

    A value that is not 11 digits breaks ``INVALID_LENGTH``, as a real FDM answers for a non-numeric id.
    """
    if len(value) != 11 or not value.isascii() or not value.isdigit():
        return "INVALID_LENGTH"
    if value in SPECIAL_EMPLOYEES:
        return None
    head, check = int(value[:9]), int(value[9:])
    if check in (97 - head % 97, 97 - (2_000_000_000 + head) % 97):
        return None
    return "INVALID_CHECKSUM"


def check_pos_id(value: str) -> str | None:
    """``C`` + maker code (3 letters) + model (3 digits) + production number (7 alphanumerics)."""
    if len(value) != 14:
        return "INVALID_LENGTH"
    return None if _POS_ID.fullmatch(value) else "INVALID_FORMAT"
