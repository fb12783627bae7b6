"""Everything one running POS web server holds: the POS core over its database and FDM, the live bus,
sessions, idempotency keys, the kitchen board and the screen printers.

:func:`open_runtime` assembles it from ``sce serve`` options; :func:`sce.web.pos.demo.prepare_demo` seeds a
fresh database with the demo restaurant first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from sce.audit.keys import record_key_material, record_keys_file
from sce.db.engine import migrate, open_engine
from sce.db.store import PosStore
from sce.domain.errors import DomainError
from sce.fiscal.port import DeviceInfo
from sce.pos.fdm_setup import Connected, emulator_v1, emulator_v2, serial_v1, url_v2
from sce.pos.service import Pos
from sce.pos.site import SiteConfig
from sce.tickets.mail import SmtpSettings
from sce.web.pos import views
from sce.web.pos.idempotency import IdempotencyStore
from sce.web.pos.kitchen_board import KitchenBoard
from sce.web.pos.live import Bus
from sce.web.pos.security import Sessions
from sce.web.pos.ticket_mail import MailDesk
from sce.web.pos.ticket_printers import PrintJobs, TerminalPrinters

log = logging.getLogger(__name__)
#: Idempotency keys older than this are forgotten at start-up.
KEEP_KEYS = timedelta(days=7)
#: Printed jobs are kept this long (a ticket prints once; a later print is a registered copy).
KEEP_PRINT_JOBS = timedelta(days=31)


@dataclass(frozen=True, slots=True)
class FdmChoice:
    """``emulator-v1``, ``emulator-v2``, ``serial:PORT`` or an SCE 2.0 URL."""

    kind: str
    target: str = ""

    @classmethod
    def parse(cls, text: str) -> FdmChoice:
        text = text.strip()
        if text in ("emulator-v1", "emulator-v2"):
            return cls(text)
        if text.startswith("serial:") and len(text) > len("serial:"):
            return cls("serial", text[len("serial:") :])
        if text.startswith(("http://", "https://")):
            return cls("url", text)
        raise DomainError("fdm", "UNKNOWN_FDM", "emulator-v1, emulator-v2, serial:PORT or an http(s) URL")

    def connect(self, state: Path, site: SiteConfig) -> Connected:
        if self.kind == "emulator-v1":
            return emulator_v1(state, site)
        if self.kind == "emulator-v2":
            return emulator_v2(state, site)
        if self.kind == "serial":
            return serial_v1(self.target, state, site)
        return url_v2(self.target, site)


@dataclass
class Runtime:
    """The running POS behind the web application."""

    pos: Pos
    engine: Engine
    connected: Connected
    state: Path
    demo: bool = False
    bus: Bus = field(default_factory=Bus)
    sessions: Sessions = field(default_factory=Sessions)
    idempotency: IdempotencyStore = field(init=False)
    kitchen: KitchenBoard = field(init=False)
    tickets: TerminalPrinters = field(init=False)
    device: DeviceInfo | None = None
    last_contact: str = ""
    last_error: str = ""
    demo_secrets: dict[str, str] = field(default_factory=dict)
    mail: MailDesk | None = None  # the e-mailed ticket (SCE 2.0), when a mail server is set up

    def __post_init__(self) -> None:
        self.tickets = TerminalPrinters(
            PrintJobs(self.engine), lambda number: views.ticket_of(self.pos, self.pos.record(number))
        )
        self.idempotency = IdempotencyStore(self.engine)
        self.kitchen = KitchenBoard(self.pos, self.engine)

    @property
    def generation(self) -> int:
        return int(self.pos.fdm.generation)

    def start(self, *, pin: str | None = None) -> DeviceInfo:
        """Settle the requests a crash left unanswered, then start the FDM (finishing events left
        pending); ``pin`` unlocks an SCE 1.0 emulator at once."""
        self.idempotency.prune(KEEP_KEYS)
        resolved = self.idempotency.resolve_unanswered(partial(views.recovered_answer, self.pos))
        if resolved.answered or resolved.released:
            log.warning(
                "requests left unanswered by the last stop: %d carried out (answered), %d not (released)",
                len(resolved.answered),
                len(resolved.released),
            )
        self.device = self.pos.start()
        if not self.device.ready and pin:
            self.pos.unlock(pin)
            self.device = self.pos.fdm.status()
        self.touch()
        self.kitchen.load()
        self.load_printers()
        if self.tickets.jobs is not None:
            self.tickets.jobs.prune(KEEP_PRINT_JOBS)
        self.tickets.resume()
        self.tickets.start()
        if self.mail is not None:
            self.mail.start()
        return self.device

    def load_printers(self) -> list[str]:
        """The terminals' ticket printers from their configuration (again after a change)."""
        with self.pos.store.tx() as tx:
            return self.tickets.configure(tx.items("terminal"))

    def touch(self) -> None:
        self.last_contact = datetime.now().astimezone().isoformat(timespec="seconds")

    def close(self) -> None:
        if self.mail is not None:
            self.mail.stop()
        self.tickets.stop()
        self.kitchen.close()
        self.bus.close()
        try:
            self.connected.close()
        finally:
            self.engine.dispose()


def open_runtime(
    db_url: str,
    fdm: FdmChoice,
    state: Path,
    *,
    demo: bool = False,
    clock: Callable[[], datetime] | None = None,
    seed: Callable[[Pos], Any] | None = None,
    fdm_keys: Sequence[Path] = (),
    smtp: SmtpSettings | None = None,
) -> Runtime:
    """Open the database (migrated), seed it when asked and empty, and connect the FDM; ``smtp`` sends
    the tickets customers ask by e-mail.

    The verification keys the FDM hands over (embedded emulators, an SCE 2.0 emulator at a URL) and
    those of ``fdm_keys`` files (a real device's certificate data) are recorded for the inspector's
    export (:mod:`sce.audit.keys`)."""
    state.mkdir(parents=True, exist_ok=True)
    engine = open_engine(db_url)
    migrate(engine)
    store = PosStore(engine)
    with store.tx() as tx:
        configured = tx.item("site", "site") is not None
    if not configured:
        if seed is None:
            engine.dispose()
            raise DomainError("site", "NOT_CONFIGURED", "this database has no site: start with --demo")
        seed(Pos(store, _NoFdm(), clock=clock))
    with store.tx() as tx:
        found = tx.item("site", "site")
        assert found is not None
        site = SiteConfig.from_dict(found[1])
    connected = fdm.connect(state, site)
    try:
        record_key_material(engine, connected.key_material)
        for path in fdm_keys:
            record_keys_file(engine, path)
    except (OSError, ValueError, KeyError) as error:
        connected.close()
        engine.dispose()
        raise DomainError("fdm_keys", "INVALID_KEY_FILE", str(error)) from None
    pos = Pos(store, connected.module, clock=clock)
    mail = MailDesk(engine, smtp) if smtp is not None else None
    return Runtime(pos, engine, connected, state, demo, mail=mail)


class _NoFdm:
    """Stand-in FDM while only configuration documents are written (nothing is signed)."""

    generation = 0

    def __getattr__(self, name: str) -> Any:
        raise DomainError("fdm", "NOT_CONNECTED", f"{name}: no FDM while seeding the configuration")
