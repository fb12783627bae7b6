"""Which client request each committed change was made for (``request_effects``).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.create_table(
        "request_effects",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("recorded_at", sa.String(40), nullable=False),
        sa.Column("order_ids", sa.Text, nullable=False),
        sa.Column("ticket_numbers", sa.Text, nullable=False),
    )
    op.create_index("request_effects_key", "request_effects", ["key"])


def downgrade() -> None:
    op.drop_index("request_effects_key", table_name="request_effects")
    op.drop_table("request_effects")
