"""Jobs handed to the kitchen and bar device printers, until each printed (kept across restarts).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from alembic import op

from sce.web.pos.device_queue import station_print_jobs

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    station_print_jobs.create(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    station_print_jobs.drop(op.get_bind(), checkfirst=True)
