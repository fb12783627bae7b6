"""Head office ← sites with the real POS tables: one PostgreSQL schema per site, logical replication.

Each site runs its POS on its own PostgreSQL database, with the POS tables in a schema named after
the site (``site_0042`` for site ``0042``). The POS tables are unqualified, so the site's database
URL only sets the ``search_path`` (:func:`site_url`); ``sce.db.engine.migrate`` creates the schema
on first use. Head office holds, in one database, the same schema for every site, created by the
same POS migrations run with that ``search_path`` (:func:`prepare_head_office`): logical replication
matches tables by schema-qualified name, so ``site_0042.journal`` at the site arrives in
``site_0042.journal`` at head office, and the sites never collide (each has its own record 1).

Per site:

* two **publications** in the site's database (:func:`publish_site`): ``sce_site_0042`` on the
  append-only ``journal`` and ``config_log``, inserts only (a change forced at the site never
  reaches head office's copy), and ``sce_site_0042_state`` on the ``periods`` (opening periods and
  their Z numbers, updated when they close) and the ``config_items`` rows the inspector's export
  needs (the site description and the FDM verification keys, kinds ``site`` and ``fdm_key``),
  inserts and updates;
* a **subscription** of the same name at head office (:func:`subscribe_site`), with its replication
  slot on the site's server; the rows the site already has are copied first.

A cut (:func:`cut_site`, head office stopped, network down) never stops a site: its commits wait for
its own disk only, its slot keeps the WAL head office has not confirmed, and the subscription resumes
from there (:func:`restore_site`), applying each site transaction exactly once.
:func:`wait_caught_up` compares the heads of the site and of head office (last ``seq`` and its
hash). :func:`consolidated_vat` reads the replicated journal bodies of every site (a ``UNION ALL``
over the site schemas) and :func:`export_site` writes a site's inspector export from head office.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from sce.audit.export import ExportResult, export_journal
from sce.audit.keys import KIND as KEY_KIND
from sce.chain.replication import SiteLink, check_site_id, link_name, slot_state, subscription_state
from sce.db.engine import migrate, open_engine

__all__ = [
    "EXPORT_KINDS",
    "LOG_TABLES",
    "SITE_TABLES",
    "Heads",
    "SiteLink",
    "SiteVat",
    "consolidated_vat",
    "cut_site",
    "export_site",
    "head_office_sites",
    "heads",
    "link_name",
    "prepare_head_office",
    "publication_names",
    "publish_site",
    "remove_site",
    "restore_site",
    "schema_name",
    "site_link",
    "site_url",
    "slot_lag_bytes",
    "subscribe_site",
    "wait_caught_up",
]

#: The POS tables a site publishes (all in its schema).
SITE_TABLES = ("journal", "config_log", "periods", "config_items")
#: The append-only logs among them: published for inserts only.
LOG_TABLES = ("journal", "config_log")
#: The kinds of ``config_items`` published: what the inspector's export reads besides the logs.
EXPORT_KINDS = ("site", KEY_KIND)

_PREFIX = "sce_site_"


def schema_name(site_id: str) -> str:
    """The schema holding the site's POS tables, at the site and at head office: ``site_<site_id>``."""
    return f"site_{check_site_id(site_id)}"


def site_url(database_url: str, site_id: str) -> str:
    """``database_url`` with its ``search_path`` set to the site's schema (other options kept).

    ``postgresql+psycopg://pos@host/chain`` becomes
    ``postgresql+psycopg://pos@host/chain?options=-csearch_path%3Dsite_0042``.
    """
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        raise ValueError("a site schema needs PostgreSQL")
    options = [part for part in str(url.query.get("options", "")).split() if "search_path" not in part]
    options.append(f"-csearch_path={schema_name(site_id)}")
    return url.update_query_dict({"options": " ".join(options)}).render_as_string(hide_password=False)


def prepare_head_office(head_office_url: str, site_id: str) -> None:
    """Create the site's schema and POS tables in head office's database (the POS migrations)."""
    engine = open_engine(site_url(head_office_url, site_id))
    try:
        migrate(engine)
    finally:
        engine.dispose()


def publish_site(site: sa.Engine, site_id: str) -> list[str]:
    """Create the site's publications in the site's database (the POS tables must exist); their names.

    ``sce_site_<id>``: the two logs, inserts only (an update or delete forced at the site, triggers
    disabled, never reaches head office's copy); ``sce_site_<id>_state``: the periods and the
    published configuration documents, inserts and updates.
    """
    schema = schema_name(site_id)
    # a row filter allows only simple expressions: no IN list (a varchar compared with a text array)
    kinds = " OR ".join(f"kind = '{kind}'" for kind in EXPORT_KINDS)
    logs, state = publication_names(site_id)
    statements = [
        f"CREATE PUBLICATION {logs} FOR TABLE "
        + ", ".join(f"{schema}.{table}" for table in LOG_TABLES)
        + " WITH (publish = 'insert')",
        f"CREATE PUBLICATION {state} FOR TABLE {schema}.periods, {schema}.config_items WHERE ({kinds})"
        " WITH (publish = 'insert, update')",
    ]
    with site.begin() as connection:
        for statement in statements:
            connection.execute(sa.text(statement))
    return [logs, state]


def publication_names(site_id: str) -> tuple[str, str]:
    """The site's two publications: its logs (inserts only) and its state tables."""
    name = link_name(site_id)
    return name, f"{name}_state"


def subscribe_site(
    head_office: sa.Engine, site_id: str, site_conninfo: str, *, copy_data: bool = True
) -> str:
    """Subscribe head office to the site's publications (run :func:`prepare_head_office` first).

    ``site_conninfo`` is the libpq connection string of the site's database as head office reaches
    it (``host=... port=... user=... dbname=...``). Creates the slot on the site's server.
    """
    name = link_name(site_id)
    conninfo = site_conninfo.replace("'", "''")
    with _autocommit(head_office) as connection:
        connection.execute(
            sa.text(
                f"CREATE SUBSCRIPTION {name} CONNECTION '{conninfo}' "
                f"PUBLICATION {', '.join(publication_names(site_id))} "
                f"WITH (copy_data = {'true' if copy_data else 'false'})"
            )
        )
    return name


def cut_site(head_office: sa.Engine, site_id: str, *, timeout: float = 30.0) -> None:
    """Stop receiving from the site: the subscription is disabled (the site's slot keeps its WAL).

    Returns once the apply worker has stopped, so nothing the site commits afterwards arrives.
    """
    _alter(head_office, site_id, "DISABLE")
    deadline = time.monotonic() + timeout
    while site_link(head_office, site_id).receiving:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the apply worker of site {site_id} is still running")
        time.sleep(0.05)


def restore_site(head_office: sa.Engine, site_id: str) -> None:
    """Receive from the site again, from where head office stopped."""
    _alter(head_office, site_id, "ENABLE")


def remove_site(head_office: sa.Engine, site_id: str, *, site_reachable: bool = True) -> None:
    """Drop the site's subscription (and its slot when the site is reachable); the rows stay."""
    name = link_name(site_id)
    with _autocommit(head_office) as connection:
        if not site_reachable:
            connection.execute(sa.text(f"ALTER SUBSCRIPTION {name} DISABLE"))
            connection.execute(sa.text(f"ALTER SUBSCRIPTION {name} SET (slot_name = NONE)"))
        connection.execute(sa.text(f"DROP SUBSCRIPTION IF EXISTS {name}"))


def head_office_sites(head_office: sa.Engine) -> list[str]:
    """The site ids head office subscribes to, sorted."""
    with head_office.connect() as connection:
        names = connection.scalars(
            sa.text(
                "SELECT subname FROM pg_subscription WHERE subdbid = "
                "(SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY subname"
            )
        ).all()
    return [name.removeprefix(_PREFIX) for name in names if name.startswith(_PREFIX)]


def site_link(head_office: sa.Engine, site_id: str) -> SiteLink:
    """The state of the site's subscription at head office."""
    return SiteLink(site_id, *subscription_state(head_office, link_name(site_id)))


def slot_lag_bytes(site: sa.Engine, site_id: str) -> int:
    """WAL written at the site that head office has not confirmed (asked at the site)."""
    return slot_state(site, site_id).lag_bytes


@dataclass(frozen=True)
class Heads:
    """What one side holds of a site: the heads of both logs and a digest of the small tables."""

    journal_seq: int
    journal_hash: str | None
    config_seq: int
    config_hash: str | None
    periods: str  # md5 over every period row (they change when a period closes)
    config_items: str  # md5 over the published configuration documents


def heads(engine: sa.Engine, site_id: str) -> Heads:
    """The site's heads in ``engine``'s database (a site's, or head office's): any search path."""
    schema = schema_name(site_id)
    kinds = ", ".join(f"'{kind}'" for kind in EXPORT_KINDS)
    with engine.connect() as connection:
        journal = connection.execute(
            sa.text(f"SELECT seq, hash FROM {schema}.journal ORDER BY seq DESC LIMIT 1")
        ).first()
        config = connection.execute(
            sa.text(f"SELECT seq, hash FROM {schema}.config_log ORDER BY seq DESC LIMIT 1")
        ).first()
        periods = connection.scalar(
            sa.text(
                "SELECT md5(coalesce(string_agg(p::text, '|' ORDER BY p.period_id), ''))"
                f" FROM {schema}.periods p"
            )
        )
        items = connection.scalar(
            sa.text(
                "SELECT md5(coalesce(string_agg(c::text, '|' ORDER BY c.kind, c.item_id), ''))"
                f" FROM {schema}.config_items c WHERE c.kind IN ({kinds})"
            )
        )
    return Heads(
        int(journal.seq) if journal else 0,
        str(journal.hash) if journal else None,
        int(config.seq) if config else 0,
        str(config.hash) if config else None,
        str(periods),
        str(items),
    )


def wait_caught_up(site: sa.Engine, head_office: sa.Engine, site_id: str, *, timeout: float = 30.0) -> Heads:
    """Wait until head office holds what the site holds now (same heads); those heads.

    ``TimeoutError`` says both sides' heads when head office is still behind after ``timeout``.
    """
    target = heads(site, site_id)
    deadline = time.monotonic() + timeout
    while True:
        there = heads(head_office, site_id)
        if there == target and site_link(head_office, site_id).tables_ready:
            return target
        if time.monotonic() > deadline:
            raise TimeoutError(f"head office is behind site {site_id}: site {target}, head office {there}")
        time.sleep(0.05)


@dataclass(frozen=True)
class SiteVat:
    """One line of a consolidated report: a site, a booking date, a VAT letter."""

    site_id: str
    booking_date: date
    vat_letter: str
    amount: Decimal  # sum of line totals, VAT included (refund and correction lines negative)
    lines: int  # sale lines counted
    sales: int  # SALE events with at least one line of that letter


_SITE_PART = """
SELECT CAST(:site_{n} AS text) AS site_id, j.body::jsonb AS body
FROM {schema}.journal AS j WHERE j.record_type = 'event'
"""

_VAT_SQL = """
SELECT s.site_id, CAST(s.body ->> 'booking_date' AS date) AS booking_date,
       l.line ->> 'vat' AS vat_letter,
       sum(CAST(l.line ->> 'line_total' AS numeric)) AS amount,
       count(*) AS lines,
       count(DISTINCT s.body ->> 'seq') AS sales
FROM ({parts}) AS s
CROSS JOIN LATERAL jsonb_array_elements(s.body -> 'event' -> 'lines') AS l(line)
WHERE s.body -> 'event' ->> 'kind' = 'SALE'
  AND NOT CAST(s.body -> 'event' ->> 'training' AS boolean)
  AND (CAST(:first AS date) IS NULL OR CAST(s.body ->> 'booking_date' AS date) >= :first)
  AND (CAST(:last AS date) IS NULL OR CAST(s.body ->> 'booking_date' AS date) <= :last)
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3
"""


def consolidated_vat(
    head_office: sa.Engine,
    site_ids: Sequence[str] | None = None,
    *,
    first: date | None = None,
    last: date | None = None,
) -> list[SiteVat]:
    """Sales per site, per booking date and per VAT letter, from the replicated journal bodies.

    Sums ``line_total`` of the lines of every SALE event that is not training, grouped by the line's
    ``vat`` letter; ``site_ids`` defaults to every site head office subscribes to; ``first`` and
    ``last`` bound the booking dates (inclusive).
    """
    sites = list(site_ids) if site_ids is not None else head_office_sites(head_office)
    if not sites:
        return []
    parts = " UNION ALL ".join(
        _SITE_PART.format(n=number, schema=schema_name(site)) for number, site in enumerate(sites)
    )
    params: dict[str, object] = {f"site_{number}": site for number, site in enumerate(sites)}
    params.update(first=first, last=last)
    with head_office.connect() as connection:
        rows = connection.execute(sa.text(_VAT_SQL.format(parts=parts)), params).all()
    return [
        SiteVat(
            str(row.site_id),
            row.booking_date,
            str(row.vat_letter),
            Decimal(row.amount),
            int(row.lines),
            int(row.sales),
        )
        for row in rows
    ]


def export_site(
    head_office_url: str,
    site_id: str,
    out: Path,
    *,
    start: date | None = None,
    end: date | None = None,
) -> ExportResult:
    """Write the inspector's export of the site's journal, from head office's copy, into ``out``.

    The same :func:`sce.audit.export.export_journal` as at the site, on an engine whose
    ``search_path`` is the site's schema at head office: the same files, verifiable by ``sce verify``.
    """
    engine = open_engine(site_url(head_office_url, site_id))
    try:
        return export_journal(engine, out, start=start, end=end)
    finally:
        engine.dispose()


def _alter(head_office: sa.Engine, site_id: str, action: str) -> None:
    with _autocommit(head_office) as connection:
        connection.execute(sa.text(f"ALTER SUBSCRIPTION {link_name(site_id)} {action}"))


def _autocommit(engine: sa.Engine) -> sa.Connection:
    """A connection outside any transaction block (CREATE/ALTER/DROP SUBSCRIPTION need one)."""
    return engine.connect().execution_options(isolation_level="AUTOCOMMIT")
