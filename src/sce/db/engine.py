"""Opening the database: durable SQLite (WAL, synchronous FULL) or PostgreSQL, migrated to the head."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.pool import NullPool

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def open_engine(url: str) -> Engine:
    """An engine for ``url`` (``sqlite:///path.db`` or ``postgresql+psycopg://...``)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (idempotent).

    On PostgreSQL, when the connection's ``search_path`` begins with a schema other than ``public``
    (a site of a chain: ``?options=-csearch_path%3Dsite_0042``), that schema is created if it does
    not exist yet, so the tables, the append-only triggers and ``alembic_version`` all land in it,
    and the read-only ``sce_operator`` role is given read access to it (no write on the two logs).
    SQLite and the default search path are migrated as before.
    """
    schema = _site_schema(engine)
    command.upgrade(alembic_config(engine), "head")
    if schema is not None:
        with engine.begin() as connection:
            connection.execute(text(f"GRANT USAGE ON SCHEMA {schema} TO sce_operator"))
            connection.execute(text(f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO sce_operator"))
            connection.execute(
                text("REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON journal, config_log FROM sce_operator")
            )


def _site_schema(engine: Engine) -> str | None:
    """The first schema of a PostgreSQL ``search_path`` other than ``public`` (created when missing);
    ``None`` for SQLite and for the default search path."""
    if engine.dialect.name != "postgresql":
        return None
    # a separate engine: the caller's engine reads its default schema on its first connection,
    # which must see the schema already created
    probe = create_engine(engine.url, poolclass=NullPool)
    try:
        with probe.begin() as connection:
            path = str(connection.execute(text("SHOW search_path")).scalar_one())
            names = [name.strip().strip('"') for name in path.split(",") if name.strip()]
            names = [name for name in names if name and name != "$user"]
            if not names or names[0] in {"public", "pg_catalog", "pg_temp"}:
                return None
            schema = names[0]
            quoted = connection.dialect.identifier_preparer.quote_identifier(schema)
            exists = connection.execute(
                text("SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = :name)"), {"name": schema}
            ).scalar_one()
            if not exists:
                connection.execute(text(f"CREATE SCHEMA {quoted}"))
            return quoted
    finally:
        probe.dispose()
