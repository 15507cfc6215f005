"""Tables of the SQL store (SQLAlchemy Core). Alembic migrations in ``etl/store/migrations``
create and evolve them; this module is the single place their shape is written down.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

territory = sa.Table(
    "territory",
    metadata,
    sa.Column("code", sa.String(12), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column(
        "level", sa.String(20), nullable=False
    ),  # commune, arrondissement, ept, mgp, departement, france
    sa.Column("dep_code", sa.String(3)),
    sa.Column("ept_code", sa.String(4)),  # T1..T12 for MGP communes
    sa.Column("in_mgp", sa.Boolean, nullable=False, default=False),
    sa.Column("in_gosb", sa.Boolean, nullable=False, default=False),
    sa.Column("siren", sa.String(9)),
    sa.Column("population", sa.Integer),  # reference population of the COG file (for sorting/search)
    sa.Index("ix_territory_level", "level"),
)

territory_member = sa.Table(
    "territory_member",
    metadata,
    sa.Column("geo_vintage", sa.Integer, primary_key=True),
    sa.Column("group_code", sa.String(12), primary_key=True),
    sa.Column("member_code", sa.String(12), primary_key=True),
    sa.Index("ix_member_member", "member_code"),
)

territory_geometry = sa.Table(
    "territory_geometry",
    metadata,
    sa.Column("code", sa.String(12), primary_key=True),
    sa.Column("geo_vintage", sa.Integer, primary_key=True),
    sa.Column("level", sa.String(20), nullable=False),
    sa.Column("geojson", sa.Text, nullable=False),  # GeoJSON geometry (EPSG:4326), simplified for the web
    sa.Column("lon", sa.Float),
    sa.Column("lat", sa.Float),
    sa.Column("area_km2", sa.Float),
)

variable = sa.Table(
    "variable",
    metadata,
    sa.Column("id", sa.String(60), primary_key=True),
    sa.Column("label_fr", sa.String(300), nullable=False),
    sa.Column("label_en", sa.String(300), nullable=False),
    sa.Column("unit", sa.String(40), nullable=False),
    sa.Column("additive", sa.Boolean, nullable=False),
    sa.Column("description", sa.Text),
)

source = sa.Table(
    "source",
    metadata,
    sa.Column("id", sa.String(60), primary_key=True),
    sa.Column("title_fr", sa.String(300), nullable=False),
    sa.Column("title_en", sa.String(300), nullable=False),
    sa.Column("producer", sa.String(200), nullable=False),
    sa.Column("dataset", sa.String(300), nullable=False),
    sa.Column("vintage", sa.String(60), nullable=False),
    sa.Column("licence", sa.String(200), nullable=False),
    sa.Column("licence_url", sa.String(300)),
    sa.Column("page_url", sa.String(500)),
    sa.Column("credit_fr", sa.String(500), nullable=False),
    sa.Column("credit_en", sa.String(500), nullable=False),
    sa.Column("notes", sa.Text),
)

raw_file = sa.Table(
    "raw_file",
    metadata,
    sa.Column("source_id", sa.String(60), primary_key=True),
    sa.Column("file_key", sa.String(60), primary_key=True),
    sa.Column("path", sa.String(500), nullable=False),
    sa.Column("url", sa.String(1000)),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("rows", sa.Integer),
    sa.Column("origin", sa.String(20), nullable=False),  # raw-dir, mirror, download, cache
    sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
)

observation = sa.Table(
    "observation",
    metadata,
    sa.Column("code", sa.String(12), primary_key=True),
    sa.Column("variable", sa.String(60), primary_key=True),
    sa.Column("year", sa.Integer, primary_key=True),
    sa.Column("month", sa.Integer, primary_key=True),  # 0 = annual value
    sa.Column("value", sa.Float),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("source_id", sa.String(60), nullable=False),
    sa.Index("ix_observation_variable_year", "variable", "year", "month"),
)

quality_flag = sa.Table(
    "quality_flag",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("source_id", sa.String(60), nullable=False),
    sa.Column("code", sa.String(12)),
    sa.Column("variable", sa.String(60)),
    sa.Column("year", sa.Integer),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Index("ix_flag_source", "source_id"),
)

load_run = sa.Table(
    "load_run",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    sa.Column("status", sa.String(20), nullable=False),  # running, ok, failed
    sa.Column("summary", sa.Text),  # JSON
)

#: Tables an ETL run replaces wholesale (officer tables are never in this list).
ETL_TABLES = (
    territory,
    territory_member,
    territory_geometry,
    variable,
    source,
    raw_file,
    observation,
    quality_flag,
)
