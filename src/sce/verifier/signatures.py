"""FDM signatures and the binding of each signed exchange to the journaled event, from the specifications.

* SCE 1.0 (``fdm-v1-serial.md`` § 3.4 and Decision (s)): signature = upper-case hex HMAC-SHA1 with the
  card key over request DATA[4:162] + reply FDM date [35:43] + FDM time [43:49] + label counter [51:60]
  + total counter [60:69]; the signature is reply [69:109]. The request must carry the event: ticket
  number, INSZ, label, total and per-rate amounts (taxable base, or VAT amount), PLU hash of the lines.
* SCE 2.0 (``fdm-v2-graphql.md`` Decisions (c), (d)): ECDSA P-256 / SHA-256 over the canonical JSON of
  ``{"data", "eventOperation", "fdmRef"}``; ``digitalSignature`` = base64 of r||s; ``shortSignature`` =
  upper-case hex SHA-1 of the 64 signature bytes.
"""

from __future__ import annotations

import binascii
import functools
import hashlib
import hmac
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, DecimalException
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

# a run-time import: the key's type is read when the module is compiled (docs/audit.md, compiled build)
from cryptography.hazmat.primitives.asymmetric import ec

from sce.verifier import fastjson, p256

Problem = tuple[str, str, str]  # field, expected, actual
#: SCE 2.0 keys given a fast-check table per process (about 150 KB each); further keys take the reference
MAX_TABLES = 32

RATES = {"A": Decimal(21), "B": Decimal(12), "C": Decimal(6), "D": Decimal(0), "X": Decimal(0)}
CENT = Decimal("0.01")
BRUSSELS = ZoneInfo("Europe/Brussels")
#: Kinds an SCE 1.0 FDM signs (COPY only when enabled, so a COPY without signature is accepted).
V1_SIGNED = frozenset({"WORK_IN", "WORK_OUT", "SALE", "ORDER", "PRE_BILL", "COST_CENTER_CHANGE"})
V1_OPTIONAL = frozenset({"COPY"})
_PRO_FORMA = frozenset({"ORDER", "PRE_BILL", "COST_CENTER_CHANGE"})
_WORK = frozenset({"WORK_IN", "WORK_OUT"})
_V2_DEFAULTS = {"REPORT_TURNOVER_X": "turnover", "REPORT_TURNOVER_Z": "turnover"}


@dataclass(slots=True)
class KeyRing:
    """Verification data per FDM id, read from ``keys.json``."""

    v1: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # fdm_id -> (vsc_id, key)
    v2: dict[str, ec.EllipticCurvePublicKey] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    #: a key's table for the fast check (:mod:`sce.verifier.p256`), made at its first use; None: none
    tables: dict[str, p256.KeyTable | None] = field(default_factory=dict)
    fast: bool = True

    def table(self, fdm_id: str) -> p256.KeyTable | None:
        """The fast check's table of an SCE 2.0 key (None: every check of it takes the reference)."""
        try:
            return self.tables[fdm_id]
        except KeyError:
            pass
        table = None
        key = self.v2.get(fdm_id)
        if self.fast and key is not None and len(self.tables) < MAX_TABLES:
            from cryptography.hazmat.primitives import serialization  # noqa: PLC0415

            form = serialization.PublicFormat.UncompressedPoint
            try:
                table = p256.KeyTable(key.public_bytes(serialization.Encoding.X962, form))
            except ValueError:
                table = None
        self.tables[fdm_id] = table
        return table

    @classmethod
    def load(cls, path: Path) -> KeyRing:
        ring = cls()
        if not path.exists():
            ring.problems.append("keys.json missing")
            return ring
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            entries = document["fdms"]
        except (ValueError, KeyError, TypeError) as exc:
            ring.problems.append(f"keys.json unreadable: {exc}")
            return ring
        for entry in entries:
            try:
                fdm_id = str(entry["fdm_id"])
                if int(entry["generation"]) == 1:
                    ring.v1[fdm_id] = (str(entry.get("vsc_id", "")), bytes.fromhex(str(entry["key_hex"])))
                else:
                    from cryptography.hazmat.primitives import serialization  # noqa: PLC0415

                    key = serialization.load_pem_public_key(str(entry["public_key_pem"]).encode("ascii"))
                    if not isinstance(key, ec.EllipticCurvePublicKey):
                        raise ValueError("not an EC public key")
                    if key.curve.name != "secp256r1":
                        raise ValueError(f"a key on {key.curve.name}, not P-256 (Decision (c))")
                    ring.v2[fdm_id] = key
            except (KeyError, TypeError, ValueError) as exc:
                ring.problems.append(f"keys.json entry {entry!r:.80}: {exc}")
        return ring

    @property
    def generations(self) -> set[int]:
        return ({1} if self.v1 else set()) | ({2} if self.v2 else set())


def dec(value: Any) -> Decimal:
    """A decimal string (or JSON number from an FDM message) as an exact Decimal."""
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(str(value))


CENTS_TEXT = re.compile(r"-?[0-9]+\.[0-9][0-9]")
_CENTS = CENTS_TEXT
_INT_RATES = {"A": 21, "B": 12, "C": 6, "D": 0, "X": 0}


def cents_of(value: Any) -> int:
    """An amount (decimal string) in integer cents; exact, half-up beyond two decimals."""
    if type(value) is str and len(value) > 3 and value[-3] == ".":
        digits = value[:-3] + value[-2:]
        body = digits[1:] if digits[0] == "-" else digits
        if body.isascii() and body.isdigit():
            return int(digits)
    return int((dec(value) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def vat_cents(total: int, letter: str) -> int:
    """round_half_up(P x t / (100 + t)) in cents, away from zero on ties, in exact integers."""
    rate = _INT_RATES[letter]
    if rate == 0:
        return 0
    magnitude = (2 * abs(total) * rate + 100 + rate) // (2 * (100 + rate))
    return magnitude if total >= 0 else -magnitude


def line_vat(total: Decimal, letter: str) -> Decimal:
    rate = RATES[letter]
    return (total * rate / (100 + rate)).quantize(CENT, rounding=ROUND_HALF_UP)


def cents(value: Decimal) -> int:
    return int((value * 100).to_integral_value())


# ------------------------------------------------------------------ SCE 1.0 PLU hash (§ 5)

_REPLACE: dict[str, str] = {}
for _chars, _target in (
    ("ÄÅÂÁÀâäáàã", "A"),
    ("Ææ", "AE"),
    ("ß", "SS"),
    ("çÇ", "C"),
    ("ÎÏÍÌïîìí", "I"),
    ("€", "E"),
    ("ÊËÉÈêëéè", "E"),
    ("ÛÜÚÙüûúù", "U"),
    ("ÔÖÓÒöôóò", "O"),
    ("Œœ", "OE"),
    ("ñÑ", "N"),
    ("ýÝÿ", "Y"),
):
    for _char in _chars:
        _REPLACE[_char] = _target
for _code in range(ord("a"), ord("z") + 1):
    _REPLACE[chr(_code)] = chr(_code).upper()
_TABLE = str.maketrans(_REPLACE)
_KEEP = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_FACTORS = {"unit": 1, "g": 1, "kg": 1000, "ml": 1, "l": 1000}


def _last(value: Decimal, width: int) -> str:
    return str(int(abs(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))).zfill(width)[-width:]


_NAMES: dict[str, str] = {}


def _description(name: str) -> str:
    field_ = _NAMES.get(name)
    if field_ is None:
        field_ = "".join(ch for ch in name.translate(_TABLE) if ch in _KEEP)[:20].ljust(20)
        if len(_NAMES) < 10_000:
            _NAMES[name] = field_
    return field_


def plu_sha1(lines: list[dict[str, Any]]) -> str:
    parts = []
    for line in lines:
        quantity_text = str(line["quantity"])
        uom = str(line.get("uom", "unit"))
        price = line["unit_price"]
        if (
            quantity_text.lstrip("-").isdigit()
            and uom == "unit"
            and isinstance(price, str)
            and _CENTS.fullmatch(price)
        ):
            quantity = int(quantity_text)
            parts.append(
                str(abs(quantity)).zfill(4)[-4:]
                + _description(str(line["name"]))
                + str(abs(quantity * int(price.replace(".", "")))).zfill(8)[-8:]
                + str(line["vat"])
            )
            continue
        exact = dec(quantity_text) * _FACTORS.get(uom, 1)
        total = (dec(price) * dec(quantity_text)).quantize(CENT, rounding=ROUND_HALF_UP)
        parts.append(
            _last(exact, 4) + _description(str(line["name"])) + _last(total * 100, 8) + str(line["vat"])
        )
    return hashlib.sha1("".join(parts).encode("utf-8")).hexdigest()


_WORK_LINE = {"quantity": "1", "unit_price": "0", "uom": "unit", "vat": "D", "line_total": "0.00"}


def v1_lines(event: Mapping[str, Any]) -> list[dict[str, Any]]:
    kind = event.get("kind")
    if kind in _WORK:
        return [{**_WORK_LINE, "name": "WORK IN" if kind == "WORK_IN" else "WORK OUT"}]
    return list(event.get("lines") or [])


def v1_label(event: Mapping[str, Any], lines: list[dict[str, Any]]) -> str:
    kind = event.get("kind")
    if event.get("training"):
        first = "T"
    elif kind == "COPY":
        first = "C"
    elif kind in _PRO_FORMA:
        first = "P"
    else:
        first = "N"
    total = sum(cents_of(line["line_total"]) for line in lines)
    refund = total < 0 or (total == 0 and bool(lines) and dec(lines[0]["quantity"]) < 0)
    return first + ("R" if refund else "S")


def check_v1(record: Mapping[str, Any], ring: KeyRing) -> list[Problem]:
    fdm = record["fdm"]
    event = record.get("event")
    if not isinstance(event, dict):
        event = {}  # the record's own finding
    request = record.get("request")
    reply = record.get("reply")
    problems: list[Problem] = []
    if not isinstance(request, str) or len(request) != 162 or not request.startswith("H"):
        return [("request", "the 162-character H request DATA", repr(request)[:60])]
    if not isinstance(reply, str) or len(reply) != 109 or not reply.startswith("H"):
        return [("reply", "the 109-character H reply DATA", repr(reply)[:60])]
    fdm_id = str(fdm.get("fdm_id"))
    key = ring.v1.get(fdm_id)
    signature = reply[69:109]
    if key is None:
        problems.append(("fdm.fdm_id", "an FDM listed in keys.json", fdm_id))
    else:
        message = request[4:162] + reply[35:43] + reply[43:49] + reply[51:60] + reply[60:69]
        good = hmac.new(key[1], message.encode("ascii", "replace"), hashlib.sha1).hexdigest().upper()
        if not hmac.compare_digest(good, signature.upper()):
            problems.append(("reply.signature", good, signature))
        if key[0] and reply[21:35] != key[0]:
            problems.append(("reply.vsc_id", key[0], reply[21:35]))
    # the journaled control data must be the reply's
    for name, expected, actual in (
        ("fdm.fdm_id", reply[10:21], fdm_id),
        ("fdm.event_label", reply[49:51], fdm.get("event_label")),
        ("fdm.event_counter", str(int(reply[51:60] or "0")), str(fdm.get("event_counter"))),
        ("fdm.total_counter", str(int(reply[60:69] or "0")), str(fdm.get("total_counter"))),
        ("fdm.signature", signature, fdm.get("signature")),
    ):
        if str(expected) != str(actual):
            problems.append((name, str(expected), str(actual)))
    if reply[4] == "2":
        problems.append(("reply.error", "level 0 or 1", reply[4:10]))
    # the request must carry the event
    try:
        lines = v1_lines(event)
        number = str(event.get("ticket_number"))[-6:]
        if request[43:49].strip() != number:
            problems.append(("event.ticket_number", request[43:49].strip(), number))
        if request[18:29] != event.get("employee_id"):
            problems.append(("event.employee_id", request[18:29], str(event.get("employee_id"))))
        label = v1_label(event, lines)
        if request[49:51] != label:
            problems.append(("event.kind", f"label {request[49:51]} signed", f"label {label}"))
        amounts = [cents_of(line["line_total"]) for line in lines]
        total = sum(amounts)
        if int(request[51:62]) != abs(total):
            problems.append(
                ("event.total", str(Decimal(int(request[51:62])).scaleb(-2)), str(Decimal(total).scaleb(-2)))
            )
        bases = {"A": 0, "B": 0, "C": 0, "D": 0}
        vats = {"A": 0, "B": 0, "C": 0, "D": 0}
        for line, amount in zip(lines, amounts, strict=True):
            letter = str(line["vat"])
            vat = vat_cents(amount, letter)
            bases[letter] = bases.get(letter, 0) + amount - vat
            vats[letter] = vats.get(letter, 0) + vat
        sent = [int(request[start : start + 11]) for start in (66, 81, 96, 111)]
        by_base = [abs(bases[letter]) for letter in "ABCD"]
        by_vat = [abs(vats[letter]) for letter in "ABCD"]
        if sent not in (by_base, by_vat):
            problems.append(("event.lines.vat", f"per-rate amounts {sent} signed", f"{by_base}"))
        plu = plu_sha1(lines)
        field_ = request[122:162]
        if field_.lower() != plu and field_ != " " * 32 + plu[-8:]:
            problems.append(("event.lines", f"PLU hash {field_.strip()} signed", f"PLU hash {plu}"))
        when = datetime.fromisoformat(str(event.get("pos_datetime")))
        if when.tzinfo is not None:
            when = when.astimezone(BRUSSELS)
        stamp = (
            f"{when.year:04d}{when.month:02d}{when.day:02d}{when.hour:02d}{when.minute:02d}{when.second:02d}"
        )
        if request[4:18] != stamp:
            problems.append(("event.pos_datetime", request[4:18], stamp))
    except (KeyError, TypeError, ValueError, DecimalException, AttributeError, OverflowError) as exc:
        problems.append(("event", "an event matching its H request", f"unreadable: {exc}"))
    return problems


# ------------------------------------------------------------------ SCE 2.0

_MUTATION = re.compile(r"\bsign([A-Z][A-Za-z]*)\s*\(")
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def strip_absent(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: strip_absent(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [strip_absent(item) for item in value]
    return value


def v2_message(
    data: Mapping[str, Any],
    operation: str,
    fdm_ref: Mapping[str, Any],
    *,
    exact: bool = True,
    absent: bool = True,
) -> bytes:
    """The bytes an SCE 2.0 FDM signs; ``exact=False`` writes them with the fast encoder (the same bytes
    for every value a sign request holds; a failed check is repeated with ``exact=True``);
    ``absent=False`` says ``data`` holds no null to leave out."""
    body = strip_absent(dict(data)) if absent else data if type(data) is dict else dict(data)
    ref = fdm_ref if type(fdm_ref) is dict else dict(fdm_ref)
    payload = {"data": body, "eventOperation": operation, "fdmRef": ref}
    return fastjson.exact_canonical(payload) if exact else fastjson.canonical(payload)


@functools.cache
def _ecdsa_tools() -> tuple[Callable[[int, int], bytes], Any, type[Exception]]:
    """DER encoding of r||s, the ECDSA-SHA256 algorithm and the failure exception (loaded once)."""
    from cryptography.exceptions import InvalidSignature  # noqa: PLC0415
    from cryptography.hazmat.primitives import hashes  # noqa: PLC0415
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature  # noqa: PLC0415

    return encode_dss_signature, ec.ECDSA(hashes.SHA256()), InvalidSignature


def _ecdsa_ok(key: ec.EllipticCurvePublicKey, message: bytes, signature: bytes) -> bool:
    if len(signature) != 64:
        return False
    encode, algorithm, invalid = _ecdsa_tools()
    der = encode(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
    try:
        key.verify(der, message, algorithm)
    except invalid:
        return False
    return True


def _exact_v2_parts(request_text: str, reply_text: str) -> tuple[Any, Any] | None:
    """``data`` of the request and ``fdmRef`` of the reply as the standard library reads them."""
    try:
        data = json.loads(request_text)["variables"]["data"]
        ref = next(iter(json.loads(reply_text)["data"].values()))["fdmRef"]
    except (KeyError, TypeError, ValueError, StopIteration, AttributeError, RecursionError):
        return None
    return data, ref


@dataclass(slots=True)
class SignatureCheck:
    """One SCE 2.0 signature to check, possibly later: a worker checks a block's signatures one after the
    other, which keeps the elliptic-curve code and tables in the processor's caches."""

    key: ec.EllipticCurvePublicKey
    message: bytes  # as the fast encoder wrote it
    signature: bytes
    signature_text: str
    request_text: str
    reply_text: str
    operation: str
    position: int  # where its problem goes among the record's problems
    table: p256.KeyTable | None = None  # the key's fast-check table, if any

    def problem(self) -> Problem | None:
        """The signature's problem, or None, by the reference check."""
        if _ecdsa_ok(self.key, self.message, self.signature):
            return None
        parts = _exact_v2_parts(self.request_text, self.reply_text)
        if parts is not None:
            data, ref = parts
            if _ecdsa_ok(self.key, v2_message(data, self.operation, ref), self.signature):
                return None
            # a report signed before drawersOpenCount existed: the FDM's default of 0
            defaults = _V2_DEFAULTS.get(self.operation)
            if (
                defaults
                and isinstance(data, dict)
                and isinstance(data.get(defaults), dict)
                and "drawersOpenCount" not in data[defaults]
            ):
                patched = {**data, defaults: {**data[defaults], "drawersOpenCount": 0}}
                if _ecdsa_ok(self.key, v2_message(patched, self.operation, ref), self.signature):
                    return None
        return ("reply.digitalSignature", "a valid ECDSA P-256 signature", self.signature_text[:24])


def signature_problems(checks: list[SignatureCheck]) -> list[Problem | None]:
    """``check.problem()`` of each check: the fast check first where the key has a table (the
    signatures' inverses taken all at once), the reference check for all the rest and for every no."""
    fast: list[tuple[int, SignatureCheck, int, int]] = []
    for index, check in enumerate(checks):
        signature = check.signature
        if check.table is not None and len(signature) == 64:
            r = int.from_bytes(signature[:32], "big")
            s = int.from_bytes(signature[32:], "big")
            if 0 < r < p256.N and 0 < s < p256.N:
                fast.append((index, check, r, s))
    ok = [False] * len(checks)
    for (index, check, r, _s), w in zip(fast, p256.inverses([item[3] for item in fast]), strict=True):
        assert check.table is not None
        ok[index] = check.table.verify(p256.message_number(check.message), r, w)
    return [None if ok[index] else check.problem() for index, check in enumerate(checks)]


def _money(value: Any) -> Decimal:
    return dec(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _signed_cents(value: Any) -> int:
    """A signed amount (a JSON number) in cents, half-up beyond two decimals: ``_money`` in cents."""
    if type(value) is float and -1e13 < value < 1e13:
        # the number read is the double nearest its decimal text; when that text has at most two
        # decimals, ``cents / 100`` is the very same double (checked exactly), else the text decides
        cents = round(value * 100)
        if cents / 100 == value:
            return cents
    if type(value) is float:
        text = repr(value)
        whole, dot, fraction = text.partition(".")
        digits = whole.lstrip("-")
        if dot and len(fraction) <= 2 and fraction.isdigit() and digits.isdigit():
            amount = int(digits) * 100 + int(fraction.ljust(2, "0"))
            return -amount if text.startswith("-") else amount
    elif type(value) is int:
        return value * 100
    return int(_money(value) * 100)


def exact_cents(value: Any) -> int | None:
    """A journaled amount (a decimal string) in cents, or None when it is not a whole number of cents."""
    if type(value) is str and len(value) > 3 and value[-3] == ".":
        digits = value[:-3] + value[-2:]
        body = digits[1:] if digits[0] == "-" else digits
        if body.isascii() and body.isdigit():
            return int(digits)
    if type(value) is str and CENTS_TEXT.fullmatch(value):
        return cents_of(value)
    amount = dec(value)
    if amount != amount.quantize(CENT):
        return None
    return int(amount * 100)


def _same_quantity(signed: Any, journaled: Any) -> bool:
    if type(signed) is float and type(journaled) is str and journaled.isascii() and journaled.isdigit():
        return signed == int(journaled)
    return dec(signed) == dec(journaled)


_FDM_FIELDS = ("fdm.fdm_id", "fdm.event_label", "fdm.event_counter", "fdm.total_counter", "fdm.signature")


def _has_null(request_text: str) -> bool:
    """Whether a null may occur in the request's variables: looked for from the first ``"variables"`` of
    the text on, which holds them wherever the member stands (the query before it is left out)."""
    return "null" in request_text[max(0, request_text.find('"variables"')) :]


@functools.lru_cache(maxsize=256)
def _operation(query: str) -> str:
    """The sign mutation a GraphQL query runs, as an event operation (``signSale`` -> ``SALE``)."""
    found = _MUTATION.search(query)
    return _CAMEL.sub("_", found.group(1)).upper() if found else ""


def check_v2(
    record: Mapping[str, Any], ring: KeyRing, later: list[SignatureCheck] | None = None
) -> list[Problem]:
    """The problems of an SCE 2.0 record; its signature is checked now, or appended to ``later``."""
    fdm = record["fdm"]
    event = record.get("event")
    if not isinstance(event, dict):
        event = {}  # the record's own finding
    try:
        request_text = str(record["request"])
        request = fastjson.loads(request_text)
        reply = fastjson.loads(record["reply"])
        result = next(iter(reply["data"].values()))
        variables = request["variables"]
        data = variables["data"]
        ref = result["fdmRef"]
        operation = _operation(str(request["query"]))
        for name, part in (("SignResult", result), ("variables", variables), ("data", data), ("fdmRef", ref)):
            if not isinstance(part, dict):
                raise TypeError(f"{name} is no object")
    except (KeyError, TypeError, ValueError, StopIteration, AttributeError, RecursionError) as exc:
        return [("request", "a GraphQL sign request and its SignResult", f"unreadable: {exc}")]
    problems: list[Problem] = []
    if operation != result.get("eventOperation") or operation != event.get("kind"):
        problems.append(("event.kind", f"{operation} (signed)", str(event.get("kind"))))
    fdm_id = str(fdm.get("fdm_id"))
    key = ring.v2.get(fdm_id)
    signature_text = str(result.get("digitalSignature", ""))
    try:
        # what ``base64.b64decode(..., validate=True)`` does, without its argument handling
        signature = binascii.a2b_base64(signature_text, strict_mode=True)
    except ValueError:
        signature = b""
    if key is None:
        problems.append(("fdm.fdm_id", "an FDM listed in keys.json", fdm_id))
    else:
        check = SignatureCheck(
            key,
            v2_message(data, operation, ref, exact=False, absent=_has_null(request_text)),
            signature,
            signature_text,
            request_text,
            str(record["reply"]),
            operation,
            len(problems),
            ring.table(fdm_id) if later is not None else None,
        )
        if later is not None:
            later.append(check)
        elif (problem := check.problem()) is not None:
            problems.append(problem)
    short = str(result.get("shortSignature") or "")
    if short and short != hashlib.sha1(signature).hexdigest().upper():
        problems.append(("reply.shortSignature", hashlib.sha1(signature).hexdigest().upper(), short))
    pairs = (
        (ref.get("fdmId"), fdm_id),
        (ref.get("eventLabel"), fdm.get("event_label")),
        (ref.get("eventCounter"), fdm.get("event_counter")),
        (ref.get("totalCounter"), fdm.get("total_counter")),
        (signature_text, fdm.get("signature")),
    )
    for name, (expected, actual) in zip(_FDM_FIELDS, pairs, strict=True):
        if type(actual) is type(expected) and type(expected) in (str, int) and expected == actual:
            continue
        if str(expected) != str(actual):
            problems.append((name, str(expected), str(actual)))
    try:
        if data.get("posFiscalTicketNo") != event.get("ticket_number"):
            problems.append(
                ("event.ticket_number", str(data.get("posFiscalTicketNo")), str(event.get("ticket_number")))
            )
        if data.get("employeeId") != event.get("employee_id"):
            problems.append(("event.employee_id", str(data.get("employeeId")), str(event.get("employee_id"))))
        if bool(variables.get("isTraining")) != bool(event.get("training")):
            problems.append(("event.training", str(variables.get("isTraining")), str(event.get("training"))))
        transaction = data.get("transaction")
        if isinstance(transaction, dict):
            signed_total = transaction.get("transactionTotal", 0)
            if _signed_cents(signed_total) != exact_cents(event.get("total", "0")):
                problems.append(("event.total", str(_money(signed_total)), str(event.get("total"))))
            signed_lines = transaction.get("transactionLines") or []
            lines = event.get("lines") or []
            if len(signed_lines) != len(lines):
                problems.append(("event.lines", f"{len(signed_lines)} lines signed", f"{len(lines)} lines"))
            for index, (signed, line) in enumerate(zip(signed_lines, lines, strict=False)):
                product = signed.get("mainProduct") or {}
                vats = product.get("vats") or []
                letters = vats[0].get("label") if len(vats) == 1 else None
                if type(letters) is not str:
                    letters = "".join(str(v.get("label")) for v in vats)
                if letters != line.get("vat"):
                    problems.append((f"event.lines[{index}].vat", letters, str(line.get("vat"))))
                if _signed_cents(signed.get("lineTotal", 0)) != exact_cents(line.get("line_total", "0")):
                    problems.append(
                        (
                            f"event.lines[{index}].line_total",
                            str(_money(signed["lineTotal"])),
                            str(line["line_total"]),
                        )
                    )
                if not _same_quantity(product.get("quantity", 0), line.get("quantity", "0")):
                    problems.append(
                        (
                            f"event.lines[{index}].quantity",
                            str(product.get("quantity")),
                            str(line.get("quantity")),
                        )
                    )
        financials = data.get("financials")
        if isinstance(financials, list) and event.get("kind") in ("SALE", "PAYMENT_CORRECTION", "PRE_BILL"):
            payments = event.get("payments") or []
            signed_cents = [_signed_cents(f.get("amount", 0)) for f in financials]
            if signed_cents != [exact_cents(p.get("amount", "0")) for p in payments]:
                signed_amounts = [str(_money(f.get("amount", 0))) for f in financials]
                amounts = [str(dec(p.get("amount", "0"))) for p in payments]
                problems.append(("event.payments", ",".join(signed_amounts), ",".join(amounts)))
    except (KeyError, TypeError, ValueError, DecimalException, AttributeError, OverflowError) as exc:
        problems.append(("event", "an event matching its sign request", f"unreadable: {exc}"))
    return problems
