"""Tickets handed to the terminals' printers, and when each printed (printed once, across restarts).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    op.create_table(
        "ticket_print_jobs",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("terminal_id", sa.String(40), nullable=False),
        sa.Column("ticket_number", sa.BigInteger, nullable=False),
        sa.Column("queued_at", sa.String(40), nullable=False),
        sa.Column("printed_at", sa.String(40)),
    )


def downgrade() -> None:
    op.drop_table("ticket_print_jobs")
