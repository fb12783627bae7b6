"""Assembling a running POS: database (migrated), FDM connection, site configuration, start-up checks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sce.audit.keys import record_key_material
from sce.db.engine import migrate, open_engine
from sce.db.store import PosStore
from sce.pos import demo_data
from sce.pos.fdm_setup import EMULATOR_PIN, Connected, connect
from sce.pos.service import Pos
from sce.pos.site import SiteConfig


@dataclass
class Running:
    pos: Pos
    fdm: Connected
    store: PosStore


@contextmanager
def open_pos(db_url: str, fdm_spec: str, state: Path, *, demo: bool = False) -> Iterator[Running]:
    """A started POS: the schema is migrated, the demo restaurant configured when asked (and when the
    database has no site yet), the FDM started (an emulator's PIN entered) and pending events finished."""
    state.mkdir(parents=True, exist_ok=True)
    engine = open_engine(db_url)
    migrate(engine)
    store = PosStore(engine)
    with store.tx() as tx:
        found = tx.item("site", "site")
    site = SiteConfig.from_dict(found[1]) if found else demo_data.SITE
    fdm = connect(fdm_spec, state, site)
    try:
        pos = Pos(store, fdm.module)
        if found is None:
            if not demo:
                raise ValueError("the database has no site configuration: run with --demo or configure it")
            demo_data.seed(pos, site)
        record_key_material(engine, fdm.key_material)
        info = pos.start()
        if not info.ready and fdm_spec.startswith("emulator"):
            pos.unlock(EMULATOR_PIN)
        yield Running(pos, fdm, store)
    finally:
        fdm.close()
        engine.dispose()
