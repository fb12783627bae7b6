"""Head office ← sites over PostgreSQL logical replication, between two real servers on loopback.

Each test gets fresh databases on two servers started for this module (a site server and a head-office
server), a publication at the site and a subscription at head office. The cut tests stop, kill or
disconnect one side while the site keeps appending, then prove that head office ends up with exactly
the site's rows: same numbers, same hashes, no gap, no double, the chain verifiable there.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from sce.chain import replication
from sce.chain.tables import append_record, create_tables, sale_payload, verify_chain, z_reports
from sce.devtools.pgcluster import PostgresCluster

_numbers = itertools.count(1)
DAY = date(2026, 11, 21)


@dataclass
class Link:
    site_cluster: PostgresCluster
    office_cluster: PostgresCluster
    site: sa.Engine
    office: sa.Engine
    site_id: str


@pytest.fixture(scope="module")
def clusters() -> Iterator[tuple[PostgresCluster, PostgresCluster]]:
    with PostgresCluster(name="sce-site") as site, PostgresCluster(name="sce-office") as office:
        yield site, office


def _connect(
    site_cluster: PostgresCluster, office_cluster: PostgresCluster, office: sa.Engine, site_id: str
) -> Link:
    site_cluster.start()
    url = site_cluster.create_database(site_id)
    site = sa.create_engine(url, poolclass=NullPool)
    create_tables(site)
    replication.publish_site(site, site_id)
    return Link(site_cluster, office_cluster, site, office, site_id)


@pytest.fixture
def office(clusters: tuple[PostgresCluster, PostgresCluster]) -> Iterator[sa.Engine]:
    office_cluster = clusters[1]
    office_cluster.start()
    engine = sa.create_engine(office_cluster.create_database(f"office_{next(_numbers)}"), poolclass=NullPool)
    create_tables(engine)
    yield engine
    for cluster in clusters:  # a failed test may have left one down
        cluster.start()
    with engine.connect() as connection:
        names = connection.scalars(sa.text("SELECT subname FROM pg_subscription")).all()
    for name in names:
        replication.remove_site(engine, name.removeprefix("sce_site_"))
    engine.dispose()


@pytest.fixture
def link(clusters: tuple[PostgresCluster, PostgresCluster], office: sa.Engine) -> Link:
    site_cluster, office_cluster = clusters
    return _connect(site_cluster, office_cluster, office, f"site{next(_numbers)}")


def _subscribe(link: Link) -> None:
    replication.subscribe_site(link.office, link.site_id, link.site_cluster.conninfo(link.site_id))


def _sell(link: Link, count: int, day: date = DAY) -> None:
    for number in range(count):
        append_record(link.site, link.site_id, sale_payload(day, {"A": (1000 + number, 210), "C": (500, 30)}))


def _journal(engine: sa.Engine, site_id: str) -> list[tuple[int, str, str]]:
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT seq, prev_hash, hash FROM journal_records WHERE site_id = :s ORDER BY seq"),
            {"s": site_id},
        )
        return [(row.seq, row.prev_hash, row.hash) for row in rows]


def _assert_same_journal(link: Link, expected_count: int) -> None:
    replication.wait_caught_up(link.site, link.office, link.site_id, timeout=30)
    at_site, at_office = _journal(link.site, link.site_id), _journal(link.office, link.site_id)
    assert len(at_site) == expected_count
    assert at_office == at_site  # same numbers and hashes, in order: nothing lost, nothing doubled
    with link.office.connect() as connection:
        assert verify_chain(connection, link.site_id) is None


def test_site_rows_reach_head_office_existing_and_new(link: Link) -> None:
    _sell(link, 5)  # before the subscription: copied
    _subscribe(link)
    _sell(link, 15)  # after: streamed
    with link.site.begin() as connection:
        connection.execute(
            z_reports.insert().values(
                site_id=link.site_id,
                z_number=1,
                booking_date=DAY,
                last_seq=20,
                totals={"A": {"net_cents": 1}},
            )
        )
        # a row of another site in this site's database is not this site's to send
        connection.execute(
            sa.text(
                "INSERT INTO journal_records (site_id, seq, prev_hash, hash, payload)"
                " VALUES ('elsewhere', 1, '', '', '{}')"
            )
        )
    _assert_same_journal(link, 20)
    with link.office.connect() as connection:
        assert connection.scalar(sa.text("SELECT count(*) FROM z_reports")) == 1
        assert (
            connection.scalar(
                sa.text("SELECT count(*) FROM journal_records WHERE site_id <> :s"), {"s": link.site_id}
            )
            == 0
        )
    state = replication.site_link(link.office, link.site_id)
    assert state.enabled and state.tables_ready


def test_head_office_down_site_keeps_selling_then_catches_up(link: Link) -> None:
    _subscribe(link)
    _sell(link, 10)
    replication.wait_caught_up(link.site, link.office, link.site_id)
    link.office_cluster.stop()
    started = time.monotonic()
    _sell(link, 40)  # the site does not wait for head office
    assert time.monotonic() - started < 10
    slot = replication.slot_state(link.site, link.site_id)
    assert not slot.active and slot.lag_bytes > 0  # the site keeps the WAL head office has not confirmed
    link.office_cluster.start()
    _assert_same_journal(link, 50)
    assert replication.slot_state(link.site, link.site_id).active


def test_head_office_killed_mid_stream_applies_each_row_once(link: Link) -> None:
    _subscribe(link)
    seller = threading.Thread(target=_sell, args=(link, 150))
    seller.start()
    time.sleep(0.3)
    link.office_cluster.kill()  # SIGKILL: head office crashes while rows stream in
    time.sleep(0.3)
    link.office_cluster.start()
    time.sleep(0.2)
    link.office_cluster.kill()
    link.office_cluster.start()
    seller.join()
    _assert_same_journal(link, 150)


def test_link_paused_and_sender_cut_then_resumed(link: Link) -> None:
    _subscribe(link)
    _sell(link, 5)
    replication.wait_caught_up(link.site, link.office, link.site_id)
    replication.set_link_enabled(link.office, link.site_id, False)
    _sell(link, 20)
    time.sleep(0.5)
    assert replication.rows_behind(link.site, link.office, link.site_id)["journal_records"] == 20
    assert not replication.site_link(link.office, link.site_id).enabled
    replication.set_link_enabled(link.office, link.site_id, True)
    # cut the network side: end the site's WAL sender several times while selling
    for _ in range(3):
        _sell(link, 10)
        with link.site.connect() as connection:
            connection.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_replication WHERE application_name = :n"
                ),
                {"n": replication.link_name(link.site_id)},
            )
    _assert_same_journal(link, 55)


def test_site_crash_replays_nothing_twice(link: Link) -> None:
    _subscribe(link)
    _sell(link, 20)
    link.site_cluster.kill()  # the site server crashes before head office confirmed everything
    link.site_cluster.start()
    _sell(link, 20)
    _assert_same_journal(link, 40)


def test_many_sites_one_head_office_consolidated_per_site_day_and_vat_letter(
    clusters: tuple[PostgresCluster, PostgresCluster], office: sa.Engine
) -> None:
    site_cluster, office_cluster = clusters
    sites = [_connect(site_cluster, office_cluster, office, f"site{next(_numbers)}") for _ in range(2)]
    second_day = date(2026, 11, 22)
    for index, link in enumerate(sites):
        _subscribe(link)
        # same record numbers at both sites: no collision at head office
        append_record(link.site, link.site_id, sale_payload(DAY, {"A": (1000, 210), "B": (100 * index, 12)}))
        append_record(link.site, link.site_id, sale_payload(DAY, {"A": (-500, -105)}))  # a refund
        append_record(link.site, link.site_id, {"event": "work_in"})
        append_record(link.site, link.site_id, sale_payload(second_day, {"C": (2000 + index, 120)}))
        with link.site.begin() as connection:
            for z_number, (day, totals) in enumerate(
                [
                    (
                        DAY,
                        {
                            "A": {"net_cents": 500, "vat_cents": 105},
                            "B": {"net_cents": 100 * index, "vat_cents": 12},
                        },
                    ),
                    (second_day, {"C": {"net_cents": 2000 + index, "vat_cents": 120}}),
                ],
                start=1,
            ):
                connection.execute(
                    z_reports.insert().values(
                        site_id=link.site_id, z_number=z_number, booking_date=day, last_seq=4, totals=totals
                    )
                )
    for link in sites:
        _assert_same_journal(link, 4)
    with office.connect() as connection:
        report = replication.consolidated_vat(connection)
        from_z = replication.z_report_vat(connection)
        first_only = replication.consolidated_vat(connection, site_id=sites[0].site_id, first=second_day)
    expected = []
    for index, link in enumerate(sites):
        expected += [
            (link.site_id, DAY, "A", 500, 105, 2),
            (link.site_id, DAY, "B", 100 * index, 12, 1),
            (link.site_id, second_day, "C", 2000 + index, 120, 1),
        ]
    assert [
        (t.site_id, t.booking_date, t.vat_letter, t.net_cents, t.vat_cents, t.records) for t in report
    ] == expected
    assert [(t.site_id, t.booking_date, t.vat_letter, t.net_cents, t.vat_cents) for t in from_z] == [
        row[:5] for row in expected
    ]
    assert [(t.booking_date, t.vat_letter) for t in first_only] == [(second_day, "C")]
