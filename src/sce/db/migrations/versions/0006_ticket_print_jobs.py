"""Tickets handed to the terminals' printers, and when each printed (printed once, across restarts).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op

from sce.web.pos.ticket_printers import ticket_print_jobs

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    ticket_print_jobs.create(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    ticket_print_jobs.drop(op.get_bind(), checkfirst=True)
