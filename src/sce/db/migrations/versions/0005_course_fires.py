"""Courses fired to the kitchen: one row per order and course (a kitchen instruction, not fiscal).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    op.create_table(
        "course_fires",
        sa.Column("order_id", sa.String(64), primary_key=True),
        sa.Column("course", sa.Integer, primary_key=True),
        sa.Column("table_id", sa.String(64), nullable=False),
        sa.Column("fired_at", sa.String(40), nullable=False),
        sa.Column("employee_id", sa.String(11), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("course_fires")
