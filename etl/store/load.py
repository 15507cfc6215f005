"""Publish step: replace the ETL tables in ONE transaction.

Either every table is replaced or none is: a failed run leaves the previously loaded data in
place and served (SQLite in WAL mode and PostgreSQL both give readers the old snapshot until
commit). Officer tables (notes, targets, users…) are never touched.
"""

from __future__ import annotations

import gc
import io
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import sqlalchemy as sa
from pandas.api.types import is_object_dtype
from sqlalchemy.engine import Connection, Engine

from etl.store import schema

#: Rows per INSERT statement on SQLite (multi-row ``VALUES``): the per-statement work of
#: ``executemany`` (bind, step, reset) is done once per chunk rather than once per row. At most
#: ``_SQLITE_MAX_VARIABLES`` parameters per statement (SQLite's historical default limit).
_SQLITE_ROWS_PER_INSERT = 200
_SQLITE_MAX_VARIABLES = 999
#: Frames from this size on have their text and integer columns converted through their distinct
#: values and are put in primary-key order from integer codes (rather than ``sort_values``).
_FAST_SORT_ROWS = 50_000
#: Integer columns spanning at most this range are converted through a table of Python ints.
_INT_LOOKUP_RANGE = 1 << 20


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: millions of Python values are created and none is
    garbage; every collection would walk all of them (the bulk of the time otherwise)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _encode(col: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
    """``(codes, lookup)`` such that ``lookup[codes]`` holds the column's values as the SQLite
    path binds them (``tolist()`` values; None for a missing value in an object column), with
    ``codes`` ordered like the values; None when the column is not text or integers."""
    dtype = col.dtype
    if isinstance(dtype, np.dtype) and dtype.kind == "b":
        return col.to_numpy().astype(np.intp), np.array([False, True], dtype=object)
    if isinstance(dtype, np.dtype) and dtype.kind in "iu":
        values = col.to_numpy()
        if not len(values):
            return None
        lo, hi = int(values.min()), int(values.max())
        if hi - lo >= _INT_LOOKUP_RANGE:
            return None
        return (values - lo).astype(np.intp), np.arange(lo, hi + 1, dtype=dtype).astype(object)
    text = is_object_dtype(dtype)
    if not (text or isinstance(dtype, pd.StringDtype)):
        return None
    codes, uniques = pd.factorize(col, sort=True)  # missing values: -1
    lookup = np.empty(len(uniques) + 1, dtype=object)
    lookup[:-1] = uniques.tolist()
    if text:
        # equal is not identical for other objects (1 == 1.0 == True): text only
        if not all(type(u) is str for u in lookup[:-1]):
            return None
        missing = codes < 0
        if missing.any() and not all(_is_na(v) for v in col.to_numpy(dtype=object)[missing]):
            return None
        lookup[-1] = None
    else:
        lookup[-1] = dtype.na_value  # what tolist() gives for a missing value
    return codes, lookup


def _python_values(col: pd.Series) -> np.ndarray:
    """A column as an object array of Python scalars, as ``Series.tolist()`` gives them; in
    object columns None, NaN and NA become None. NaN and NA bind as NULL in SQLite."""
    if is_object_dtype(col.dtype):
        out = col.to_numpy(dtype=object, copy=True)
        for i in np.flatnonzero(pd.isna(out)):  # pd.isna is a superset of _is_na
            if _is_na(out[i]):
                out[i] = None
        return out
    if isinstance(col.dtype, np.dtype) and col.dtype.kind in "biuf":
        return col.to_numpy().astype(object)  # Python bool, int and float, as tolist() gives
    out = np.empty(len(col), dtype=object)
    out[:] = col.tolist()
    return out


def _is_na(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _sqlite_matrix(table: sa.Table, df: pd.DataFrame, sort_pk: bool) -> tuple[list[str], np.ndarray]:
    """The columns of ``table`` found in ``df`` and their values (Python scalars) as a 2-D
    object array; with ``sort_pk``, rows in primary-key order (the order of
    ``sort_values(pk, kind="stable")``).

    Text and integer columns are converted through their distinct values (one Python object per
    distinct value) and put in order as integer codes; only floats are converted value by value.
    """
    cols = [c.name for c in table.columns if c.name in df.columns]
    types = {c.name: c.type for c in table.columns}
    pk = [c.name for c in table.primary_key.columns if c.name in df.columns] if sort_pk else []
    columns: dict[str, pd.Series] = {}
    for c in cols:
        col = df[c]
        if isinstance(types[c], sa.DateTime):
            # raw DBAPI inserts skip SQLAlchemy's type processing: store datetimes as SQLAlchemy's
            # SQLite DateTime type reads them back ("YYYY-MM-DD HH:MM:SS.ffffff", UTC)
            col = pd.to_datetime(col, utc=True).dt.strftime("%Y-%m-%d %H:%M:%S.%f")
        columns[c] = col
    encoded = {c: _encode(col) for c, col in columns.items()} if len(df) >= _FAST_SORT_ROWS else {}
    order: np.ndarray | None = None
    if pk:
        keys = [encoded.get(c) for c in pk]
        if all(k is not None and (k[0] >= 0).all() for k in keys):
            order = np.lexsort([k[0] for k in reversed(keys)])  # type: ignore[index]
        else:
            # rows in primary-key order fill the B-tree sequentially (2-3x faster inserts)
            order = np.asarray(df[pk].reset_index(drop=True).sort_values(pk, kind="stable").index)
    arrays = []
    for c, col in columns.items():
        enc = encoded.get(c)
        if enc is not None:
            codes, lookup = enc
            arrays.append(lookup[codes if order is None else codes[order]])
            continue
        if isinstance(col.dtype, np.dtype) and col.dtype.kind in "biuf":
            values = col.to_numpy()
            arrays.append((values if order is None else values[order]).astype(object))
            continue
        values = _python_values(col)
        arrays.append(values if order is None else values[order])
    matrix = np.stack(arrays, axis=1) if arrays else np.empty((len(df), 0), dtype=object)
    return cols, matrix


def _insert_sqlite(conn: Connection, table: sa.Table, df: pd.DataFrame, sort_pk: bool) -> None:
    with _no_gc():
        cols, matrix = _sqlite_matrix(table, df, sort_pk)
        n, k = matrix.shape
        dbapi = conn.connection.driver_connection
        one = f"({', '.join('?' * k)})"
        head = f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES "
        chunk = max(1, min(_SQLITE_ROWS_PER_INSERT, _SQLITE_MAX_VARIABLES // max(k, 1)))
        whole = n - n % chunk
        # DBAPI executemany on plain lists: several times faster than SQLAlchemy dict binding
        # for 1M+ rows; rows go in the matrix's order, chunk after chunk
        if whole:
            dbapi.executemany(head + ", ".join([one] * chunk), matrix[:whole].reshape(-1, k * chunk).tolist())
        if n > whole:
            dbapi.executemany(head + one, matrix[whole:].tolist())


def _copy_postgres(conn: Connection, table: sa.Table, df: pd.DataFrame) -> None:
    cols = [c.name for c in table.columns if c.name in df.columns]
    frame = df[cols].copy()
    for col in table.columns:
        # an integer column with a missing value comes as float ("504.0"): COPY wants "504"
        if (
            col.name in frame.columns
            and isinstance(col.type, sa.Integer)
            and frame[col.name].dtype.kind == "f"
        ):
            frame[col.name] = frame[col.name].astype("Int64")
    buf = io.StringIO()
    # CSV format (not text): GeoJSON and labels hold quotes and tabs that CSV quoting protects
    frame.to_csv(buf, index=False, header=False, na_rep="\\N")
    buf.seek(0)
    cursor = conn.connection.driver_connection.cursor()
    with cursor.copy(
        f"COPY {table.name} ({', '.join(cols)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
    ) as copy:
        while chunk := buf.read(1 << 20):
            copy.write(chunk)


def insert_frame(conn: Connection, table: sa.Table, df: pd.DataFrame, *, sort_pk: bool = False) -> None:
    """Bulk-insert a frame into a table, with the fastest path of the dialect; with ``sort_pk``,
    rows in primary-key order (SQLite: sorted on integer codes, without reordering the frame)."""
    if df.empty:
        return
    if conn.dialect.name == "sqlite":
        _insert_sqlite(conn, table, df, sort_pk)
        return
    pk = [c.name for c in table.primary_key.columns if c.name in df.columns]
    if sort_pk and pk:
        df = df.sort_values(pk, kind="stable")
    if conn.dialect.name == "postgresql":
        _copy_postgres(conn, table, df)
    else:  # pragma: no cover - other dialects: portable path
        conn.execute(table.insert(), df.to_dict("records"))


def replace_etl_tables(engine: Engine, frames: Mapping[str, pd.DataFrame]) -> None:
    """Replace the content of every table in ``schema.ETL_TABLES`` atomically.

    SQLite (WAL): one transaction; readers keep their snapshot until it commits. PostgreSQL:
    staging tables loaded beside the live ones, then swapped in by one short transaction
    (``_replace_postgres``), so that readers never wait on the load."""
    if engine.dialect.name == "postgresql":
        _replace_postgres(engine, frames)
        return
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA cache_size=-262144")  # 256 MiB page cache for the bulk load
        for table in reversed(schema.ETL_TABLES):
            conn.execute(table.delete())
        for table in schema.ETL_TABLES:
            frame = frames.get(table.name, pd.DataFrame())
            # secondary indexes are rebuilt once after the load rather than updated row by row
            for index in table.indexes:
                index.drop(conn)
            # rows in primary-key order fill the B-tree sequentially (2-3x faster inserts)
            insert_frame(conn, table, frame, sort_pk=True)
            for index in table.indexes:
                index.create(conn)


STAGING = "{}__staging"
#: How long the swap may wait for the readers of the moment to finish (each query is short).
SWAP_LOCK_TIMEOUT = "30s"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _replace_postgres(engine: Engine, frames: Mapping[str, pd.DataFrame]) -> None:
    """PostgreSQL: dropping indexes or emptying a live table takes an ACCESS EXCLUSIVE lock that
    makes every reader wait for the whole load (28.5 s measured). Instead each table is loaded
    into ``<table>__staging`` (same columns, PostGIS geometry included, then its primary key and
    indexes), and one transaction of renames swaps them in: readers are served the previous data
    until then and wait only for the renames. A failure before the swap leaves the live tables
    untouched (the staging tables are dropped at the next run)."""
    with engine.begin() as conn:
        geom = _has_geom(conn)
        for table in schema.ETL_TABLES:
            stage = STAGING.format(table.name)
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {_q(stage)}")
            # columns, NOT NULL, defaults (serial ids keep the live table's sequence) and checks
            conn.exec_driver_sql(
                f"CREATE TABLE {_q(stage)} (LIKE {_q(table.name)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
            )
            staged = table.to_metadata(sa.MetaData(), name=stage)  # what COPY needs: name, columns
            insert_frame(conn, staged, frames.get(table.name, pd.DataFrame()), sort_pk=True)
            pk = ", ".join(_q(c.name) for c in table.primary_key.columns)
            conn.exec_driver_sql(
                f"ALTER TABLE {_q(stage)} ADD CONSTRAINT {_q(stage + '_pkey')} PRIMARY KEY ({pk})"
            )
            for index in table.indexes:
                cols = ", ".join(_q(c.name) for c in index.columns)
                conn.exec_driver_sql(f"CREATE INDEX {_q(STAGING.format(index.name))} ON {_q(stage)} ({cols})")
        if geom:
            conn.execute(
                sa.text(
                    f"UPDATE {STAGING.format('territory_geometry')} "
                    "SET geom = ST_SetSRID(ST_GeomFromGeoJSON(geojson), 4326)"
                )
            )
            conn.exec_driver_sql(
                f"CREATE INDEX {_q(STAGING.format('ix_territory_geometry_geom'))} "
                f"ON {STAGING.format('territory_geometry')} USING GIST (geom)"
            )
    _swap_postgres(engine)


_PK_NAME = sa.text("SELECT conname FROM pg_constraint WHERE conrelid = to_regclass(:t) AND contype = 'p'")
_INDEXES = sa.text("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = :t")
_STAGED_INDEXES = sa.text(
    "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = :t "
    "AND indexname LIKE '%\\_\\_staging' AND indexname NOT LIKE '%\\_pkey'"
)


def _swap_postgres(engine: Engine) -> None:
    """One short transaction: live tables out, staging tables in, names of keys and indexes
    restored (the schema keeps the names Alembic created)."""
    olds: list[str] = []
    with engine.begin() as conn:
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{SWAP_LOCK_TIMEOUT}'")
        for table in schema.ETL_TABLES:
            name, stage, old = table.name, STAGING.format(table.name), f"{table.name}__old"
            pk_name = conn.execute(_PK_NAME, {"t": name}).scalar() or f"{name}_pkey"
            for col in table.columns:  # a serial's sequence goes with its new table
                seq = conn.execute(
                    sa.text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": name, "c": col.name}
                )
                seq_name = seq.scalar()
                if seq_name:
                    conn.exec_driver_sql(f"ALTER SEQUENCE {seq_name} OWNED BY {_q(stage)}.{_q(col.name)}")
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {_q(old)}")  # left by an interrupted swap
            conn.exec_driver_sql(f"ALTER TABLE {_q(name)} RENAME TO {_q(old)}")
            # the outgoing table's key and indexes give their names (schema-wide) to the new ones
            conn.exec_driver_sql(
                f"ALTER TABLE {_q(old)} RENAME CONSTRAINT {_q(pk_name)} TO {_q(old + '_pkey')}"
            )
            for (index_name,) in conn.execute(_INDEXES, {"t": old}):
                if not index_name.endswith(("_pkey", "__old")):
                    conn.exec_driver_sql(f"ALTER INDEX {_q(index_name)} RENAME TO {_q(index_name + '__old')}")
            conn.exec_driver_sql(f"ALTER TABLE {_q(stage)} RENAME TO {_q(name)}")
            olds.append(old)
            conn.exec_driver_sql(
                f"ALTER TABLE {_q(name)} RENAME CONSTRAINT {_q(stage + '_pkey')} TO {_q(pk_name)}"
            )
            for (staged_name,) in conn.execute(_STAGED_INDEXES, {"t": name}):
                target = staged_name[: -len("__staging")]
                conn.exec_driver_sql(f"ALTER INDEX {_q(staged_name)} RENAME TO {_q(target)}")
    # the previous tables are dropped after the swap has committed: nobody reads them any more,
    # and the renames above hold their locks for milliseconds rather than for the drops
    with engine.begin() as conn:
        for old in olds:
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {_q(old)}")


def _has_geom(conn: Connection) -> bool:
    return any(c["name"] == "geom" for c in sa.inspect(conn).get_columns("territory_geometry"))


def start_run(engine: Engine) -> int:
    """Record a run as started (in its own transaction, so a failure is recorded too)."""
    with engine.begin() as conn:
        result = conn.execute(schema.load_run.insert().values(started_at=datetime.now(UTC), status="running"))
        return int(result.inserted_primary_key[0])


def finish_run(engine: Engine, run_id: int, status: str, summary: dict) -> None:
    """Record the end of a run with its summary (JSON)."""
    with engine.begin() as conn:
        conn.execute(
            schema.load_run.update()
            .where(schema.load_run.c.id == run_id)
            .values(finished_at=datetime.now(UTC), status=status, summary=json.dumps(summary, default=str))
        )
