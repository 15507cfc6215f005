"""Drop ``territory.in_gosb``: the home territory is configured (``observatoire.yaml``) and its
membership read from ``territory_member`` (issue #11), so no column names one territory.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch mode: SQLite rebuilds the table; PostgreSQL drops the column in place
    with op.batch_alter_table("territory") as batch:
        batch.drop_column("in_gosb")


def downgrade() -> None:
    with op.batch_alter_table("territory") as batch:
        batch.add_column(sa.Column("in_gosb", sa.Boolean(), nullable=False, server_default=sa.false()))
