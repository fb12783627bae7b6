"""The POS tables. The journal and the configuration log are append-only (enforced by triggers)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

#: Every event with its FDM exchange in original form, hash-chained; the body is the sealed record.
journal = Table(
    "journal",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("recorded_at", String(40), nullable=False),
    Column("record_type", String(16), nullable=False),
    Column("event_kind", String(32)),
    Column("ticket_number", BigInteger),
    Column("label", String(8)),
    Column("fdm_id", String(32)),
    Column("employee_id", String(11)),
    Column("terminal_id", String(40)),
    Column("cost_center_id", String(64)),
    Column("order_id", String(64)),
    Column("period_id", String(64)),
    Column("booking_date", String(10)),
    Column("training", Boolean, nullable=False, default=False),
    Column("total_cents", BigInteger),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False, unique=True),
    Column("body", Text, nullable=False),
)
Index("journal_ticket", journal.c.ticket_number)
Index("journal_period", journal.c.period_id)
Index("journal_order", journal.c.order_id)
Index("journal_booking_date", journal.c.booking_date)

#: Changes of products, prices, VAT, users and settings, hash-chained like the journal.
config_log = Table(
    "config_log",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("recorded_at", String(40), nullable=False),
    Column("employee_id", String(11), nullable=False),
    Column("entity", String(32), nullable=False),
    Column("entity_id", String(64), nullable=False),
    Column("action", String(16), nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False, unique=True),
    Column("body", Text, nullable=False),
)

#: Continuous number series (ticket, invoice, report numbers) and the journal heads.
counters = Table(
    "counters",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("value", BigInteger, nullable=False),
    Column("text", String(64), nullable=False, default=""),
)

#: An event given its number and about to be (or being) signed: the crash-safe hand-off to the FDM.
pending_sign = Table(
    "pending_sign",
    metadata,
    Column("ticket_number", BigInteger, primary_key=True, autoincrement=False),
    Column("created_at", String(40), nullable=False),
    Column("event", Text, nullable=False),
    Column("effect", Text, nullable=False),
    Column("token", Text),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text, nullable=False, default=""),
)

#: Open and closed orders as JSON documents with an optimistic version.
orders = Table(
    "orders",
    metadata,
    Column("order_id", String(64), primary_key=True),
    Column("cost_center_id", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("version", Integer, nullable=False),
    Column("opened_by", String(11), nullable=False),
    Column("updated_at", String(40), nullable=False),
    Column("ticket_number", BigInteger),
    Column("body", Text, nullable=False),
)
Index("orders_status", orders.c.status, orders.c.cost_center_id)

#: Products, departments, employees, terminals and settings as versioned JSON documents.
config_items = Table(
    "config_items",
    metadata,
    Column("kind", String(32), primary_key=True),
    Column("item_id", String(64), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("body", Text, nullable=False),
)

#: Who is clocked in, since when, on which terminal.
presence = Table(
    "presence",
    metadata,
    Column("employee_id", String(11), primary_key=True),
    Column("since", String(40), nullable=False),
    Column("terminal_id", String(40), nullable=False),
)

#: Opening periods: at most 24 h, booking date = start date, closed by the Z reports.
periods = Table(
    "periods",
    metadata,
    Column("period_id", String(64), primary_key=True),
    Column("started_at", String(40), nullable=False),
    Column("ended_at", String(40)),
    Column("booking_date", String(10), nullable=False),
    Column("z_turnover", BigInteger),
    Column("z_user", BigInteger),
)

#: Which client request (its idempotency key) each committed change was made for, written in the same
#: transaction as the change: after a crash, a request's outcome is told from the database alone.
request_effects = Table(
    "request_effects",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("key", String(100), nullable=False),
    Column("recorded_at", String(40), nullable=False),
    Column("order_ids", Text, nullable=False),
    Column("ticket_numbers", Text, nullable=False),
)
Index("request_effects_key", request_effects.c.key)

APPEND_ONLY = ("journal", "config_log")
