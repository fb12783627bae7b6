"""A POS over a real database (SQLite file or PostgreSQL server) and a real FDM emulator (SCE 1.0 over a
pty, SCE 2.0 over loopback HTTP), with a clock the test moves."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sce.db.engine import migrate, open_engine
from sce.db.store import PosStore
from sce.fiscal.v1.driver import DriverSettings
from sce.pos import demo_data
from sce.pos.fdm_setup import EMULATOR_PIN, Connected, emulator_v1, emulator_v2
from sce.pos.service import Pos

BRUSSELS = ZoneInfo("Europe/Brussels")
MANAGER, WAITER, WAITER2 = (insz for insz, _alias, _role in demo_data.STAFF)
# short enough for the tests that cut the FDM off, long enough for a loaded machine (CI, parallel jobs)
FAST_V1 = DriverSettings(ack_timeout=0.8, reply_timeout=1.5, max_sends=3, max_nacks=3)


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@dataclass
class Rig:
    pos: Pos
    store: PosStore
    fdm: Connected
    clock: Clock
    generation: int
    db_url: str


@contextmanager
def pos_rig(db_url: str, generation: int, state: Path, *, start: datetime | None = None) -> Iterator[Rig]:
    engine = open_engine(db_url)
    migrate(engine)
    store = PosStore(engine)
    site = demo_data.SITE
    fdm = (
        emulator_v1(state, site, settings=FAST_V1)
        if generation == 1
        else emulator_v2(state, site, timeout=1.0)
    )
    clock = Clock(start or datetime(2026, 11, 20, 11, 0, tzinfo=BRUSSELS))
    pos = Pos(store, fdm.module, clock=clock)
    try:
        demo_data.seed(pos)
        info = pos.start()
        if not info.ready:
            pos.unlock(EMULATOR_PIN)
        yield Rig(pos, store, fdm, clock, generation, db_url)
    finally:
        fdm.close()
        engine.dispose()
