"""The streaming verifier: one pass over ``events.jsonl`` in bounded memory, optionally on several cores.

Per-record work (JSON parsing, record hash, FDM signature and its binding to the event) is independent and
runs in worker processes on chunks of lines; the sequential checks (chain, numbering, counters, time,
report figures, order chains, sub-journal and Z files) run in the main process on small per-series state.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import json
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import DecimalException
from pathlib import Path
from typing import Any, BinaryIO

from sce.journal.format import CONFIG_FORMAT, GENESIS, JOURNAL_FORMAT, RECORD_TYPES, record_hash
from sce.verifier import fastjson
from sce.verifier.figures import REPORT_KINDS, PeriodFigures, compare, money
from sce.verifier.findings import Finding
from sce.verifier.signatures import (
    V1_SIGNED,
    KeyRing,
    SignatureCheck,
    cents_of,
    check_v1,
    check_v2,
    dec,
    exact_cents,
    signature_problems,
)

EVENTS = "events.jsonl"
CONFIG = "config.jsonl"
INVOICES = "invoices.jsonl"
MANIFEST = "manifest.json"
KEYS = "keys.json"
ZDIR = "z-reports"
EXPORT_FORMAT = "sce-export/1"
BLOCK = 2 << 20
#: How far a number may arrive out of order (terminals numbering in parallel) before a gap is declared.
WINDOW = 256
MAX_OPEN_PERIODS = 64
#: What the sequential checks need of a record, as a plain tuple (cheap to build, send and read):
#: seq, prev, hash, recorded_at, type, period_id, event part, FDM part, pos.order_id, pos.report,
#: the orders a cost-centre change moves to, SHA-256 of the line (INVOICE and Z reports only).
#: The event part: kind, ticket_number, training, cost_center, invoice_number, report_number (line and
#: payment figures are counted in the workers); the FDM part: generation, fdm_id, fdm_datetime,
#: event_label, event_counter, total_counter.
SLIM_FIELDS = (
    "seq",
    "prev",
    "hash",
    "recorded_at",
    "type",
    "period_id",
    "event",
    "fdm",
    "order_id",
    "report",
    "transfer_to",
    "line_sha",
)
Part = tuple[Any, ...] | None
Slim = tuple[Any, Any, Any, Any, Any, Any, Part, Part, Any, Any, list[str], str | None]


def is_compiled() -> bool:
    """Whether this module runs compiled (the wheel built with ``SCE_COMPILE=1``, hatch_build.py)."""
    return not __file__.endswith(".py")


def z_file_name(number: int, kind: str) -> str:
    """``z-reports/`` file of a Z report: ``z-000012-turnover.json`` / ``z-000012-user.json``."""
    return f"z-{number:06d}-{'turnover' if kind == 'REPORT_TURNOVER_Z' else 'user'}.json"


# ------------------------------------------------------------------ per-record analysis (workers)

_RING: KeyRing | None = None


def _init_worker(keys_path: str, key_tables: bool = True) -> None:
    global _RING
    _RING = KeyRing.load(Path(keys_path))
    _RING.fast = key_tables
    # what is loaded now lives as long as the worker: the cycle collector need not look at it again
    gc.freeze()


_Z_KINDS = frozenset({"REPORT_TURNOVER_Z", "REPORT_USER_Z"})
#: A record's findings, what the sequential checks need of it, and the report figures counted over the
#: events before it (on Z reports only).
Item = tuple[list[Finding], Slim | None, dict[str, PeriodFigures] | None]
#: A block's results, the report figures counted over its events after its last Z report, its lines.
BlockResult = tuple[list[Item], dict[str, PeriodFigures], int]


def _targets(record: dict[str, Any], event: Any, pos: dict[str, Any]) -> list[str]:
    """Orders a cost-centre change moves to (any of the three places a writer may name them)."""
    transfer_to: list[str] = []
    details = event.get("details") if isinstance(event, dict) else None
    if isinstance(details, dict):
        targets = details["transfer"].get("to") if isinstance(details.get("transfer"), dict) else None
        for target in targets if isinstance(targets, list) else []:
            centre = (
                (target.get("costCenter") or target.get("cost_center")) if isinstance(target, dict) else None
            )
            if isinstance(centre, dict) and centre.get("reference"):
                transfer_to.append(str(centre["reference"]))
        if isinstance(details.get("target_cost_center"), dict):
            reference = details["target_cost_center"].get("reference")
            if reference:
                transfer_to.append(str(reference))
    if pos.get("target_order_id"):
        transfer_to.append(str(pos["target_order_id"]))
    return transfer_to


_SHA_KINDS = frozenset({"INVOICE", "REPORT_TURNOVER_Z", "REPORT_USER_Z"})
_HUGE = 10**100


def _sized(value: Any) -> Any:
    """A number the sequential checks count with, or a text naming an integer too long to count with
    (its successor could have more digits than Python writes out)."""
    if type(value) is int and not -_HUGE < value < _HUGE:
        return f"an integer of about {value.bit_length() * 30103 // 100000 + 1} digits"
    return value


def _slim(record: dict[str, Any], raw: bytes | memoryview) -> Slim:
    """What the sequential checks need of a record (a small tuple to send between processes)."""
    event = record.get("event")
    if not isinstance(event, dict):
        event = None
    pos_value = record.get("pos")
    pos: dict[str, Any] = pos_value if isinstance(pos_value, dict) else {}
    fdm = record.get("fdm")
    get = record.get
    return (
        _sized(get("seq")),
        get("prev"),
        get("hash"),
        get("recorded_at"),
        get("type"),
        get("period_id"),
        None
        if event is None
        else (
            event.get("kind"),
            _sized(event.get("ticket_number")),
            event.get("training"),
            event.get("cost_center"),
            _sized(event.get("invoice_number")),
            _sized(event.get("report_number")),
        ),
        (
            fdm.get("generation"),
            fdm.get("fdm_id"),
            fdm.get("fdm_datetime"),
            fdm.get("event_label"),
            _sized(fdm.get("event_counter")),
            _sized(fdm.get("total_counter")),
        )
        if isinstance(fdm, dict)
        else None,
        pos.get("order_id"),
        pos.get("report"),
        _targets(record, event, pos),
        hashlib.sha256(bytes(raw).rstrip(b"\r\n")).hexdigest()
        if event is not None and event.get("kind") in _SHA_KINDS
        else None,
    )


Analysis = tuple[list[Finding], dict[str, Any] | None, list[int]]
#: A signature checked after the block: the record's findings, where its finding goes, seq and line.
Deferred = tuple[list[Finding], int, int | None, int, SignatureCheck]


def _analyse(
    raw: bytes | memoryview, line_no: int, ring: KeyRing, later: list[Deferred] | None = None
) -> Analysis:
    """Checks that need only this record: format, hash, signature, event consistency; returns the
    findings, the record (None when unreadable) and its lines' amounts in cents (when readable).
    With ``later``, an SCE 2.0 signature is left there to be checked with the rest of the block."""
    found: list[Finding] = []
    amounts: list[int] = []
    try:
        record = fastjson.loads(raw)
        if not isinstance(record, dict):
            raise ValueError("not a JSON object")
    except (ValueError, RecursionError) as exc:
        text = f"{exc}: {bytes(raw[:60]).decode('utf-8', 'replace')!r}"
        found.append(Finding("json", EVENTS, None, "record", "one complete JSON object", text, line_no))
        return found, None, amounts
    seq = record.get("seq") if isinstance(record.get("seq"), int) else None

    def add(check: str, name: str, expected: str, actual: str) -> None:
        found.append(Finding(check, EVENTS, seq, name, expected, actual, line_no))

    if record.get("format") != JOURNAL_FORMAT:
        add("format", "format", JOURNAL_FORMAT, str(record.get("format")))
    claimed = record.get("hash")
    fast = hashlib.sha256(fastjson.canonical({k: v for k, v in record.items() if k != "hash"})).hexdigest()
    if fast != claimed:
        # the format's own reading and writing decide: the standard library's
        record = json.loads(bytes(raw))
        digest = record_hash(record)
        if digest != claimed:
            add("hash", "hash", digest, str(claimed))
    kind_of_record = record.get("type")
    if kind_of_record not in RECORD_TYPES:
        add("format", "type", "/".join(RECORD_TYPES), str(kind_of_record))
    event = record.get("event")
    if kind_of_record in ("event", "refused", "void") and not isinstance(event, dict):
        add("format", "event", "an event object", repr(event)[:40])
        event = None
    if isinstance(event, dict) and not isinstance(event.get("kind"), str | None):
        # read as text from here on (a kind of another type would name no known event)
        add("format", "event.kind", "an event kind (text)", repr(event["kind"])[:40])
        event["kind"] = str(event["kind"])
    if isinstance(event, dict):
        try:
            lines = event.get("lines") or []
            amounts = [cents_of(line["line_total"]) for line in lines]
            if cents_of(event.get("total", "0")) != sum(amounts):
                add(
                    "event",
                    "event.total",
                    f"{money(sum(amounts))} (sum of line_total)",
                    str(event.get("total")),
                )
            for index, (line, amount) in enumerate(zip(lines, amounts, strict=True)):
                if line.get("vat") not in _LETTERS:
                    add("event", f"event.lines[{index}].vat", "A, B, C, D or X", str(line.get("vat")))
                if line.get("neg_reason") in ("", None):
                    quantity = line["quantity"]
                    price = line["unit_price"]
                    unit = exact_cents(price)
                    if (
                        unit is not None
                        and type(quantity) is str
                        and quantity.isascii()
                        and quantity.lstrip("-").isdigit()
                    ):
                        product = unit * int(quantity)
                    else:
                        product = cents_of(dec(line["unit_price"]) * dec(quantity))
                    if product != amount:
                        add(
                            "event",
                            f"event.lines[{index}].line_total",
                            money(product),
                            str(line["line_total"]),
                        )
        except (KeyError, TypeError, ValueError, DecimalException, OverflowError) as exc:
            add("event", "event.lines", "decimal strings", f"unreadable: {exc}")
            amounts = []
    fdm = record.get("fdm")
    if kind_of_record == "event" and isinstance(fdm, dict):
        generation = fdm.get("generation")
        checks: list[SignatureCheck] | None = None if later is None else []
        problems = (
            check_v1(record, ring)
            if generation == 1
            else check_v2(record, ring, checks)
            if generation == 2
            else [("fdm.generation", "1 or 2", str(generation))]
        )
        if checks and later is not None:
            later.append((found, len(found) + checks[0].position, seq, line_no, checks[0]))
        for name, expected, actual in problems:
            add("signature", name, expected, actual)
    return found, record, amounts


_LETTERS = ("A", "B", "C", "D", "X")
_BRACE = ord("{")


def analyse_line(raw: bytes, line_no: int, ring: KeyRing) -> tuple[list[Finding], Slim | None]:
    """Checks that need only this record: format, hash, signature, event consistency."""
    found, record, _amounts = _analyse(raw, line_no, ring)
    return found, None if record is None else _slim(record, raw)


def _count(partials: dict[str, PeriodFigures], record: dict[str, Any], amounts: list[int]) -> None:
    """Add an event to the report figures of its period (counted here, merged in order by the caller)."""
    period_id = str(record.get("period_id") or "")
    figures = partials.get(period_id)
    if figures is None:
        figures = partials[period_id] = PeriodFigures()
    seq = record.get("seq")
    event = record["event"]
    lines = event.get("lines")
    fdm = record.get("fdm")
    pos = record.get("pos")
    # as the sequential checks see the record: an FDM or POS part that is no object counts as absent
    view = {
        "event": event,
        "fdm": fdm if isinstance(fdm, dict) else None,
        "pos": pos if isinstance(pos, dict) else {},
    }
    try:  # noqa: SIM105 (a context manager costs more than the addition itself)
        figures.add(
            seq if isinstance(seq, int) else 0,
            view,
            amounts if isinstance(lines, list) and len(amounts) == len(lines) else None,
        )
    except (KeyError, TypeError, ValueError, DecimalException, AttributeError, OverflowError):
        pass  # an unreadable event is a finding of its own; it adds nothing to the figures


def _analyse_block(block: bytes, ring: KeyRing) -> BlockResult:
    """Each line analysed (line numbers from 1 in the block); report figures counted per period and
    handed over before each Z report."""
    out: list[Item] = []
    partials: dict[str, PeriodFigures] = {}
    later: list[Deferred] = []
    # the lines as views of the block (no copies), numbered as ``block.split(b"\n")`` would give them
    view = memoryview(block)
    find = block.find
    size = len(block)
    start = 0
    i = 0
    while start <= size:
        end = find(b"\n", start)
        if end < 0:
            end = size
        i += 1
        raw = view[start:end]
        start = end + 1
        if not raw or (raw[0] != _BRACE and not bytes(raw).strip()):
            continue
        found, record, amounts = _analyse(raw, i, ring, later)
        if record is None:
            out.append((found, None, None))
            continue
        event = record.get("event")
        kind = event.get("kind") if isinstance(event, dict) else None
        counted = record.get("type") == "event" and isinstance(event, dict)
        if counted and kind not in REPORT_KINDS:
            _count(partials, record, amounts)
        before: dict[str, PeriodFigures] | None = None
        if counted and kind in _Z_KINDS and partials:
            before, partials = partials, {}
        out.append((found, _slim(record, raw), before))
    problems = signature_problems([item[4] for item in later])
    for (found, index, seq, line_no, _check), problem in zip(later, problems, strict=True):
        if problem is not None:
            found.insert(index, Finding("signature", EVENTS, seq, *problem, line_no))
    return out, partials, i


def _numbered(result: BlockResult, first_line: int) -> BlockResult:
    """``result`` with the line numbers of its findings counted from ``first_line``."""
    if first_line != 1:
        for found, _item, _figures in result[0]:
            for index, finding in enumerate(found):
                if finding.line is not None:
                    found[index] = dataclasses.replace(finding, line=finding.line + first_line - 1)
    return result


def _analyse_range(path: str, offset: int, length: int) -> BlockResult:
    """Worker: read ``length`` bytes at ``offset`` (whole lines) and analyse them."""
    assert _RING is not None
    with open(path, "rb") as handle:
        handle.seek(offset)
        block = handle.read(length)
    # a block's records make no reference cycles; the collector runs again after the block
    gc.disable()
    try:
        return _analyse_block(block, _RING)
    finally:
        gc.enable()


def _blocks(handle: BinaryIO, size: int | None = None) -> Iterator[tuple[int, memoryview]]:
    """Blocks of whole lines with their offsets (the last one may end without a newline)."""
    size = size or BLOCK
    want = size
    offset = 0
    while True:
        handle.seek(offset)
        data = handle.read(want)
        if not data:
            return
        cut = data.rfind(b"\n") + 1
        if len(data) < want:
            cut = len(data)  # the end of the file
        elif cut == 0:
            want *= 2  # one line longer than a block
            continue
        yield offset, memoryview(data)[:cut]
        offset += cut
        want = size


def _content(block: memoryview) -> int:
    """The length of ``block`` without its trailing newlines."""
    length = len(block)
    while length and block[length - 1] == 10:
        length -= 1
    return length


# ------------------------------------------------------------------ sequential state (main process)


@dataclass(slots=True)
class Series:
    """A continuous number series checked in bounded memory (numbers may come slightly out of order)."""

    name: str
    file: str = EVENTS
    expected: int | None = None
    pending: dict[int, int] = field(default_factory=dict)  # number -> seq
    last_seq: int | None = None

    def see(self, number: int, seq: int | None, out: list[Finding]) -> None:
        if number == self.expected and not self.pending:
            self.expected = number + 1
            self.last_seq = seq if seq is not None else -1
            return
        if self.expected is None:
            self.expected = number
        if number < self.expected or number in self.pending:
            out.append(
                Finding(
                    "numbering",
                    self.file,
                    seq,
                    self.name,
                    f"a new number (next {self.expected})",
                    f"{number} used again",
                )
            )
            return
        self.pending[number] = seq if seq is not None else -1
        self._drain(out, force=len(self.pending) > WINDOW)

    def _drain(self, out: list[Finding], *, force: bool) -> None:
        assert self.expected is not None
        while self.pending:
            if self.expected in self.pending:
                self.last_seq = self.pending.pop(self.expected)
                self.expected += 1
                continue
            if not force:
                return
            lowest = min(self.pending)
            seq = self.pending[lowest]
            missing = f"{self.expected}" if lowest == self.expected + 1 else f"{self.expected}..{lowest - 1}"
            out.append(
                Finding(
                    "numbering",
                    self.file,
                    seq if seq >= 0 else None,
                    self.name,
                    f"{self.expected} (no gap)",
                    f"{lowest}; missing {missing}",
                )
            )
            self.expected = lowest
            force = len(self.pending) > WINDOW

    def finish(self, out: list[Finding]) -> None:
        if self.expected is not None:
            self._drain(out, force=True)


@dataclass(slots=True)
class OrderState:
    first_seq: int
    last_seq: int
    aliases: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Summary:
    ok: bool = True
    findings: int = 0
    events: int = 0
    config_records: int = 0
    z_reports: int = 0
    signatures: int = 0
    bytes: int = 0
    seconds: float = 0.0
    by_check: dict[str, int] = field(default_factory=dict)
    first: list[Finding] = field(default_factory=list)
    key_tables: bool | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "summary": True,
            "ok": self.ok,
            "findings": self.findings,
            "by_check": dict(sorted(self.by_check.items())),
            "events": self.events,
            "config_records": self.config_records,
            "z_reports": self.z_reports,
            "signatures_checked": self.signatures,
            "bytes": self.bytes,
            "seconds": round(self.seconds, 3),
            "events_per_second": round(self.events / self.seconds) if self.seconds else None,
            "compiled": is_compiled(),
            "ecdsa_key_tables": self.key_tables,
        }


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _when(text: Any, *, local: bool = False) -> datetime | None:
    """An RFC 3339 time, which names its UTC offset (None for anything else); ``local`` also takes a
    time without offset (an SCE 1.0 FDM's clock)."""
    try:
        at = datetime.fromisoformat(text if type(text) is str else str(text))
    except (ValueError, OverflowError):
        return None
    return at if local or at.tzinfo is not None else None


def _earlier(at: datetime, latest: datetime, tolerance: timedelta) -> bool:
    """Whether ``at`` is more than ``tolerance`` before ``latest``."""
    try:
        return at < latest - tolerance
    except OverflowError:  # ``latest`` within the tolerance of the first representable time
        return False


class Verifier:
    """Checks one export directory."""

    def __init__(
        self,
        root: Path,
        *,
        jobs: int | None = None,
        tolerance: timedelta = timedelta(minutes=5),
        on_finding: Callable[[Finding], None] | None = None,
        progress: Callable[[int, float], None] | None = None,
        keep: int = 1000,
        key_tables: bool = True,
    ) -> None:
        self.root = Path(root)
        self.jobs = jobs
        self.tolerance = tolerance
        self.on_finding = on_finding
        self.progress = progress
        self.keep = keep
        self.summary = Summary()
        self.ring = KeyRing.load(self.root / KEYS)
        self.ring.fast = key_tables
        # whether every SCE 2.0 key got its table for the fast check (None: no SCE 2.0 key)
        self.summary.key_tables = (
            all(self.ring.table(fdm_id) is not None for fdm_id in self.ring.v2) if self.ring.v2 else None
        )
        self.manifest: dict[str, Any] = {}
        # sequential state
        self.last_seq: int | None = None
        self.last_hash = GENESIS
        self.max_recorded: datetime | None = None
        self.recorded_floor: datetime | None = None  # the latest time less the tolerance
        self.tickets = Series("event.ticket_number")
        self.invoice_numbers = Series("event.invoice_number")
        self.z_numbers = {
            k: Series(f"event.report_number ({k})") for k in ("REPORT_TURNOVER_Z", "REPORT_USER_Z")
        }
        self.counters: dict[tuple[str, str], Series] = {}
        self.fdm_times: dict[str, datetime] = {}
        self.generation: int | None = (
            next(iter(self.ring.generations)) if len(self.ring.generations) == 1 else None
        )
        self.periods: dict[str, PeriodFigures] = {}
        self.partial_periods: set[str] = set()
        self.orders: dict[str, OrderState] = {}
        self.waiting: dict[str, list[tuple[str, OrderState]]] = {}
        self.aliases: dict[str, str] = {}
        self.last_z_seq = 0
        self.z_files: set[str] = set()
        self.invoice_handle: BinaryIO | None = None
        self.invoice_count = 0

    # ----- findings

    def report(self, finding: Finding) -> None:
        summary = self.summary
        summary.ok = False
        summary.findings += 1
        summary.by_check[finding.check] = summary.by_check.get(finding.check, 0) + 1
        if len(summary.first) < self.keep:
            summary.first.append(finding)
        if self.on_finding is not None:
            self.on_finding(finding)

    def find(self, check: str, file: str, seq: int | None, name: str, expected: Any, actual: Any) -> None:
        self.report(Finding(check, file, seq, name, str(expected), str(actual)))

    # ----- the run

    def run(self) -> Summary:
        started = time.perf_counter()
        self._read_manifest()
        for problem in self.ring.problems:
            self.find("keys", KEYS, None, "keys", "readable verification data", problem)
        self._verify_config()
        self._verify_events()
        self._check_files()
        self.summary.seconds = time.perf_counter() - started
        return self.summary

    def _read_manifest(self) -> None:
        path = self.root / MANIFEST
        try:
            self.manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            self.find("manifest", MANIFEST, None, "manifest", "a readable manifest.json", exc)
            self.manifest = {}
            return
        if self.manifest.get("format") != EXPORT_FORMAT:
            self.find("manifest", MANIFEST, None, "format", EXPORT_FORMAT, self.manifest.get("format"))
        events = self.manifest.get("events") or {}
        first_prev = events.get("first_prev")
        if isinstance(first_prev, str) and first_prev != GENESIS and isinstance(events.get("first_seq"), int):
            # a ranged export starts inside the chain
            self.last_seq = int(events["first_seq"]) - 1
            self.last_hash = first_prev

    def _manifest_file(self, name: str) -> dict[str, Any] | None:
        files = self.manifest.get("files") or {}
        entry = files.get(name)
        return entry if isinstance(entry, dict) else None

    def _check_hash(self, name: str, actual: str, records: int | None) -> None:
        entry = self._manifest_file(name)
        if entry is None:
            if self.manifest:
                self.find("manifest", MANIFEST, None, f"files.{name}", "listed", "absent")
            return
        if entry.get("sha256") != actual:
            self.find("manifest", name, None, "sha256", entry.get("sha256"), actual)
        if records is not None and "records" in entry and entry["records"] != records:
            self.find("manifest", name, None, "records", entry["records"], records)

    def _check_files(self) -> None:
        listed = set((self.manifest.get("files") or {}).keys())
        present: set[str] = set()
        for path in sorted(self.root.rglob("*")):
            if path.is_file():
                present.add(path.relative_to(self.root).as_posix())
        for name in sorted(listed - present):
            if name not in (EVENTS, CONFIG):
                self.find("manifest", name, None, "file", "present", "missing")
        for name in sorted(present - listed - {MANIFEST}):
            if self.manifest:
                self.find("manifest", name, None, "file", "not present (not in the manifest)", "present")
        for name in sorted(listed & present):
            if name in (EVENTS, CONFIG, MANIFEST):
                continue
            records = None
            if name == INVOICES:
                records = self.invoice_count
            self._check_hash(name, _sha256_file(self.root / name), records)
        zdir = self.root / ZDIR
        if zdir.is_dir():
            for path in sorted(zdir.iterdir()):
                if path.name not in self.z_files:
                    self.find(
                        "z-report",
                        f"{ZDIR}/{path.name}",
                        None,
                        "file",
                        "a Z report of events.jsonl",
                        "no such Z report in the journal",
                    )

    # ----- configuration log

    def _verify_config(self) -> None:
        path = self.root / CONFIG
        if not path.exists():
            self.find("manifest", CONFIG, None, "file", "present", "missing")
            return
        digest = hashlib.sha256()
        last_seq = 0
        last_hash = GENESIS
        last_at: datetime | None = None
        count = 0
        with open(path, "rb") as handle:
            for line_no, raw in enumerate(handle, 1):
                digest.update(raw)
                if not raw.strip():
                    continue
                try:
                    record = json.loads(raw)
                    assert isinstance(record, dict)
                except (ValueError, AssertionError) as exc:
                    self.report(
                        Finding(
                            "json",
                            CONFIG,
                            last_seq + 1,
                            "record",
                            "one complete JSON object",
                            str(exc),
                            line_no,
                        )
                    )
                    continue
                count += 1
                seq = record.get("seq") if isinstance(record.get("seq"), int) else None
                if record.get("format") != CONFIG_FORMAT:
                    self.find("format", CONFIG, seq, "format", CONFIG_FORMAT, record.get("format"))
                digest_ok = record_hash(record)
                if digest_ok != record.get("hash"):
                    self.find("hash", CONFIG, seq, "hash", digest_ok, record.get("hash"))
                if seq != last_seq + 1:
                    self.find("chain", CONFIG, seq, "seq", last_seq + 1, seq)
                if record.get("prev") != last_hash:
                    self.find("chain", CONFIG, seq, "prev", last_hash, record.get("prev"))
                at = _when(record.get("recorded_at"))
                if at is None:
                    self.find(
                        "time", CONFIG, seq, "recorded_at", "an RFC 3339 time", record.get("recorded_at")
                    )
                elif last_at is not None and _earlier(at, last_at, self.tolerance):
                    self.find("time", CONFIG, seq, "recorded_at", f">= {last_at.isoformat()}", at.isoformat())
                if at is not None and (last_at is None or at > last_at):
                    last_at = at
                last_seq = seq if seq is not None else last_seq + 1
                last_hash = str(record.get("hash"))
        self.summary.config_records = count
        self._check_hash(CONFIG, digest.hexdigest(), count)
        meta = self.manifest.get("config") or {}
        if meta and meta.get("head") not in (None, last_hash):
            self.find("manifest", CONFIG, last_seq, "head", meta.get("head"), last_hash)

    # ----- events

    def _results(self, handle: BinaryIO, digest: Any, counter: list[int]) -> Iterator[BlockResult]:
        """Each block's results in file order, line numbers made absolute."""
        path = self.root / EVENTS
        jobs = self.jobs
        if jobs is None:
            # two workers (about 40 MB each) beside the main process keep peak memory near 140 MB
            jobs = min(2, os.cpu_count() or 1) if path.stat().st_size > 64 << 20 else 0
        line_no = 1
        if jobs <= 0:
            for _offset, block in _blocks(handle):
                digest.update(block)
                counter[0] += len(block)
                length = _content(block)
                result = _analyse_block(bytes(block[:length]), self.ring)
                yield _numbered(result, line_no)
                line_no += result[2] - 1 + len(block) - length
            return
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            jobs,
            mp_context=context,
            initializer=_init_worker,
            initargs=(str(self.root / KEYS), self.ring.fast),
        ) as pool:
            pending: deque[tuple[Future[BlockResult], int]] = deque()
            blocks = _blocks(handle)
            exhausted = False
            while True:
                while not exhausted and len(pending) < jobs * 2:
                    item = next(blocks, None)
                    if item is None:
                        exhausted = True
                        break
                    offset, block = item
                    digest.update(block)
                    counter[0] += len(block)
                    length = _content(block)
                    pending.append(
                        (pool.submit(_analyse_range, str(path), offset, length), len(block) - length)
                    )
                if not pending:
                    return
                future, newlines = pending.popleft()
                result = future.result()
                yield _numbered(result, line_no)
                line_no += result[2] - 1 + newlines

    def _verify_events(self) -> None:
        path = self.root / EVENTS
        if not path.exists():
            self.find("manifest", EVENTS, None, "file", "present", "missing")
            return
        invoices = self.root / INVOICES
        self.invoice_handle = open(invoices, "rb") if invoices.exists() else None  # noqa: SIM115
        digest = hashlib.sha256()
        counter = [0]
        last_tick = time.perf_counter()
        started = last_tick
        count = 0
        try:
            with open(path, "rb") as handle:
                for items, later, _lines in self._results(handle, digest, counter):
                    count = self._block(items, count)
                    self._merge_figures(later)
                    if self.progress is not None:
                        now = time.perf_counter()
                        if now - last_tick >= 1.0:
                            last_tick = now
                            self.progress(count, now - started)
        finally:
            if self.invoice_handle is not None:
                extra = sum(1 for raw in self.invoice_handle if raw.strip())
                if extra:
                    self.find(
                        "invoices",
                        INVOICES,
                        None,
                        "records",
                        "only the INVOICE events of events.jsonl",
                        f"{extra} more lines",
                    )
                self.invoice_handle.close()
        self.summary.events = count
        self.summary.bytes = counter[0]
        self._finish_series()
        self._check_hash(EVENTS, digest.hexdigest(), count)
        meta = self.manifest.get("events") or {}
        if meta:
            if meta.get("last_seq") not in (None, self.last_seq):
                self.find(
                    "truncated",
                    EVENTS,
                    meta.get("last_seq"),
                    "seq",
                    f"records up to seq {meta.get('last_seq')}",
                    f"last record seq {self.last_seq}",
                )
            if meta.get("head") not in (None, self.last_hash):
                self.find("manifest", EVENTS, self.last_seq, "head", meta.get("head"), self.last_hash)

    def _block(self, items: list[Item], count: int) -> int:
        """The sequential checks over one block's records, in order; returns the records counted."""
        for found, slim, figures in items:
            for finding in found:
                self.report(finding)
            if slim is not None:
                count += 1
                if figures:
                    self._merge_figures(figures)
                self._sequential(slim, found)
            elif found and found[0].check == "json":
                expected = (self.last_seq or 0) + 1
                self.report(
                    Finding(
                        "truncated",
                        EVENTS,
                        expected,
                        "record",
                        f"record seq {expected}",
                        "an unreadable line",
                        found[0].line,
                    )
                )
        return count

    def _sequential(self, slim: Slim, found: list[Finding]) -> None:
        (
            seq_value,
            prev,
            record_hash_value,
            recorded_at,
            record_type,
            period_id,
            event,
            fdm,
            order_id,
            report,
            transfer_to,
            line_sha,
        ) = slim
        seq = seq_value if isinstance(seq_value, int) else None
        # chain
        expected_seq = (self.last_seq or 0) + 1
        if seq != expected_seq:
            self.find("chain", EVENTS, seq, "seq", expected_seq, seq)
        if prev != self.last_hash:
            self.find("chain", EVENTS, seq, "prev", self.last_hash, prev)
        self.last_seq = seq if seq is not None else expected_seq
        self.last_hash = str(record_hash_value)
        # time
        at = _when(recorded_at)
        if at is None:
            self.find("time", EVENTS, seq, "recorded_at", "an RFC 3339 time", recorded_at)
        else:
            if self.recorded_floor is not None and at < self.recorded_floor:
                assert self.max_recorded is not None
                self.find(
                    "time",
                    EVENTS,
                    seq,
                    "recorded_at",
                    f">= {self.max_recorded.isoformat()} - tolerance",
                    at.isoformat(),
                )
            if self.max_recorded is None or at > self.max_recorded:
                self.max_recorded = at
                try:
                    self.recorded_floor = at - self.tolerance
                except OverflowError:  # within the tolerance of the first representable time
                    self.recorded_floor = None
        if record_type not in ("event", "refused", "void") or event is None:
            return
        kind, ticket_number, training, centre, invoice_number, report_number = event
        found_list: list[Finding] = []
        try:
            self.tickets.see(int(ticket_number), seq, found_list)
        except (TypeError, ValueError, OverflowError):
            self.find("numbering", EVENTS, seq, "event.ticket_number", "an integer", ticket_number)
        for finding in found_list:
            self.report(finding)
        refs = [
            r if type(r) is str else str(r)
            for r in (centre.get("reference") if isinstance(centre, dict) else None, order_id)
            if r
        ]
        if record_type != "event":
            for ref in refs:
                self._close_order(ref)
            return
        self._fdm(fdm, seq, kind)
        out: list[Finding] = []
        if kind == "INVOICE" and not training:
            self._invoice_line(line_sha, seq)
            try:
                self.invoice_numbers.see(int(str(invoice_number)), seq, out)
            except ValueError:
                self.find(
                    "numbering",
                    EVENTS,
                    seq,
                    "event.invoice_number",
                    "a decimal string",
                    invoice_number,
                )
        if kind in self.z_numbers:
            try:
                number = int(report_number)
                self.z_numbers[kind].see(number, seq, out)
                self._z_file(line_sha, seq, number, kind)
            except (TypeError, ValueError, OverflowError):
                self.find("numbering", EVENTS, seq, "event.report_number", "an integer", report_number)
        for finding in out:
            self.report(finding)
        self._figures(period_id, report, report_number, seq, kind)
        if refs:
            self._order(refs, transfer_to, seq, kind)

    def _fdm(self, fdm: Part, seq: int | None, kind: Any) -> None:
        if fdm is None:
            known = self.generation
            needed = (known == 1 and kind in V1_SIGNED) or known == 2 or (known is None and kind == "SALE")
            if needed:
                signer = f"SCE {known}.0 FDMs sign {kind}" if known else "a VAT ticket"
                self.find("unsigned", EVENTS, seq, "fdm", f"an FDM signature ({signer})", "null")
            return
        self.summary.signatures += 1
        generation, fdm_id, fdm_datetime, label, event_counter, total_counter = fdm
        if generation in (1, 2):
            self.generation = int(generation)
        if type(fdm_id) is not str:
            fdm_id = str(fdm_id)
        out: list[Finding] = []
        self._counter(fdm_id, "total", total_counter, seq, out)
        self._counter(fdm_id, label if type(label) is str else str(label), event_counter, seq, out)
        for finding in out:
            self.report(
                Finding(
                    "counters", finding.file, finding.seq, finding.field, finding.expected, finding.actual
                )
            )
        at = _when(fdm_datetime, local=True)
        if at is not None:
            before = self.fdm_times.get(fdm_id)
            try:
                late = before is not None and at < before - self.tolerance
            except (TypeError, OverflowError):
                late = False
            if late:
                assert before is not None
                self.find(
                    "time",
                    EVENTS,
                    seq,
                    "fdm.fdm_datetime",
                    f">= {before.isoformat()} - tolerance",
                    at.isoformat(),
                )
            if before is None or (not late and at > before):
                self.fdm_times[fdm_id] = at

    def _counter(self, fdm_id: str, name: str, number: Any, seq: int | None, out: list[Finding]) -> None:
        """One FDM counter: the total counter (``name`` "total") or the counter of an event label."""
        series = self.counters.get((fdm_id, name))
        if series is None:
            label = "fdm.total_counter" if name == "total" else f"fdm.event_counter ({name})"
            series = self.counters[(fdm_id, name)] = Series(f"{label} of {fdm_id}")
        if type(number) is int:
            series.see(number, seq, out)
            return
        try:
            series.see(int(number), seq, out)
        except (TypeError, ValueError, OverflowError):
            self.find("counters", EVENTS, seq, series.name, "an integer", number)

    def _invoice_line(self, line_sha: str | None, seq: int | None) -> None:
        if self.invoice_handle is None:
            return
        raw = b""
        while not raw.strip():
            raw = self.invoice_handle.readline()
            if not raw:
                break
        if not raw:
            self.find("invoices", INVOICES, seq, "record", f"the INVOICE event seq {seq}", "end of file")
            return
        self.invoice_count += 1
        actual = hashlib.sha256(raw.rstrip(b"\r\n")).hexdigest()
        if actual != line_sha:
            self.find(
                "invoices",
                INVOICES,
                seq,
                "record",
                f"the line of events.jsonl seq {seq}",
                f"a different line (sha256 {actual[:16]}...)",
            )

    def _z_file(self, line_sha: str | None, seq: int | None, number: int, kind: str) -> None:
        name = z_file_name(number, kind)
        self.z_files.add(name)
        self.summary.z_reports += 1
        path = self.root / ZDIR / name
        try:
            content = path.read_bytes()
        except OSError:  # absent, or a name no file can have
            self.find("z-report", f"{ZDIR}/{name}", seq, "file", "present", "missing")
            return
        actual = hashlib.sha256(content.rstrip(b"\r\n")).hexdigest()
        if actual != line_sha:
            self.find(
                "z-report",
                f"{ZDIR}/{name}",
                seq,
                "content",
                f"the line of events.jsonl seq {seq}",
                f"different content (sha256 {actual[:16]}...)",
            )

    def _period(self, period_id: str) -> PeriodFigures:
        figures = self.periods.get(period_id)
        if figures is None:
            figures = self.periods[period_id] = PeriodFigures()
            while len(self.periods) > MAX_OPEN_PERIODS:
                # a period left open too long: its figures can no longer be complete
                evicted = next(iter(self.periods))
                self.periods.pop(evicted)
                if len(self.partial_periods) < 100_000:
                    self.partial_periods.add(evicted)
        return figures

    def _merge_figures(self, partials: dict[str, PeriodFigures]) -> None:
        """Figures the workers counted over consecutive events, in the order of their periods' first event."""
        for period_id, later in partials.items():
            self._period(period_id).merge(later)

    def _figures(self, period: Any, report: Any, number: Any, seq: int | None, kind: Any) -> None:
        period_id = str(period or "")
        figures = self._period(period_id)
        if kind not in _Z_KINDS:
            return  # the workers counted the other events
        if kind == "REPORT_TURNOVER_Z":
            self.last_z_seq = max(self.last_z_seq, seq or 0)
        if period_id in self.partial_periods:
            return
        if not isinstance(report, dict):
            self.find("report", EVENTS, seq, "pos.report", "the report figures", "absent")
            return
        expected: dict[str, Any] = {
            "kind": "turnover" if kind == "REPORT_TURNOVER_Z" else "user",
            "mode": "Z",
            "number": number,
            "period_id": period,
        }
        expected.update(figures.turnover() if kind == "REPORT_TURNOVER_Z" else figures.user_figures())
        if kind == "REPORT_USER_Z":
            expected.pop("first_seq", None)
        for name, want, got in compare(expected, report, "pos.report"):
            self.find("report", EVENTS, seq, name, want, got)
        figures.z_seen.add(str(kind))
        if len(figures.z_seen) == 2:
            self.periods.pop(period_id, None)

    def _key(self, ref: str) -> str:
        return self.aliases.get(ref, ref)

    def _open(self, refs: list[str], seq: int) -> tuple[str, OrderState]:
        """The order known under any of ``refs`` (created when new); every ref becomes an alias of it."""
        key = next((self._key(r) for r in refs if self._key(r) in self.orders), self._key(refs[0]))
        state = self.orders.get(key)
        if state is None:
            state = self.orders[key] = OrderState(seq, seq)
        for ref in refs:
            if ref != key and ref not in self.aliases:
                self.aliases[ref] = key
                state.aliases.append(ref)
        return key, state

    def _order(self, refs: list[str], transfer_to: list[str], seq: int | None, kind: Any) -> None:
        at = seq or 0
        if kind in ("ORDER", "PRE_BILL", "COST_CENTER_CHANGE"):
            key, state = self._open(refs, at)
            state.last_seq = at
            names = {key, *state.aliases}
            targets = [t for t in transfer_to if t not in names]
            if kind == "COST_CENTER_CHANGE" and targets:
                moved = self.orders.pop(key)
                for alias in moved.aliases:
                    self.aliases.pop(alias, None)
                target_key, _target = self._open(targets, at)
                self.waiting.setdefault(target_key, []).append((key, moved))
                self.waiting[target_key].extend(self.waiting.pop(key, []))
        elif kind == "SALE":
            for ref in refs:
                self._close_order(ref)

    def _close_order(self, ref: str) -> None:
        key = self.aliases.pop(ref, ref)
        state = self.orders.pop(key, None)
        if state is not None:
            for alias in state.aliases:
                self.aliases.pop(alias, None)
        self.waiting.pop(key, None)

    def _finish_series(self) -> None:
        out: list[Finding] = []
        self.tickets.finish(out)
        self.invoice_numbers.finish(out)
        for series in self.z_numbers.values():
            series.finish(out)
        for series in self.counters.values():
            before = len(out)
            series.finish(out)
            for index in range(before, len(out)):
                f = out[index]
                out[index] = Finding("counters", f.file, f.seq, f.field, f.expected, f.actual)
        for finding in out:
            self.report(finding)
        for ref, state in sorted(self.orders.items(), key=lambda item: item[1].first_seq):
            if state.last_seq < self.last_z_seq:
                self.find(
                    "orders",
                    EVENTS,
                    state.first_seq,
                    "event.cost_center.reference",
                    f"order {ref} ending in a SALE (or a documented exception) before the Z report "
                    f"seq {self.last_z_seq}",
                    "no SALE",
                )
            for source, moved in self.waiting.get(ref, []):
                if state.last_seq < self.last_z_seq:
                    self.find(
                        "orders",
                        EVENTS,
                        moved.first_seq,
                        "event.cost_center.reference",
                        f"order {source} moved to {ref}, which ends in a SALE",
                        "no SALE",
                    )


def verify_export(
    root: Path,
    *,
    jobs: int | None = None,
    tolerance_seconds: float = 300.0,
    on_finding: Callable[[Finding], None] | None = None,
    progress: Callable[[int, float], None] | None = None,
    key_tables: bool = True,
) -> Summary:
    """Verify the export in ``root``; ``Summary.ok`` is True only when every check holds.
    ``key_tables=False`` checks every SCE 2.0 signature with the reference alone (slower)."""
    return Verifier(
        root,
        jobs=jobs,
        tolerance=timedelta(seconds=tolerance_seconds),
        on_finding=on_finding,
        progress=progress,
        key_tables=key_tables,
    ).run()
