"""Alembic environment: run migrations on the connection handed over by ``etl.store.db.migrate``."""

from __future__ import annotations

from alembic import context

from etl.store.schema import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when alembic is called from its own CLI
    from sqlalchemy import create_engine

    from etl.config import default_database_url

    connection = create_engine(config.get_main_option("sqlalchemy.url") or default_database_url()).connect()

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite needs batch mode for ALTER
)
with context.begin_transaction():
    context.run_migrations()
