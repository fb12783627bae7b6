"""The local KBO/BCE register stand-in: companies, legal representatives, establishment units; CSV import.

CSV columns (header required): ``record,vat,name,legal_form,address,number,signboard``. ``record`` is
``company`` (vat, name, legal_form, address), ``representative`` (vat, name) or ``establishment``
(vat, number, signboard, address). VAT numbers are checked (mod 97), establishment numbers too.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from sce.domain.errors import DomainError
from sce.domain.identifiers import validate_establishment_number, validate_vat_number
from sce.eservice.errors import InvalidInputError, NotFoundError
from sce.eservice.tables import kbo_companies, kbo_establishments, kbo_representatives

CSV_COLUMNS = ("record", "vat", "name", "legal_form", "address", "number", "signboard")


def vat_number(value: str, field: str = "vat") -> str:
    """A Belgian VAT number in the form ``BE0123456789``; the error names ``field`` and the rule."""
    try:
        return validate_vat_number(value, field)
    except DomainError as error:
        raise InvalidInputError(error.field, error.rule, error.detail) from None


def establishment_number(value: str, field: str = "establishment") -> str:
    try:
        return validate_establishment_number(value, field)
    except DomainError as error:
        raise InvalidInputError(error.field, error.rule, error.detail) from None


@dataclass(frozen=True, slots=True)
class ImportResult:
    companies: int
    representatives: int
    establishments: int


def _upsert(conn: Connection, table: Any, key: str, values: dict[str, Any]) -> None:
    column = table.c[key]
    if conn.execute(select(column).where(column == values[key])).first():
        conn.execute(table.update().where(column == values[key]).values(**values))
    else:
        conn.execute(table.insert().values(**values))


def import_csv(conn: Connection, text: str) -> ImportResult:
    """Load companies, representatives and establishment units; a bad line names its line and field."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("record", "vat") if c not in (reader.fieldnames or [])]
    if missing:
        raise InvalidInputError("csv", "MISSING_COLUMN", f"the header lacks {', '.join(missing)}")
    counts = {"company": 0, "representative": 0, "establishment": 0}
    for line, row in enumerate(reader, start=2):
        kind = (row.get("record") or "").strip()
        where = f"csv line {line}"
        vat = vat_number(row.get("vat") or "", f"{where}: vat")
        if kind == "company":
            name = (row.get("name") or "").strip()
            if not name:
                raise InvalidInputError(f"{where}: name", "REQUIRED", "a company has a name")
            _upsert(
                conn,
                kbo_companies,
                "vat",
                {
                    "vat": vat,
                    "name": name,
                    "legal_form": (row.get("legal_form") or "").strip(),
                    "address": (row.get("address") or "").strip(),
                },
            )
        elif kind == "representative":
            _company_exists(conn, vat, f"{where}: vat")
            conn.execute(kbo_representatives.insert().values(company_vat=vat, name=row.get("name") or ""))
        elif kind == "establishment":
            _company_exists(conn, vat, f"{where}: vat")
            number = establishment_number(row.get("number") or "", f"{where}: number")
            _upsert(
                conn,
                kbo_establishments,
                "number",
                {
                    "number": number,
                    "company_vat": vat,
                    "signboard": (row.get("signboard") or "").strip() or number,
                    "address": (row.get("address") or "").strip(),
                },
            )
        else:
            raise InvalidInputError(
                f"{where}: record", "UNKNOWN_RECORD", "use company, representative or establishment"
            )
        counts[kind] += 1
    return ImportResult(counts["company"], counts["representative"], counts["establishment"])


def _company_exists(conn: Connection, vat: str, field: str) -> None:
    if not conn.execute(select(kbo_companies.c.vat).where(kbo_companies.c.vat == vat)).first():
        raise InvalidInputError(field, "UNKNOWN_COMPANY", f"{vat} is not in the register (add it first)")


def company(conn: Connection, vat: str) -> dict[str, Any]:
    """The company with its representatives and establishment units, or NotFoundError."""
    row = conn.execute(select(kbo_companies).where(kbo_companies.c.vat == vat)).mappings().first()
    if row is None:
        raise NotFoundError("vat", "NOT_IN_KBO", f"{vat} is not known in the KBO/BCE")
    reps = conn.execute(select(kbo_representatives.c.name).where(kbo_representatives.c.company_vat == vat))
    units = conn.execute(
        select(kbo_establishments).where(kbo_establishments.c.company_vat == vat).order_by("number")
    ).mappings()
    return {
        **dict(row),
        "representatives": [r[0] for r in reps],
        "establishments": [dict(u) for u in units],
    }


def establishment(conn: Connection, number: str) -> dict[str, Any]:
    row = conn.execute(select(kbo_establishments).where(kbo_establishments.c.number == number)).mappings()
    found = row.first()
    if found is None:
        raise NotFoundError("establishment", "NOT_IN_KBO", f"{number} is not an establishment unit")
    return dict(found)
