"""Identifier checks of the domain: employee INSZ/BIS, VAT number, establishment unit number, POS number.

Employees are checked with python-stdnum (``stdnum.be.nn``, ``stdnum.be.bis``), a customer's VAT number of
another EU member state with ``stdnum.eu.vat`` (check digits per country); the two numbers the law
reserves (MB art. 1 9°) are accepted as such: ``00000000097`` for a user foreign to the enterprise (a
technician) and ``00000000029`` for online and kiosk orders. Every check returns the compact form and
raises :class:`~sce.domain.errors.DomainError` naming the field and the rule broken.
"""

from __future__ import annotations

import re
from enum import StrEnum

from stdnum import exceptions as stdnum_errors
from stdnum.be import bis, nn, vat
from stdnum.eu import vat as eu_vat

from sce.domain.errors import DomainError

TECHNICIAN = "00000000097"
ONLINE_KIOSK = "00000000029"
_SEPARATORS = re.compile(r"[\s./-]")
_POS_NUMBER = re.compile(r"C[A-Z]{3}[0-9]{3}[A-Z0-9]{7}")
_LEGACY_POS_NUMBER = re.compile(r"[A-Z0-9]{14}")


class EmployeeIdKind(StrEnum):
    INSZ = "INSZ"
    BIS = "BIS"
    TECHNICIAN = "TECHNICIAN"
    ONLINE_KIOSK = "ONLINE_KIOSK"


def _rule(error: stdnum_errors.ValidationError) -> str:
    if isinstance(error, stdnum_errors.InvalidLength):
        return "INVALID_LENGTH"
    if isinstance(error, stdnum_errors.InvalidFormat):
        return "INVALID_FORMAT"
    if isinstance(error, stdnum_errors.InvalidChecksum):
        return "INVALID_CHECKSUM"
    return "INVALID_COMPONENT"


def _compact(value: str, field: str) -> str:
    if not isinstance(value, str):
        raise DomainError(field, "NOT_TEXT", f"{value!r} is not a text")
    return _SEPARATORS.sub("", value).upper()


def employee_id_kind(value: str, field: str = "employee_id") -> EmployeeIdKind:
    """What an employee number is; raises when it is neither a valid INSZ nor a valid BIS number."""
    number = _compact(value, field)
    if number == TECHNICIAN:
        return EmployeeIdKind.TECHNICIAN
    if number == ONLINE_KIOSK:
        return EmployeeIdKind.ONLINE_KIOSK
    if len(number) != 11:
        raise DomainError(field, "INVALID_LENGTH", "an INSZ or BIS number has 11 digits")
    if not number.isascii() or not number.isdigit():
        raise DomainError(field, "INVALID_FORMAT", "an INSZ or BIS number has only digits")
    month = int(number[2:4])
    looks_bis = 20 <= month <= 32 or 40 <= month <= 52
    try:
        (bis if looks_bis else nn).validate(number)
    except stdnum_errors.ValidationError as error:
        kind = "BIS" if looks_bis else "INSZ"
        raise DomainError(field, _rule(error), f"not a valid {kind} number: {error}") from None
    return EmployeeIdKind.BIS if looks_bis else EmployeeIdKind.INSZ


def validate_employee_id(value: str, field: str = "employee_id") -> str:
    """The 11-digit INSZ/BIS number (or one of the two reserved numbers), separators removed."""
    employee_id_kind(value, field)
    return _compact(value, field)


def validate_vat_number(value: str, field: str = "vat_number") -> str:
    """A Belgian enterprise VAT number as ``BE`` + 10 digits (first digit 0 or 1, mod 97 check)."""
    number = _compact(value, field)
    try:
        digits = vat.validate(number)
    except stdnum_errors.ValidationError as error:
        raise DomainError(field, _rule(error), f"not a valid Belgian VAT number: {error}") from None
    return "BE" + digits


#: A VAT or business number of a country outside the EU (Switzerland ``CHE...``, United Kingdom ``GB...``,
#: Norway ``NO...MVA``): country letters and 2 to 13 letters, digits or ``+*``; its check digits are not ours
#: to know.
_NON_EU_VAT = re.compile(r"[A-Z]{2}[A-Z0-9+*]{2,13}")
_EU_PREFIXES = frozenset(code.upper() for code in eu_vat.MEMBER_STATES) | {"EL"}


def validate_customer_vat_number(value: str, field: str = "customer.vat_no") -> str:
    """A customer's VAT number on an invoice: Belgian (``BE`` or 10 digits, mod 97), another EU member
    state's (that country's check digits; Greece as ``EL``, Northern Ireland as ``XI``), or a non-EU
    number checked for its form only."""
    number = _compact(value, field)
    if number.isdigit() or number.startswith("BE"):
        return validate_vat_number(number, field)
    if number[:2] in _EU_PREFIXES:
        try:
            return str(eu_vat.validate(number))
        except stdnum_errors.ValidationError as error:
            raise DomainError(field, _rule(error), f"not a valid {number[:2]} VAT number: {error}") from None
    if not _NON_EU_VAT.fullmatch(number):
        raise DomainError(field, "INVALID_FORMAT", "a VAT number: country code and number")
    return number


def validate_establishment_number(value: str, field: str = "establishment_number") -> str:
    """A KBO/BCE establishment unit number: 10 digits, first 2 to 8, last two = 97 - (first 8 mod 97)."""
    number = _compact(value, field)
    if len(number) != 10:
        raise DomainError(field, "INVALID_LENGTH", "an establishment unit number has 10 digits")
    if not number.isascii() or not number.isdigit():
        raise DomainError(field, "INVALID_FORMAT", "an establishment unit number has only digits")
    if number[0] not in "2345678":
        raise DomainError(field, "INVALID_FORMAT", "an establishment unit number starts with 2 to 8")
    if int(number[8:]) != 97 - int(number[:8]) % 97:
        raise DomainError(field, "INVALID_CHECKSUM", "the last two digits are not 97 - (first 8 mod 97)")
    return number


def validate_pos_production_number(
    value: str, *, legacy: bool = False, field: str = "pos_production_number"
) -> str:
    """The 14-character production number of the POS (MB art. 46).

    ``C`` + maker id (3 letters) + model number (3 digits) + 7 alphanumerics (serial or licence key).
    ``legacy`` accepts any 14 upper-case alphanumerics, as SCE 1.0 registers were numbered.
    """
    if not isinstance(value, str):
        raise DomainError(field, "NOT_TEXT", f"{value!r} is not a text")
    if len(value) != 14:
        raise DomainError(field, "INVALID_LENGTH", "a POS production number has 14 characters")
    pattern = _LEGACY_POS_NUMBER if legacy else _POS_NUMBER
    if not pattern.fullmatch(value):
        rule = "upper-case letters and digits" if legacy else "C + 3 letters + 3 digits + 7 letters/digits"
        raise DomainError(field, "INVALID_FORMAT", rule)
    return value
