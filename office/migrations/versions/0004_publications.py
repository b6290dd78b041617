"""The history of the district-wide settings: every publication with its value, person and time.

The settings published before this revision start their history with their current value.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "publications",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(64), nullable=False, index=True),
        sa.Column("value", sa.JSON, nullable=True),
        sa.Column("published_at", sa.DateTime, nullable=False),
        sa.Column("published_by", sa.String(64), nullable=True),
    )
    op.execute("INSERT INTO publications (key, value, published_at, published_by) "
               "SELECT key, value, updated_at, updated_by FROM shared_settings")


def downgrade() -> None:
    op.drop_table("publications")
