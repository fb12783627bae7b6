"""Bulk deliveries as XML: validation against the published XSD (``schema/deliveries.xsd``) and reading."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

import xmlschema

from sce.eservice.errors import InvalidInputError

NAMESPACE = "urn:sce:eservice:deliveries:1"


@functools.cache
def schema() -> xmlschema.XMLSchema:
    with resources.as_file(resources.files("sce.eservice") / "schema" / "deliveries.xsd") as path:
        return xmlschema.XMLSchema(str(path))


def schema_text() -> str:
    return (resources.files("sce.eservice") / "schema" / "deliveries.xsd").read_text(encoding="utf-8")


@dataclass(frozen=True, slots=True)
class XmlDelivery:
    operator_vat: str
    establishment: str
    room: str
    day: date
    serials: list[str]


def parse(document: bytes) -> tuple[str, list[XmlDelivery]]:
    """The distributor VAT number and the deliveries; an invalid document names the element and rule."""
    try:
        text = document.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInputError("file", "NOT_UTF8", "the XML file must be UTF-8") from None
    validator = schema()
    try:
        errors = list(validator.iter_errors(text))
    except xmlschema.XMLSchemaException as error:
        raise InvalidInputError("file", "NOT_XML", str(error).splitlines()[0]) from None
    except Exception as error:  # a parser error (not well-formed, forbidden entity)
        raise InvalidInputError("file", "NOT_WELL_FORMED", str(error).splitlines()[0]) from None
    if errors:
        first = errors[0]
        where = first.path or "/"
        reason = (first.reason or str(first.message)).strip()
        raise InvalidInputError(f"file{where}", "XSD_INVALID", reason)
    decoded: Any = validator.to_dict(text)
    distributor = str(decoded["@distributor"])
    deliveries = []
    for item in decoded["delivery"]:

        def value(name: str, item: dict[str, Any] = item) -> Any:
            return item.get(f"{{{NAMESPACE}}}{name}", item.get(name))

        deliveries.append(
            XmlDelivery(
                operator_vat=str(value("operatorVat")),
                establishment=str(value("establishment")),
                room=str(value("room") or ""),
                day=_day(str(value("date"))),
                serials=[str(s) for s in value("productionNumber")],
            )
        )
    return distributor, deliveries


def _day(text: str) -> date:
    """An ``xs:date``: its time zone, if any, is dropped (a delivery day); years outside 1-9999 refused."""
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(Z|[+-]\d{2}:\d{2})?", text.strip())
    try:
        if match is None:
            raise ValueError(text)
        return date.fromisoformat(match.group(1))
    except ValueError:
        raise InvalidInputError(
            "file/deliveries/delivery/date", "INVALID_DATE", f"{text!r} is not a day between 0001 and 9999"
        ) from None
