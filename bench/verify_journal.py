"""`sce journal verify` on a simulated year: events per second and peak memory, against a floor.

Run: ``.venv/bin/python bench/verify_journal.py [--quick] [--json] [--events N] [--jobs J] [--generation G]``.

* corpus (generated once, cached under the temp directory): a restaurant journal of ``--events``
  records (default 1 000 000; ``--quick``: 20 000) in the export layout, days of clock-in/out, counter
  sales, table orders ending in a sale and the two Z reports with their figures.
  ``--generation 1`` (default): the SCE 1.0 H requests are built by the real adapter and signed with a
  real VSC key (HMAC-SHA1, Decision (s)) as the emulator does, without the serial round trip (the fast
  signer path); the Z reports are not signed (SCE 1.0 does not sign them).
  ``--generation 2``: every event, Z reports included, is journaled as the POS journals an SCE 2.0
  exchange: the real adapter builds the request (``request_data``, the client's GraphQL body), the
  emulator's signing and VAT code answers it in this process (no HTTP, no durable log) with a real
  ECDSA P-256 key (Decisions (c), (d)), and the POS's codec writes ``fdm``, ``request`` and ``reply``;
  the first events, every 500th and every report go through the emulator's GraphQL engine and input
  rules, and must give the very bytes of the direct path;
* measured: ``verify_export`` in a fresh process with ``--jobs`` workers (default 2, the main
  process doing the sequential checks): every record's
  hash, chain, numbering, counters, signature and its binding to the event, times, Z figures, orders,
  files and manifest; peak memory = resident set of the main process + its workers;
* floor, same run: the least any verifier must do: read every line, parse its JSON and SHA-256 it.
Goal: at least 10 000 events/s on 2 cores and peak memory under 150 MB.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sce.journal.format import GENESIS, line_of, seal
from sce.verifier.figures import PeriodFigures

GOAL_EVENTS_PER_SECOND = 10_000
GOAL_PEAK_MB = 150
CORPUS_VERSION = 3
GENERATIONS = (1, 2)
BRUSSELS = ZoneInfo("Europe/Brussels")
FDM_ID = "RET02000123"
VSC_ID = "0887456321-002"
KEY = bytes.fromhex("0123456789abcdef0123456789abcdef01234567")
STAFF = ("85073003328", "75061189702", "90010100123")
# SCE 2.0: the emulator's FDM id, the demo site's identifiers (valid check digits) and a fixed key
FDM_V2_ID = "FOD01000001"
V2_KEY_SEED = b"sce bench verify_journal: the corpus FDM 2.0 key"
VAT_NO, EST_NO, POS_ID = "BE0477472701", "2000000042", "CSCE0010000001"
#: events signed through the emulator's GraphQL engine (the rest through the direct path it checks)
ENGINE_FIRST, ENGINE_EVERY = 2000, 500
MENU = (
    ("Dagsoep", "5.00", "B", "10", "Soups"),
    ("Steak frites", "24.50", "B", "20", "Mains"),
    ("Vol-au-vent", "19.00", "B", "20", "Mains"),
    ("Creme brulee", "7.50", "B", "30", "Desserts"),
    ("Pils 25cl", "3.20", "A", "40", "Drinks"),
    ("Huiswijn", "6.50", "A", "40", "Drinks"),
)


class CorpusFdm:
    """The emulator's FDM 2.0 in this process: what ``Fdm._sign_locked`` computes, without its durable
    log, upload thread or wall clock: counters per label, ``fdmRef``, the canonical message signed with
    ECDSA P-256 and the emulator's own ``sign_result`` (short signature, verification URL, ``vatCalc``).
    As an FDM whose FPS acknowledges every upload: no warnings, no first-boot footer or notices, the
    buffer holding only the event just signed. ``strict``: apply the emulator's input rules first."""

    def __init__(self) -> None:
        from cryptography.hazmat.primitives.asymmetric import ec  # noqa: PLC0415

        from sce.fiscal.v2.buffer import DEFAULT_CAPACITY, UploadBuffer  # noqa: PLC0415
        from sce.fiscal.v2.fdm import DEFAULT_VERIFY_BASE, sign_result  # noqa: PLC0415
        from sce.fiscal.v2.schema import SCHEMA  # noqa: PLC0415
        from sce.fiscal.v2.signing import Signer, canonical_message  # noqa: PLC0415
        from sce.fiscal.v2.validation import validate  # noqa: PLC0415

        secret = int.from_bytes(hashlib.sha256(V2_KEY_SEED).digest(), "big")
        self.signer = Signer(ec.derive_private_key(secret, ec.SECP256R1()))
        self.message, self.sign_result = canonical_message, sign_result
        self.schema, self.validate = SCHEMA, validate
        self.verify_base = DEFAULT_VERIFY_BASE
        self.buffer_used = UploadBuffer(DEFAULT_CAPACITY, 1).used_percent()
        self.counters: dict[str, int] = {}
        self.total = 0
        self.now = ""  # fdmDateTime of the next signature (set by the writer)
        self.strict = True
        self.last: tuple[dict[str, Any], dict[str, Any]] | None = None  # (data signed, result)

    def sign(self, operation: Any, data: dict[str, Any], training: bool, language: str) -> dict[str, Any]:
        if self.strict:
            self.validate(data, self.schema.type_map[operation.input_type])
        label = "T" if training else operation.label
        event_counter = self.counters.get(label, 0) + 1
        fdm_ref = {
            "fdmId": FDM_V2_ID,
            "fdmDateTime": self.now,
            "eventLabel": label,
            "eventCounter": event_counter,
            "totalCounter": self.total + 1,
        }
        signature = self.signer.sign(self.message(data, operation.event_operation, fdm_ref))
        result = self.sign_result(
            data,
            operation.event_operation,
            fdm_ref,
            signature,
            training=training,
            verification_base=self.verify_base,
            buffer_used=self.buffer_used,
            warnings=[],
            informations=[],
            footer=[],
        )
        self.counters[label] = event_counter
        self.total += 1
        self.last = (data, result)
        return result

    def status(self, language: str) -> dict[str, Any]:
        return {"initialized": True, "device": {"fdmId": FDM_V2_ID}, "errors": []}

    def device(self) -> dict[str, Any]:
        return {"id": FDM_V2_ID}


def in_process_client(fdm: CorpusFdm) -> Any:
    """The POS's GraphQL client (``FdmClient``: request body, decoding) with the HTTP round trip replaced
    by a call into ``fdm``: through the emulator's GraphQL engine when ``through_engine`` (parsing,
    validation, variable coercion, the resolver, the answer serialised as the emulator's HTTP layer does),
    else directly; an engine answer must equal what the direct path gives for the same event."""
    from graphql import execute_sync, parse  # noqa: PLC0415
    from graphql import validate as validate_document  # noqa: PLC0415

    from sce.fiscal.v2 import messages  # noqa: PLC0415
    from sce.fiscal.v2.client import Exchange, FdmClient  # noqa: PLC0415
    from sce.fiscal.v2.schema import BY_MUTATION, SCHEMA, RequestContext  # noqa: PLC0415
    from sce.fiscal.v2.signing import canonical_json, strip_absent  # noqa: PLC0415

    def answer(result: dict[str, Any]) -> str:
        return json.dumps({"data": {"signResult": result}}, ensure_ascii=False)  # the emulator's _json

    class InProcessClient(FdmClient):
        def __init__(self) -> None:
            super().__init__("http://fdm.invalid/graphql", retries=0)
            self.through_engine = True
            self.documents: dict[str, Any] = {}

        def post(self, body: bytes, language: str | None = None) -> Any:
            request = json.loads(body)
            variables = request["variables"]
            name = request["operationName"]
            if not self.through_engine:
                operation = BY_MUTATION[name[0].lower() + name[1:]]
                result = fdm.sign(operation, variables["data"], bool(variables["isTraining"]), "NL")
                return Exchange(body.decode("utf-8"), answer(result), {"signResult": result}, 1)
            document = self.documents.get(request["query"])
            if document is None:
                document = self.documents[request["query"]] = parse(request["query"])
                errors = validate_document(SCHEMA, document)
                if errors:
                    raise RuntimeError(f"the emulator rejects the client's document: {errors[0].message}")
            context = RequestContext(fdm, messages.language_of(language))
            done = execute_sync(
                SCHEMA, document, variable_values=variables, operation_name=name, context_value=context
            )
            if done.errors or done.data is None or fdm.last is None:
                error = done.errors[0] if done.errors else None
                cause = error.original_error.__cause__ if error and error.original_error else None
                raise RuntimeError(f"the FDM refused a corpus event: {error} {cause!r}")
            reply = json.dumps(done.formatted, ensure_ascii=False)
            signed, result = fdm.last
            if answer(result) != reply or canonical_json(strip_absent(signed)) != canonical_json(
                strip_absent(variables["data"])
            ):
                raise RuntimeError("the direct path would journal another exchange than the GraphQL engine")
            return Exchange(body.decode("utf-8"), reply, done.data, 1)

    return InProcessClient()


class Writer:
    """Seals records onto the chain and writes the export files."""

    def __init__(self, root: Path, generation: int = 1) -> None:
        from sce.fiscal.port import EventKind, FiscalEvent, FiscalLine  # noqa: PLC0415
        from sce.fiscal.v1.adapter import FdmV1Module, V1Settings  # noqa: PLC0415
        from sce.journal.codec import event_to_json, payment_from_json, receipt_to_json  # noqa: PLC0415

        self.kinds = EventKind
        self.event_type = FiscalEvent
        self.line_type = FiscalLine
        self.to_json = event_to_json
        self.receipt_to_json = receipt_to_json
        self.payment_from_json = payment_from_json
        self.generation = generation
        self.language = ""
        if generation == 1:
            self.module: Any = FdmV1Module(None, V1Settings("BODO0011A2B3C4"))  # type: ignore[arg-type]
        else:
            from sce.fiscal.v2.adapter import FdmV2Module, PosIdentity, fdm_datetime_text  # noqa: PLC0415

            self.fdm = CorpusFdm()
            self.client = in_process_client(self.fdm)
            # as sce.pos.fdm_setup pairs a terminal: device and terminal T1, the site's language
            self.module = FdmV2Module(self.client, PosIdentity(VAT_NO, EST_NO, POS_ID, "1.0.0", "T1", "T1"))
            self.fdm_time = fdm_datetime_text
            self.language = "NL"
        self.root = root
        (root / "z-reports").mkdir(parents=True, exist_ok=True)
        self.events = open(root / "events.jsonl", "w", encoding="utf-8")  # noqa: SIM115
        self.seq = 0
        self.prev = GENESIS
        self.ticket = 0
        self.counters: dict[str, int] = {}
        self.total = 0
        self.digest = hashlib.sha256()
        self.z_files: list[str] = []

    def append(self, body: dict[str, Any]) -> dict[str, Any]:
        self.seq += 1
        at = datetime(2026, 1, 1, tzinfo=BRUSSELS) + timedelta(microseconds=self.seq * 1000)
        sealed = seal(
            {"format": "sce-journal/1", "seq": self.seq, "recorded_at": at.isoformat(), **body}, self.prev
        )
        self.prev = sealed["hash"]
        text = line_of(sealed) + "\n"
        self.events.write(text)
        self.digest.update(text.encode("utf-8"))
        return sealed

    def event(
        self,
        kind: Any,
        when: datetime,
        employee: str,
        lines: tuple[Any, ...],
        period: str,
        booking: date,
        *,
        payments: list[dict[str, Any]] | None = None,
        pos: dict[str, Any] | None = None,
        centre: Any = None,
        report_number: int | None = None,
        details: dict[str, Any] | None = None,
        signed: bool = True,
    ) -> dict[str, Any]:
        self.ticket += 1
        # SCE 2.0 signs the payments (``financials``): they belong to the event the adapter sends
        paid = payments if self.generation == 2 else None
        event = self.event_type(
            kind,
            self.ticket,
            when,
            employee,
            lines,
            terminal_id="T1",
            cost_center=centre,
            booking_period_id=period,
            booking_date=booking,
            report_number=report_number,
            language=self.language,
            details=details,
            payments=tuple(self.payment_from_json(p) for p in paid or ()),
        )
        ev = self.to_json(event)
        if payments is not None and paid is None:
            ev["payments"] = payments
        body: dict[str, Any] = {
            "type": "event",
            "period_id": period,
            "booking_date": booking.isoformat(),
            "pos": pos or {},
            "event": ev,
            "fdm": None,
            "request": None,
            "reply": None,
        }
        if signed and self.generation == 2:
            self.fdm.now = self.fdm_time(when + timedelta(seconds=1))
            engine = (
                self.ticket <= ENGINE_FIRST or self.ticket % ENGINE_EVERY == 0 or report_number is not None
            )
            self.client.through_engine = self.fdm.strict = engine
            receipt = self.module.sign(event)
            body.update(fdm=self.receipt_to_json(receipt), request=receipt.request, reply=receipt.reply)
        elif signed:
            request, sha1 = self.module.build_request(event, self.ticket % 100)
            data = request.encode()
            label = data[49:51]
            self.counters[label] = self.counters.get(label, 0) + 1
            self.total += 1
            fdm_time = when + timedelta(seconds=1)
            stamp = fdm_time.strftime("%Y%m%d%H%M%S")
            counter, total = f"{self.counters[label]:09d}", f"{self.total:09d}"
            message = data[4:162] + stamp[:8] + stamp[8:] + counter + total
            signature = hmac.new(KEY, message.encode("ascii"), hashlib.sha1).hexdigest().upper()
            reply = f"H{data[1:4]}000000{FDM_ID}{VSC_ID}{stamp}{label}{counter}{total}{signature}"
            body.update(
                request=data,
                reply=reply,
                fdm={
                    "generation": 1,
                    "fdm_id": FDM_ID,
                    "fdm_datetime": fdm_time.replace(tzinfo=None).isoformat(),
                    "event_label": label,
                    "event_counter": self.counters[label],
                    "total_counter": self.total,
                    "signature": signature,
                    "vat": [],
                    "warnings": [],
                    "vsc_id": VSC_ID,
                    "plu_hash": sha1[-8:],
                    "short_signature": "",
                    "verification_url": "",
                    "footer": [],
                    "buffer_capacity_used": None,
                },
            )
        return self.append(body)

    def close(self) -> None:
        self.events.close()


def period_of(day: date, generation: int) -> str:
    """The opening period's id: SCE 2.0 requires a GUID (``bookingPeriodId``), as the POS makes them."""
    if generation == 1:
        return f"period-{day.isoformat()}"
    import uuid  # noqa: PLC0415

    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://sce.invalid/bench/period/{day.isoformat()}"))


def generate(root: Path, count: int, generation: int = 1) -> None:
    import random  # noqa: PLC0415

    from sce.fiscal.port import FiscalCostCenter  # noqa: PLC0415
    from sce.pos.reports import v2_details  # noqa: PLC0415

    rng = random.Random(11)
    writer = Writer(root, generation)
    kinds = writer.kinds
    per_day = max(60, count // 365)
    day = date(2026, 1, 1)
    z = 0
    while writer.seq < count:
        period = period_of(day, generation)
        when = datetime(day.year, day.month, day.day, 10, 0, tzinfo=BRUSSELS)
        figures = PeriodFigures()
        records: list[dict[str, Any]] = []  # the period's event records (SCE 2.0 report details)
        target = min(count, writer.seq + per_day)

        def put(
            kind: Any,
            employee: str,
            lines: tuple[Any, ...] = (),
            *,
            period: str = period,
            day: date = day,
            figures: PeriodFigures = figures,
            records: list[dict[str, Any]] = records,
            **options: Any,
        ) -> None:
            nonlocal when
            when += timedelta(seconds=20)
            sealed = writer.event(kind, when, employee, lines, period, day, **options)
            figures.add(sealed["seq"], sealed)
            if generation == 2:
                records.append(sealed)

        for employee in STAFF:
            put(kinds.WORK_IN, employee)
        while writer.seq < target - 5:
            lines = tuple(
                writer.line_type(
                    name,
                    Decimal(rng.randint(1, 3)),
                    Decimal(price),
                    vat,
                    product_id=name[:4],
                    department_id=dept,
                    department_name=dname,
                )
                for name, price, vat, dept, dname in rng.sample(MENU, rng.randint(1, 4))
            )
            total = sum((line.total for line in lines), Decimal(0))
            pay = [
                {
                    "method": "CASH" if rng.random() < 0.5 else "CARD_UNKNOWN",
                    "amount": str(total),
                    "name": "",
                    "kind": "PAYMENT",
                    "payment_id": "1",
                    "input_method": "MANUAL",
                    "drawer": None,
                }
            ]
            waiter = STAFF[writer.seq % 3]
            if rng.random() < 0.3:
                ref = f"order-{writer.seq}"
                centre = FiscalCostCenter("5", "TABLE", ref)
                put(kinds.ORDER, waiter, lines, centre=centre, pos={"order_id": ref})
                put(kinds.SALE, waiter, lines, centre=centre, pos={"order_id": ref}, payments=pay)
            else:
                put(kinds.SALE, waiter, lines, payments=pay)
        for employee in STAFF:
            put(kinds.WORK_OUT, employee)
        z += 1
        common = {"mode": "Z", "number": z, "period_id": period, "booking_date": day.isoformat()}
        report = {**common, "kind": "turnover", **figures.turnover()}
        user_report = {**common, "kind": "user", **figures.user_figures()}
        for kind, rep in ((kinds.REPORT_TURNOVER_Z, report), (kinds.REPORT_USER_Z, user_report)):
            when += timedelta(seconds=20)
            # SCE 2.0 signs the reports, with their figures in the mutation's shape (as the POS sends them)
            details = v2_details(rep["kind"], rep, records, POS_ID) if generation == 2 else None
            sealed = writer.event(
                kind,
                when,
                STAFF[0],
                (),
                period,
                day,
                pos={"report": rep},
                report_number=z,
                details=details,
                signed=generation == 2,
            )
            records.append(sealed)
            name = f"z-{z:06d}-{'turnover' if kind is kinds.REPORT_TURNOVER_Z else 'user'}.json"
            (root / "z-reports" / name).write_text(line_of(sealed) + "\n", encoding="utf-8")
            writer.z_files.append(name)
        day += timedelta(days=1)
    writer.close()
    (root / "config.jsonl").write_text("", encoding="utf-8")
    (root / "invoices.jsonl").write_text("", encoding="utf-8")
    if generation == 1:
        keys = {
            "format": "sce-keys/1",
            "fdms": [{"fdm_id": FDM_ID, "generation": 1, "vsc_id": VSC_ID, "key_hex": KEY.hex()}],
        }
        (root / "keys.json").write_text(json.dumps(keys), encoding="utf-8")
    else:  # as `sce journal export` writes the public key the POS recorded when pairing
        from sce.audit.keys import key_body, keys_document  # noqa: PLC0415

        entry = {"fdm_id": FDM_V2_ID, **key_body(2, public_key_pem=writer.fdm.signer.public_pem())}
        text = json.dumps(keys_document([entry]), indent=1, sort_keys=True) + "\n"
        (root / "keys.json").write_text(text, encoding="utf-8")
    files: dict[str, Any] = {"events.jsonl": {"sha256": writer.digest.hexdigest(), "records": writer.seq}}
    for name in ("config.jsonl", "invoices.jsonl", "keys.json", *(f"z-reports/{n}" for n in writer.z_files)):
        files[name] = {"sha256": hashlib.sha256((root / name).read_bytes()).hexdigest()}
    files["config.jsonl"]["records"] = 0
    manifest = {
        "format": "sce-export/1",
        "events": {
            "count": writer.seq,
            "first_seq": 1,
            "last_seq": writer.seq,
            "first_prev": GENESIS,
            "head": writer.prev,
        },
        "config": {"count": 0, "head": None},
        "files": files,
    }
    (root / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")


def corpus(count: int, generation: int = 1) -> tuple[Path, float | None]:
    """The cached export directory of ``count`` events; the generation time when made by this call."""
    name = f"sce-bench-verify-journal-v{CORPUS_VERSION}-sce{generation}-{count}"
    root = Path(tempfile.gettempdir()) / name / "export"
    seconds = None
    if not (root / "manifest.json").exists():
        tmp = root.parent / "partial"
        if tmp.exists():
            import shutil  # noqa: PLC0415

            shutil.rmtree(tmp)
        started = time.perf_counter()
        generate(tmp, count, generation)
        tmp.rename(root)
        seconds = time.perf_counter() - started
        print(f"generated {count} SCE {generation}.0 events in {seconds:.0f} s", file=sys.stderr)
    return root, seconds


def floor(root: Path) -> float:
    started = time.perf_counter()
    with open(root / "events.jsonl", "rb") as handle:
        for raw in handle:
            json.loads(raw)
            hashlib.sha256(raw).digest()
    return time.perf_counter() - started


def signature_floor(generation: int, rounds: int = 3000) -> float:
    """Seconds of one bare signature check of the generation's FDM (SCE 2.0: an ECDSA P-256 verify of a
    1 KB message through ``cryptography``; SCE 1.0: an HMAC-SHA1 of the signed 179 bytes), on one core."""
    message = bytes(range(256)) * 4
    if generation == 1:
        started = time.perf_counter()
        for _ in range(rounds):
            hmac.new(KEY, message[:179], hashlib.sha1).hexdigest()
        return (time.perf_counter() - started) / rounds
    from cryptography.hazmat.primitives import hashes  # noqa: PLC0415
    from cryptography.hazmat.primitives.asymmetric import ec  # noqa: PLC0415

    private = ec.generate_private_key(ec.SECP256R1())
    algorithm = ec.ECDSA(hashes.SHA256())
    signature = private.sign(message, algorithm)
    public = private.public_key()
    started = time.perf_counter()
    for _ in range(rounds):
        public.verify(signature, message, algorithm)
    return (time.perf_counter() - started) / rounds


def key_table_floor(rounds: int = 3000) -> float | None:
    """Seconds of one SCE 2.0 check through the verifier's per-key table (``sce.verifier.p256``: the
    inverses of the batch taken together), on one core; None where libcrypto cannot give the tables."""
    from cryptography.hazmat.primitives import hashes, serialization  # noqa: PLC0415
    from cryptography.hazmat.primitives.asymmetric import ec  # noqa: PLC0415
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature  # noqa: PLC0415

    from sce.verifier import p256  # noqa: PLC0415

    if not p256.available():
        return None
    message = bytes(range(256)) * 4
    private = ec.generate_private_key(ec.SECP256R1())
    r, s = decode_dss_signature(private.sign(message, ec.ECDSA(hashes.SHA256())))
    point = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    table = p256.KeyTable(point)
    started = time.perf_counter()
    for w in p256.inverses([s] * rounds):
        if not table.verify(p256.message_number(message), r, w):
            raise SystemExit("the key-table check refused a valid signature")
    return (time.perf_counter() - started) / rounds


def own_peak_kb(usage: resource.struct_rusage) -> int:
    """Peak resident set of this process's own memory since it was started (``VmHWM``). Not
    ``ru_maxrss``: on Linux it also counts the parent's resident set when the child was started (vfork
    + exec), so right after generating a corpus it would report the generator's size."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return int(usage.ru_maxrss)


def verify_only(root: Path, jobs: int | None) -> None:
    """Child process: verify and print the result with the peak memory of this process and its workers
    (theirs is ``ru_maxrss``: the larger of a worker's own peak and this process's size when it started
    them, which is the smaller one: about 30 MB)."""
    from sce.verifier import verify_export  # noqa: PLC0415

    summary = verify_export(root, jobs=jobs)
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    self_kb, child_kb = own_peak_kb(own), workers.ru_maxrss
    print(
        json.dumps(
            {
                "summary": summary.to_json(),
                "self_kb": self_kb,
                "worker_kb": child_kb,
                "self_cpu": own.ru_utime + own.ru_stime,
                "worker_cpu": workers.ru_utime + workers.ru_stime,
                "first": [f.text() for f in summary.first[:5]],
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="20 000 events instead of 1 000 000")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--events", type=int, default=None)
    parser.add_argument(
        "--jobs", type=int, default=None, help="worker processes (default: the verifier's, 2)"
    )
    parser.add_argument(
        "--generation",
        type=int,
        choices=GENERATIONS,
        default=1,
        help="FDM generation of the corpus: 1 (SCE 1.0, HMAC-SHA1) or 2 (SCE 2.0, ECDSA P-256)",
    )
    parser.add_argument("--verify-only", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.verify_only is not None:
        verify_only(args.verify_only, args.jobs)
        return
    count = args.events or (20_000 if args.quick else 1_000_000)
    generation = args.generation
    root, generated_seconds = corpus(count, generation)
    floor_seconds = floor(root)
    jobs = args.jobs if args.jobs is not None else min(2, os.cpu_count() or 1)
    per_signature = signature_floor(generation)
    per_table_check = key_table_floor() if generation == 2 else None
    child = subprocess.run(
        [sys.executable, __file__, "--verify-only", str(root), "--jobs", str(jobs)],
        check=True,
        capture_output=True,
        text=True,
    )
    measured = json.loads(child.stdout.strip().splitlines()[-1])
    summary = measured["summary"]
    peak_mb = (measured["self_kb"] + jobs * measured["worker_kb"]) / 1024
    seconds = summary["seconds"]
    result = {
        "benchmark": "verify_journal",
        "generation": generation,
        "events": summary["events"],
        "bytes": summary["bytes"],
        "jobs": jobs,
        "cores": os.cpu_count(),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "ok": summary["ok"],
        # the build measured: `make bench` measures the compiled wheel of `make compiled`
        "verifier_build": "compiled (mypyc)" if summary.get("compiled") else "pure Python",
        "findings": summary["findings"],
        "signatures_checked": summary["signatures_checked"],
        "seconds": seconds,
        "events_per_second": round(summary["events"] / seconds),
        "peak_memory_mb": round(peak_mb, 1),
        "main_cpu_seconds": round(measured["self_cpu"], 2),
        "worker_cpu_seconds": round(measured["worker_cpu"], 2),
        # on an otherwise idle machine with a core per process, the busiest process bounds the rate
        "cpu_bound_events_per_second": round(
            summary["events"] / max(measured["self_cpu"], measured["worker_cpu"] / max(jobs, 1), 1e-9)
        ),
        "main_process_mb": round(measured["self_kb"] / 1024, 1),
        "worker_mb": round(measured["worker_kb"] / 1024, 1),
        "corpus_generated_seconds": None if generated_seconds is None else round(generated_seconds, 1),
        "floor": "read + json.loads + sha256 of every line, one process",
        "floor_seconds": round(floor_seconds, 3),
        "floor_events_per_second": round(summary["events"] / floor_seconds),
        "ratio_to_floor": round(seconds / floor_seconds, 2),
        # the signature check alone, one per event, on as many cores as the verifier has workers
        "signature_floor": f"bare signature checks on {max(jobs, 1)} core(s), one per event",
        "signature_floor_us": round(per_signature * 1e6, 1),
        "signature_floor_events_per_second": round(max(jobs, 1) / per_signature),
        # SCE 2.0: the verifier's own check (per-key table in libcrypto; a no goes to cryptography)
        "ecdsa_key_tables": summary.get("ecdsa_key_tables"),
        "key_table_check_us": None if per_table_check is None else round(per_table_check * 1e6, 1),
        "goal_events_per_second": GOAL_EVENTS_PER_SECOND,
        "goal_peak_mb": GOAL_PEAK_MB,
        "meets_goal": summary["events"] / seconds >= GOAL_EVENTS_PER_SECOND and peak_mb < GOAL_PEAK_MB,
    }
    result["headlines"] = [
        {
            "measure": f"Journal verification SCE {generation}.0, events/s"
            f" ({jobs} worker(s), signatures checked)",
            "figure": result["events_per_second"],
            "floor": result["floor_events_per_second"],
            "floor_name": "read + json.loads + sha256 of every line, events/s",
            "ratio": round(result["events_per_second"] / max(result["floor_events_per_second"], 1), 2),
        },
        {
            "measure": f"Journal verification SCE {generation}.0 next to its signature checks alone,"
            " events/s",
            "figure": result["events_per_second"],
            "floor": result["signature_floor_events_per_second"],
            "floor_name": f"bare {'ECDSA P-256 verifies (cryptography)' if generation == 2 else 'HMAC-SHA1'}"
            f" on {max(jobs, 1)} core(s), one per event",
            "ratio": round(
                result["events_per_second"] / max(result["signature_floor_events_per_second"], 1), 4
            ),
        },
        {
            "measure": f"Journal verification SCE {generation}.0, peak memory (MB)",
            "figure": result["peak_memory_mb"],
            "floor": GOAL_PEAK_MB,
            "floor_name": "goal: peak memory (MB)",
            "ratio": round(result["peak_memory_mb"] / GOAL_PEAK_MB, 2),
        },
    ]
    if not summary["ok"]:
        result["first_findings"] = measured["first"]
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>24}: {value}")


if __name__ == "__main__":
    main()
