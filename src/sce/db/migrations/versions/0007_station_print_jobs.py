"""Jobs handed to the kitchen and bar device printers, until each printed (kept across restarts).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    op.create_table(
        "station_print_jobs",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("printer", sa.String(200), nullable=False),
        sa.Column("rows", sa.Text, nullable=False),
        sa.Column("queued_at", sa.String(40), nullable=False),
        sa.Column("printed_at", sa.String(40)),
    )


def downgrade() -> None:
    op.drop_table("station_print_jobs")
