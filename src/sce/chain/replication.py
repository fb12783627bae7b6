"""Head office ← sites: each site's append-only journal and reports, through PostgreSQL logical replication.

The engine does the transport; this module only sets it up, watches it and reads the result.

Layout (the choice, and why):

* **one publication per site**, created in the site's database, named ``sce_site_<site_id>``, on the
  site's append-only tables, with a row filter ``WHERE site_id = '<site_id>'`` and
  ``publish = 'insert'``: a site only ever sends its own rows, and only new rows. An update or a
  delete at a site (which the POS never does: the journal is append-only) is *not* propagated, so
  the copy at head office keeps what was first recorded;
* **one subscription per site** in the head-office database, same name, each with its own
  replication slot on the site's server;
* **one set of tables at head office for all sites**, identical to a site's, whose primary keys
  begin with ``site_id``: rows of every site live side by side without key collisions (each site
  has its own record number 1), and a consolidated report is a plain ``GROUP BY site_id``.

This layout needs tables keyed by site; the POS tables are not (their keys are the site's own
numbers), so the chain with the real POS keeps each site's tables in a schema named after the site
instead: see :mod:`sce.chain.sites`. This module and the representative tables of
:mod:`sce.chain.tables` remain for tables that carry a site column and for the fault drills.

On a cut (head office down, network down, subscription disabled) the site keeps writing; its
replication slot keeps the WAL from the last row head office confirmed. When the link is back the
subscription resumes from there. Head office records, in the same transaction as each applied
site transaction, how far it got (its replication origin), so a transaction is applied once: none
lost, none doubled, even across a crash of either side.

The tables must exist at head office before :func:`subscribe_site` (DDL is not replicated).
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from sce.chain.tables import quote_table

__all__ = [
    "SiteLink",
    "SlotState",
    "VatTotal",
    "check_site_id",
    "consolidated_vat",
    "link_name",
    "publish_site",
    "remove_site",
    "rows_behind",
    "set_link_enabled",
    "site_link",
    "slot_state",
    "subscribe_site",
    "wait_caught_up",
    "z_report_vat",
]

DEFAULT_TABLES = ("journal_records", "z_reports")
_SITE_ID = re.compile(r"^[a-z0-9][a-z0-9_]{0,39}$")  # prefixed with sce_site_: a valid identifier
_OPERATIONS = frozenset({"insert", "update", "delete", "truncate"})


@dataclass(frozen=True)
class SiteLink:
    """The site's link as head office sees it."""

    site_id: str
    enabled: bool  # the subscription is enabled
    receiving: bool  # its apply worker runs (connected or connecting to the site)
    tables_ready: bool  # the initial copy of every table is done


@dataclass(frozen=True)
class SlotState:
    """The site's link as the site sees it: its replication slot."""

    active: bool  # a WAL sender streams from it to head office right now
    lag_bytes: int  # WAL written at the site that head office has not confirmed yet


@dataclass(frozen=True)
class VatTotal:
    """One line of a consolidated report: a site, a booking date, a VAT letter."""

    site_id: str
    booking_date: date
    vat_letter: str
    net_cents: int
    vat_cents: int
    records: int


def check_site_id(site_id: str) -> str:
    """``site_id`` if it is lower-case letters, digits and _, 1 to 40 long (it names schemas, publications,
    subscriptions and slots); raises ``ValueError`` otherwise."""
    if not _SITE_ID.match(site_id):
        raise ValueError(f"a site id is lower-case letters, digits and _, 1 to 40 long: {site_id!r}")
    return site_id


def link_name(site_id: str) -> str:
    """The name of the site's publication, of its subscription at head office and of its slot."""
    return f"sce_site_{check_site_id(site_id)}"


def publish_site(
    site: sa.Engine,
    site_id: str,
    tables: Sequence[str] = DEFAULT_TABLES,
    *,
    site_column: str | None = "site_id",
    operations: Sequence[str] = ("insert",),
) -> str:
    """Create the site's publication in its own database; its name.

    ``site_column`` names the column holding the site id in every table (a row filter then keeps
    other sites' rows out); ``None`` publishes whole tables. ``operations`` defaults to inserts
    only, right for append-only tables.
    """
    name = link_name(site_id)
    if not tables or not set(operations) <= _OPERATIONS:
        raise ValueError("at least one table, and operations among insert, update, delete, truncate")
    if site_column is not None and not site_column.isidentifier():
        raise ValueError(f"not a column name: {site_column!r}")
    row_filter = f" WHERE ({site_column} = '{site_id}')" if site_column else ""
    members = ", ".join(f"{quote_table(table)}{row_filter}" for table in tables)
    with site.begin() as connection:
        connection.execute(
            sa.text(
                f"CREATE PUBLICATION {name} FOR TABLE {members} WITH (publish = '{', '.join(operations)}')"
            )
        )
    return name


def subscribe_site(
    head_office: sa.Engine, site_id: str, site_conninfo: str, *, copy_data: bool = True
) -> str:
    """Create the subscription at head office to the site's publication; its name.

    ``site_conninfo`` is a libpq connection string of the site's database as head office reaches it
    (``host=... port=... user=... dbname=...``). ``copy_data`` first copies the rows the site
    already has. This also creates the replication slot on the site's server.
    """
    name = link_name(site_id)
    conninfo = site_conninfo.replace("'", "''")
    with _autocommit(head_office) as connection:
        connection.execute(
            sa.text(
                f"CREATE SUBSCRIPTION {name} CONNECTION '{conninfo}' PUBLICATION {name} "
                f"WITH (copy_data = {'true' if copy_data else 'false'})"
            )
        )
    return name


def set_link_enabled(head_office: sa.Engine, site_id: str, enabled: bool) -> None:
    """Pause (the site's slot then keeps its WAL) or resume the site's subscription at head office."""
    with _autocommit(head_office) as connection:
        connection.execute(
            sa.text(f"ALTER SUBSCRIPTION {link_name(site_id)} {'ENABLE' if enabled else 'DISABLE'}")
        )


def remove_site(head_office: sa.Engine, site_id: str, *, site_reachable: bool = True) -> None:
    """Drop the site's subscription (the rows already received stay at head office).

    When the site cannot be reached its slot is left behind: drop it there later with
    ``SELECT pg_drop_replication_slot('sce_site_<site_id>')``, or it keeps WAL forever.
    """
    name = link_name(site_id)
    with _autocommit(head_office) as connection:
        if not site_reachable:
            connection.execute(sa.text(f"ALTER SUBSCRIPTION {name} DISABLE"))
            connection.execute(sa.text(f"ALTER SUBSCRIPTION {name} SET (slot_name = NONE)"))
        connection.execute(sa.text(f"DROP SUBSCRIPTION IF EXISTS {name}"))


def site_link(head_office: sa.Engine, site_id: str) -> SiteLink:
    """The state of the site's subscription at head office."""
    return SiteLink(site_id, *subscription_state(head_office, link_name(site_id)))


def subscription_state(head_office: sa.Engine, subscription: str) -> tuple[bool, bool, bool]:
    """Enabled, worker running, every table synchronised: one subscription as head office sees it."""
    with head_office.connect() as connection:
        row = connection.execute(
            sa.text(
                "SELECT s.subenabled,"
                " EXISTS (SELECT 1 FROM pg_stat_subscription w WHERE w.subid = s.oid AND w.relid IS NULL"
                "         AND w.pid IS NOT NULL),"
                " NOT EXISTS (SELECT 1 FROM pg_subscription_rel r WHERE r.srsubid = s.oid"
                "             AND r.srsubstate <> 'r')"
                " FROM pg_subscription s WHERE s.subname = :name"
            ),
            {"name": subscription},
        ).one()
    return bool(row[0]), bool(row[1]), bool(row[2])


def slot_state(site: sa.Engine, site_id: str) -> SlotState:
    """The state of the site's replication slot, asked at the site (works while head office is down)."""
    with site.connect() as connection:
        row = connection.execute(
            sa.text(
                "SELECT active, pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint"
                " FROM pg_replication_slots WHERE slot_name = :name"
            ),
            {"name": link_name(site_id)},
        ).one()
    return SlotState(bool(row[0]), int(row[1] or 0))


def rows_behind(
    site: sa.Engine,
    head_office: sa.Engine,
    site_id: str,
    tables: Sequence[str] = DEFAULT_TABLES,
    *,
    site_column: str = "site_id",
) -> dict[str, int]:
    """Per table, how many of the site's rows head office does not have yet (negative: more there)."""
    counts: list[dict[str, int]] = []
    for engine in (site, head_office):
        with engine.connect() as connection:
            counts.append(
                {
                    table: int(
                        connection.scalar(
                            sa.text(f"SELECT count(*) FROM {quote_table(table)} WHERE {site_column} = :site"),
                            {"site": site_id},
                        )
                        or 0
                    )
                    for table in tables
                }
            )
    return {table: counts[0][table] - counts[1][table] for table in tables}


def wait_caught_up(
    site: sa.Engine,
    head_office: sa.Engine,
    site_id: str,
    tables: Sequence[str] = DEFAULT_TABLES,
    *,
    site_column: str = "site_id",
    timeout: float = 30.0,
) -> None:
    """Wait until head office has every row the site has now; ``TimeoutError`` says how far it got."""
    deadline = time.monotonic() + timeout
    behind = rows_behind(site, head_office, site_id, tables, site_column=site_column)
    while time.monotonic() < deadline:
        behind = rows_behind(site, head_office, site_id, tables, site_column=site_column)
        if not any(behind.values()) and site_link(head_office, site_id).tables_ready:
            return
        time.sleep(0.05)
    raise TimeoutError(f"head office still misses rows of site {site_id}: {behind}")


_VAT_SQL = """
SELECT t.site_id, {day} AS booking_date, v.key AS vat_letter,
       sum((v.value ->> 'net_cents')::bigint) AS net_cents,
       sum((v.value ->> 'vat_cents')::bigint) AS vat_cents,
       count(*) AS records
FROM {table} AS t CROSS JOIN LATERAL jsonb_each(t.{column}) AS v(key, value)
WHERE (CAST(:site_id AS text) IS NULL OR t.site_id = :site_id)
  AND (CAST(:first AS date) IS NULL OR {day} >= :first)
  AND (CAST(:last AS date) IS NULL OR {day} <= :last)
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3
"""


def consolidated_vat(
    head_office: sa.Connection,
    *,
    journal_table: str = "journal_records",
    site_id: str | None = None,
    first: date | None = None,
    last: date | None = None,
) -> list[VatTotal]:
    """Turnover per site, per booking date and per VAT letter, summed over the journal's events.

    Reads ``payload -> 'vat'`` of every record (see :mod:`sce.chain.tables`); refunds count with
    their negative amounts. Optionally one site and/or a range of booking dates (inclusive).
    """
    sql = _VAT_SQL.format(
        table=quote_table(journal_table),
        column="payload -> 'vat'",
        day="(t.payload ->> 'booking_date')::date",
    )
    return _vat_totals(head_office, sql, site_id, first, last)


def z_report_vat(
    head_office: sa.Connection,
    *,
    z_table: str = "z_reports",
    site_id: str | None = None,
    first: date | None = None,
    last: date | None = None,
) -> list[VatTotal]:
    """The same figures read from the sites' Z reports (``records`` counts Z reports)."""
    sql = _VAT_SQL.format(table=quote_table(z_table), column="totals", day="t.booking_date")
    return _vat_totals(head_office, sql, site_id, first, last)


def _vat_totals(
    connection: sa.Connection, sql: str, site_id: str | None, first: date | None, last: date | None
) -> list[VatTotal]:
    rows = connection.execute(sa.text(sql), {"site_id": site_id, "first": first, "last": last})
    return [
        VatTotal(
            row.site_id, row.booking_date, row.vat_letter, int(row.net_cents), int(row.vat_cents), row.records
        )
        for row in rows
    ]


def _autocommit(engine: sa.Engine) -> sa.Connection:
    """A connection outside any transaction block (CREATE/ALTER/DROP SUBSCRIPTION need one)."""
    return engine.connect().execution_options(isolation_level="AUTOCOMMIT")
