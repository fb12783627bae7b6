"""Alembic environment: runs the migrations on the engine the caller put in the config attributes."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from sce.db.tables import metadata

engine = context.config.attributes["engine"]
assert isinstance(engine, Engine)
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()
