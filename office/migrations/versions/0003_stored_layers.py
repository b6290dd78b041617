"""Where each dataset's canonical parcels are kept (GeoParquet in the workspace, or a PostGIS
table), when they were stored, how many rows and the columns' pandas dtypes (a PostGIS read gives
them back as SQL types).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":  # the layers' own schema, made once (not by each upload)
        op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        op.execute('CREATE SCHEMA IF NOT EXISTS "huli_layers"')
    op.create_table(
        "stored_layers",
        sa.Column("dataset_id", sa.String(16), primary_key=True),
        sa.Column("storage", sa.String(16), nullable=False),
        sa.Column("stored_at", sa.DateTime, nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("dtypes", sa.JSON, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("stored_layers")
