"""The web application's tables: idempotency keys of client requests and kitchen display bumps.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_table(
        "web_idempotency",
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("employee_id", sa.String(11), nullable=False),
        sa.Column("method", sa.String(8), nullable=False),
        sa.Column("path", sa.String(300), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("status_code", sa.Integer),
        sa.Column("body", sa.Text),
    )
    op.create_table(
        "web_kitchen_bumps",
        sa.Column("item_key", sa.String(200), primary_key=True),
        sa.Column("bumped_at", sa.String(40), nullable=False),
        sa.Column("employee_id", sa.String(11), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("web_kitchen_bumps")
    op.drop_table("web_idempotency")
