"""PostGIS geometry column on PostgreSQL (a no-op on SQLite, which keeps GeoJSON text only).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    available = bind.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")).scalar()
    if not available:
        log.warning("PostGIS is not installed on this server: geometries are kept as GeoJSON text only")
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.execute("ALTER TABLE territory_geometry ADD COLUMN geom geometry(Geometry, 4326)")
    op.execute("CREATE INDEX ix_territory_geometry_geom ON territory_geometry USING GIST (geom)")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE territory_geometry DROP COLUMN IF EXISTS geom")
