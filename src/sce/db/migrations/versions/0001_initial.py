"""The POS schema: journal and configuration log (append-only), counters, pending signatures, orders.

Revision ID: 0001
"""

from __future__ import annotations

from alembic import op

from sce.db.tables import APPEND_ONLY, metadata

#: The tables this revision creates (later tables come with their own revisions).
TABLES = (
    "journal",
    "config_log",
    "counters",
    "pending_sign",
    "orders",
    "config_items",
    "presence",
    "periods",
)

revision = "0001"
down_revision = None

_PG_GUARD = """
CREATE OR REPLACE FUNCTION sce_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: a recorded entry is never changed or deleted', TG_TABLE_NAME;
END $$ LANGUAGE plpgsql
"""

_PG_READER = """
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sce_operator') THEN
    CREATE ROLE sce_operator NOLOGIN;
  END IF;
END $$
"""


def upgrade() -> None:
    bind = op.get_bind()
    metadata.create_all(bind, tables=[metadata.tables[name] for name in TABLES])
    for table in APPEND_ONLY:
        if bind.dialect.name == "postgresql":
            op.execute(_PG_GUARD)
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION sce_append_only()"
            )
        else:
            for action in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: a recorded entry is never "
                    "changed or deleted'); END"
                )
    if bind.dialect.name == "postgresql":
        op.execute(_PG_READER)
        op.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO sce_operator")
        op.execute("REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON journal, config_log FROM sce_operator")


def downgrade() -> None:
    raise RuntimeError("the fiscal journal is kept for 10 years: no downgrade")
