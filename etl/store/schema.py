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
    ),  # commune, arrondissement, ept, mgp, departement, region, epci, france
    sa.Column("dep_code", sa.String(3)),
    sa.Column("ept_code", sa.String(4)),  # T1, T2 … for MGP communes
    sa.Column("in_mgp", sa.Boolean, nullable=False, default=False),
    # deprecated (issue #11): never read, written False; the home's members are in territory_member
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
    sa.Column("vintage", sa.String(300), nullable=False),
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
    # clustered on the primary key in SQLite: rows are stored once, not in a table + a PK index
    sqlite_with_rowid=False,
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

# --- officer tables (issue #6) ------------------------------------------------------------------
# Officers' work: never in ETL_TABLES, so an ETL run never deletes or rewrites them. No foreign key
# points at an ETL table (indicator ids and territory codes are plain strings), since those tables
# are emptied and refilled by every run.

app_user = sa.Table(
    "app_user",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(64), nullable=False, unique=True),
    sa.Column("display_name", sa.String(200)),
    sa.Column("password_hash", sa.String(255), nullable=False),  # argon2id, never a plain password
    sa.Column("role", sa.String(20), nullable=False),  # officer, admin
    sa.Column("active", sa.Boolean, nullable=False, default=True),
    sa.Column("session_epoch", sa.Integer, nullable=False, default=0),  # bumped to revoke sessions
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_login_at", sa.DateTime(timezone=True)),
)

note = sa.Table(
    "note",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("indicator", sa.String(80)),  # catalogue id, or NULL for a note on a territory
    sa.Column("code", sa.String(12)),  # territory code (commune, T6, MGP…), or NULL
    sa.Column("note_date", sa.Date, nullable=False),  # the date the note is about
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("public", sa.Boolean, nullable=False, default=False),
    sa.Column("author_id", sa.Integer, sa.ForeignKey("app_user.id"), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("archived_at", sa.DateTime(timezone=True)),  # archived, never deleted
    sa.Column("version", sa.Integer, nullable=False, default=1),  # optimistic concurrency
    sa.Index("ix_note_indicator", "indicator"),
    sa.Index("ix_note_code", "code"),
)

target = sa.Table(
    "target",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("indicator", sa.String(80), nullable=False),
    sa.Column("code", sa.String(12), nullable=False),
    sa.Column("value", sa.Float, nullable=False),  # in the indicator's unit (e.g. 25 for 25 %)
    sa.Column("target_date", sa.Date, nullable=False),
    sa.Column("label", sa.String(200)),  # e.g. "Loi SRU : 25 % de logements sociaux"
    sa.Column("public", sa.Boolean, nullable=False, default=False),
    sa.Column("created_by", sa.Integer, sa.ForeignKey("app_user.id"), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("archived_at", sa.DateTime(timezone=True)),
    sa.Column("version", sa.Integer, nullable=False, default=1),
    sa.Index("ix_target_indicator_code", "indicator", "code"),
)

saved_view = sa.Table(
    "saved_view",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("owner_id", sa.Integer, sa.ForeignKey("app_user.id"), nullable=False),
    sa.Column("name", sa.String(120), nullable=False),
    sa.Column("url", sa.String(2000), nullable=False),  # a path and query string of the app
    sa.Column("shared", sa.Boolean, nullable=False, default=False),  # visible to every officer
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("archived_at", sa.DateTime(timezone=True)),
)

data_upload = sa.Table(
    "data_upload",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("source_id", sa.String(60), nullable=False),  # the declared source whose parser reads it
    sa.Column("file_key", sa.String(60), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("stored_path", sa.String(500), nullable=False),  # relative to the data folder
    sa.Column("original_name", sa.String(255)),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("vintage", sa.String(60), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),  # publishing, published, failed, withdrawn
    sa.Column("uploaded_by", sa.Integer, sa.ForeignKey("app_user.id"), nullable=False),
    sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("published_at", sa.DateTime(timezone=True)),
    sa.Column("summary", sa.Text),  # JSON: what the upload changed
    sa.Column("error", sa.Text),
    sa.UniqueConstraint("source_id", "file_key", "sha256", name="uq_upload_file"),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("user_id", sa.Integer),  # NULL for the command line
    sa.Column("username", sa.String(64), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),  # e.g. note.create, upload.publish
    sa.Column("entity", sa.String(30), nullable=False),
    sa.Column("entity_id", sa.String(64)),
    sa.Column("detail", sa.Text),  # JSON: before / after
    sa.Column("remote_addr", sa.String(64)),
    sa.Index("ix_audit_at", "at"),
)

#: Officer tables (issue #6): kept across ETL runs, included in backups.
OFFICER_TABLES = (app_user, note, target, saved_view, data_upload, audit_log)
