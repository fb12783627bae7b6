"""The outbox of e-mailed tickets (SCE 2.0 digital ticket): an address lives here only until delivery.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

from sce.tickets.mail import ticket_outbox

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    ticket_outbox.create(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    ticket_outbox.drop(op.get_bind(), checkfirst=True)
