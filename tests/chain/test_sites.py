"""A chain with the real POS: two sites on their own PostgreSQL servers, head office on a third.

Each site runs the POS (``open_pos``, an FDM emulator, simulated restaurant days) on its own server,
its tables in the schema ``site_<id>``; head office holds both schemas in one database, filled by
logical replication (:mod:`sce.chain.sites`). The tests prove that head office ends up with exactly
each site's records, also after a cut while the site kept selling and after head office was down;
that the consolidated VAT report equals what each site computes from its own journal; and that the
inspector's export of a site, written at head office, verifies clean and equals the site's own.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from sce.audit.export import export_journal
from sce.chain import sites
from sce.db.engine import open_engine
from sce.devtools.pgcluster import PostgresCluster
from sce.pos.runtime import open_pos
from sce.pos.simulate import simulate_history
from sce.verifier.run import verify_export

ZONE_DAYS_BACK = 6  # the first simulated day, counted back from today


@dataclass
class Site:
    site_id: str
    cluster: PostgresCluster
    url: str  # the POS's URL: the site's database, search_path = its schema
    engine: sa.Engine  # plain engine on the site's database (queries qualify the schema)
    fdm: str
    state: Path


@dataclass
class Chain:
    sites: dict[str, Site]
    office_cluster: PostgresCluster
    office_url: str
    office: sa.Engine
    tmp: Path


def _day(days_back: int) -> datetime:
    return datetime.now().astimezone() - timedelta(days=days_back)


def _sell(site: Site, *, days: int, days_back: int, seed: int) -> None:
    """Open the site's POS on its own database and FDM and run ``days`` restaurant days."""
    with open_pos(site.url, site.fdm, site.state, demo=True) as running:
        simulate_history(running.pos, days=days, tickets_per_day=4, seed=seed, start=_day(days_back))


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chain]:
    tmp = tmp_path_factory.mktemp("chain")
    with (
        PostgresCluster(name="sce-site-a") as server_a,
        PostgresCluster(name="sce-site-b") as server_b,
        PostgresCluster(name="sce-office") as office_cluster,
    ):
        office_url = office_cluster.create_database("office")
        office = sa.create_engine(office_url, poolclass=NullPool)
        chain = Chain({}, office_cluster, office_url, office, tmp)
        for site_id, server, fdm in (("0042", server_a, "emulator-v2"), ("0107", server_b, "emulator-v1")):
            database = f"pos_{site_id}"
            plain = server.create_database(database)
            site = Site(
                site_id,
                server,
                sites.site_url(plain, site_id),
                sa.create_engine(plain, poolclass=NullPool),
                fdm,
                tmp / f"fdm_{site_id}",
            )
            chain.sites[site_id] = site
            _sell(site, days=2, days_back=ZONE_DAYS_BACK, seed=int(site_id))  # before the link: copied
            sites.publish_site(site.engine, site_id)
            sites.prepare_head_office(office_url, site_id)
            sites.subscribe_site(office, site_id, server.conninfo(database))
        yield chain
        office.dispose()
        for site in chain.sites.values():
            site.engine.dispose()


def _records(engine: sa.Engine, site_id: str, table: str = "journal") -> list[tuple[int, str, str]]:
    schema = sites.schema_name(site_id)
    with engine.connect() as connection:
        rows = connection.execute(sa.text(f"SELECT seq, prev_hash, hash FROM {schema}.{table} ORDER BY seq"))
        return [(int(row.seq), str(row.prev_hash), str(row.hash)) for row in rows]


def _assert_same_records(chain: Chain, site: Site) -> int:
    """Head office has exactly the site's journal and configuration log; the journal's length."""
    sites.wait_caught_up(site.engine, chain.office, site.site_id, timeout=30)
    for table in ("journal", "config_log"):
        at_site, at_office = (
            _records(site.engine, site.site_id, table),
            _records(chain.office, site.site_id, table),
        )
        assert at_site, table
        assert [seq for seq, _, _ in at_site] == list(range(1, len(at_site) + 1))  # gapless at the site
        assert at_office == at_site  # same numbers, same hashes, same order: none lost, none doubled
    return len(_records(site.engine, site.site_id))


def test_a_site_url_only_sets_the_search_path() -> None:
    assert (
        sites.site_url("postgresql+psycopg://pos:s%40cret@host/chain", "0042")
        == "postgresql+psycopg://pos:s%40cret@host/chain?options=-csearch_path%3Dsite_0042"
    )
    kept = sites.site_url("postgresql+psycopg://pos@h/c?options=-cstatement_timeout%3D5000", "0107")
    assert kept.endswith("options=-cstatement_timeout%3D5000+-csearch_path%3Dsite_0107")
    assert (sites.link_name("0042"), sites.publication_names("0042")[1]) == (
        "sce_site_0042",
        "sce_site_0042_state",
    )
    for bad in ("Site", "0042; DROP", "", "x" * 41):
        with pytest.raises(ValueError):
            sites.schema_name(bad)
    with pytest.raises(ValueError):
        sites.site_url("sqlite:///pos.db", "0042")


def test_the_pos_tables_live_in_the_site_schema_and_stay_append_only(chain: Chain) -> None:
    site = chain.sites["0042"]
    with site.engine.connect() as connection:
        tables = set(
            connection.scalars(
                sa.text("SELECT table_name FROM information_schema.tables WHERE table_schema = 'site_0042'")
            )
        )
        assert {"journal", "config_log", "periods", "config_items", "orders", "alembic_version"} <= tables
        assert not connection.scalar(
            sa.text("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
        )
    # head office: two site schemas in one database, each migrated with its own guard function
    with chain.office.connect() as connection:
        guards = connection.scalars(
            sa.text(
                "SELECT n.nspname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                " WHERE p.proname = 'sce_append_only' ORDER BY 1"
            )
        ).all()
        assert guards == ["site_0042", "site_0107"]
        versions = [
            connection.scalar(sa.text(f"SELECT version_num FROM {schema}.alembic_version"))
            for schema in ("site_0042", "site_0107")
        ]
        assert versions[0] is not None and versions[0] == versions[1]
    # the logs refuse changes at the site and in head office's copy alike
    for engine in (site.engine, chain.office):
        for statement in ("UPDATE site_0042.journal SET label = 'x'", "DELETE FROM site_0042.config_log"):
            with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as connection:
                connection.execute(sa.text(statement))
    # the operator's role reads the site schema and writes nothing in the logs
    pos = open_engine(site.url)
    try:
        with pos.connect() as connection:
            connection.execute(sa.text("SET ROLE sce_operator"))
            assert connection.scalar(sa.text("SELECT count(*) FROM journal"))
            with pytest.raises(sa.exc.DBAPIError, match="permission denied"):
                connection.execute(
                    sa.text(
                        "INSERT INTO journal (seq, recorded_at, record_type, training, prev_hash, hash, body)"
                        " VALUES (100000, 'x', 'x', false, 'x', 'y', '{}')"
                    )
                )
    finally:
        pos.dispose()


def test_head_office_has_exactly_each_sites_records(chain: Chain) -> None:
    assert sites.head_office_sites(chain.office) == ["0042", "0107"]
    hashes = []
    for site in chain.sites.values():
        assert _assert_same_records(chain, site) > 20
        hashes.append({h for _, _, h in _records(chain.office, site.site_id)})
        link = sites.site_link(chain.office, site.site_id)
        assert link.enabled and link.tables_ready
    assert not hashes[0] & hashes[1]  # two separate chains, side by side at head office


def test_a_cut_site_keeps_selling_and_head_office_catches_up(chain: Chain) -> None:
    cut, other = chain.sites["0042"], chain.sites["0107"]
    before = _assert_same_records(chain, cut)
    other_before = _assert_same_records(chain, other)

    sites.cut_site(chain.office, cut.site_id)
    assert not sites.site_link(chain.office, cut.site_id).enabled
    _sell(cut, days=1, days_back=ZONE_DAYS_BACK - 2, seed=11)  # sells and signs with its FDM, link down
    _sell(other, days=1, days_back=ZONE_DAYS_BACK - 2, seed=12)  # the other site's link is up
    assert len(_records(cut.engine, cut.site_id)) > before
    _assert_same_records(chain, other)  # not held back by the cut site
    assert len(_records(chain.office, cut.site_id)) == before  # nothing crossed the cut
    assert sites.slot_lag_bytes(cut.engine, cut.site_id) > 0  # the site keeps the WAL for head office

    sites.restore_site(chain.office, cut.site_id)
    assert _assert_same_records(chain, cut) > before

    # head office down altogether: both sites keep selling, head office catches up after its restart
    chain.office_cluster.stop()
    _sell(other, days=1, days_back=ZONE_DAYS_BACK - 3, seed=13)
    _sell(cut, days=1, days_back=ZONE_DAYS_BACK - 3, seed=14)
    assert sites.slot_lag_bytes(other.engine, other.site_id) > 0
    chain.office_cluster.start()
    assert _assert_same_records(chain, other) > other_before
    _assert_same_records(chain, cut)


def _site_vat(site: Site) -> dict[tuple[date, str], tuple[Decimal, int, int]]:
    """At the site, from its own journal bodies, per booking day and letter: amount, lines, sales."""
    totals: dict[tuple[date, str], tuple[Decimal, int, int]] = {}
    sales: dict[tuple[date, str], set[int]] = {}
    with site.engine.connect() as connection:
        bodies = connection.scalars(
            sa.text(f"SELECT body FROM {sites.schema_name(site.site_id)}.journal ORDER BY seq")
        )
        for body in bodies:
            record: dict[str, Any] = json.loads(body)
            event = record.get("event") or {}
            if record["type"] != "event" or event.get("kind") != "SALE" or event["training"]:
                continue
            for line in event["lines"]:
                key = (date.fromisoformat(record["booking_date"]), line["vat"])
                amount, lines, _ = totals.get(key, (Decimal("0.00"), 0, 0))
                sales.setdefault(key, set()).add(record["seq"])
                totals[key] = (amount + Decimal(line["line_total"]), lines + 1, len(sales[key]))
    return totals


def test_consolidated_vat_equals_what_each_site_computes(chain: Chain) -> None:
    for site in chain.sites.values():
        sites.wait_caught_up(site.engine, chain.office, site.site_id, timeout=30)
    report = sites.consolidated_vat(chain.office)
    assert {line.site_id for line in report} == {"0042", "0107"}
    for site in chain.sites.values():
        expected = _site_vat(site)
        got = {
            (line.booking_date, line.vat_letter): (line.amount, line.lines, line.sales)
            for line in report
            if line.site_id == site.site_id
        }
        assert got == expected
        assert len({day for day, _ in expected}) >= 2
    first_day = min(line.booking_date for line in report)
    one_day = sites.consolidated_vat(chain.office, ["0107"], first=first_day, last=first_day)
    assert one_day and all(line.site_id == "0107" and line.booking_date == first_day for line in one_day)


def test_the_site_export_written_at_head_office_verifies_and_equals_the_sites(chain: Chain) -> None:
    site = chain.sites["0042"]
    sites.wait_caught_up(site.engine, chain.office, site.site_id, timeout=30)
    at_office = sites.export_site(chain.office_url, site.site_id, chain.tmp / "export_office")
    summary = verify_export(chain.tmp / "export_office", jobs=1)
    assert summary.ok, summary.first
    assert summary.events == at_office.events == len(_records(site.engine, site.site_id))
    assert at_office.z_reports >= 2 and summary.signatures > 0
    pos = open_engine(site.url)
    try:
        at_site = export_journal(pos, chain.tmp / "export_site")
    finally:
        pos.dispose()
    assert at_office.files == at_site.files  # byte for byte: events, text, Z reports, config, keys


def test_a_change_forced_into_a_sites_journal_never_reaches_head_office(chain: Chain) -> None:
    site = chain.sites["0107"]
    sites.wait_caught_up(site.engine, chain.office, site.site_id, timeout=30)
    tamper = (
        "SET LOCAL session_replication_role = replica",  # a superuser bypassing the site's triggers
        "UPDATE site_0107.journal SET label = :label WHERE seq = 1",
        # in the same transaction, a published change: shows when the transaction has arrived
        "UPDATE site_0107.periods SET z_user = z_user + :shift"
        " WHERE period_id = (SELECT min(period_id) FROM site_0107.periods)",
    )
    with chain.office.connect() as connection:
        original = connection.scalar(sa.text("SELECT label FROM site_0107.journal WHERE seq = 1"))
    with site.engine.begin() as connection:
        for statement in tamper:
            connection.execute(sa.text(statement), {"label": "forged", "shift": 1000})
    sites.wait_caught_up(site.engine, chain.office, site.site_id, timeout=30)  # the periods change is there
    for engine, label in ((site.engine, "forged"), (chain.office, original)):
        with engine.connect() as connection:
            assert connection.scalar(sa.text("SELECT label FROM site_0107.journal WHERE seq = 1")) == label
    with site.engine.begin() as connection:  # put the site back as it was
        for statement in tamper:
            connection.execute(sa.text(statement), {"label": original, "shift": -1000})
    sites.wait_caught_up(site.engine, chain.office, site.site_id, timeout=30)
