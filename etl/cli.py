"""Command line of the ETL: ``python -m etl run|status|backup``.

Exit codes: 0 success, 2 bad input (a raw file does not match its schema: the message names the
file, line and field; the store is unchanged), 3 the store is busy (another run or a workspace
publication holds its writer lock longer than ``--wait`` seconds; nothing was changed), 1 any
other failure.
"""

from __future__ import annotations

import argparse
import json
import sys

from rich.console import Console
from rich.table import Table

from etl import backup
from etl.config import Settings
from etl.contract import RawDataError

# wide enough for file names and checksums when the output is piped (CI logs, tests)
console = Console(width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, width=None if sys.stderr.isatty() else 200)


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(
        database_url=args.database_url,
        raw_dir=getattr(args, "raw_dir", None),
        mirror=getattr(args, "mirror", None),
    )


def cmd_run(args: argparse.Namespace) -> int:
    from etl.pipeline import run
    from etl.store.lock import LockBusy

    settings = _settings(args)
    _sigterm_as_exit()
    try:
        summary = run(settings, console=err, lock_timeout=args.wait)
    except RawDataError as exc:
        err.print(f"[bold red]Données brutes invalides / bad raw data[/]: {exc}")
        err.print("Le contenu précédemment chargé est conservé / previously loaded data left in place.")
        return 2
    except LockBusy as exc:
        err.print(f"[bold red]Base occupée / store busy[/]: {exc}")
        err.print("Rien n'a été modifié / nothing was changed (--wait SECONDS to wait longer).")
        return 3
    table = Table(title=f"ETL terminé en {summary.seconds:.1f} s → {summary.database}")
    for col in ("source", "lignes lues", "observations", "signalements", "s"):
        table.add_column(col, justify="right" if col != "source" else "left")
    for s in summary.sources:
        table.add_row(
            s.source_id, f"{s.rows_read:,}", f"{s.observations:,}", f"{s.flags:,}", f"{s.seconds:.2f}"
        )
    table.add_section()
    table.add_row("total", "", f"{summary.observations:,}", f"{summary.flags:,}", f"{summary.seconds:.1f}")
    console.print(table)
    console.print(f"{summary.territories:,} territoires, {summary.geometries:,} géométries.")
    return 0


def _sigterm_as_exit() -> None:
    """``kill`` (SIGTERM) ends the run like Ctrl-C: its ``load_run`` row is marked failed."""
    import signal

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)


def cmd_status(args: argparse.Namespace) -> int:
    import sqlalchemy as sa

    from etl.store import db, schema

    settings = _settings(args)
    engine = db.make_engine(settings.database_url)
    insp = sa.inspect(engine)
    if not insp.has_table("raw_file"):
        err.print(f"Aucune donnée chargée dans {settings.database_url}. Lancez : python -m etl run")
        return 1
    with engine.connect() as conn:
        files = (
            conn.execute(
                sa.select(schema.raw_file, schema.source.c.vintage)
                .join(schema.source, schema.source.c.id == schema.raw_file.c.source_id)
                .order_by(schema.raw_file.c.source_id, schema.raw_file.c.file_key)
            )
            .mappings()
            .all()
        )
        counts = dict(
            conn.execute(
                sa.select(schema.observation.c.source_id, sa.func.count()).group_by(
                    schema.observation.c.source_id
                )
            ).all()
        )
        last = (
            conn.execute(sa.select(schema.load_run).order_by(schema.load_run.c.id.desc()).limit(1))
            .mappings()
            .first()
        )
    if args.json:
        print(
            json.dumps(
                {
                    "files": [dict(f) for f in files],
                    "observations": counts,
                    "last_run": dict(last) if last else None,
                },
                default=str,
                indent=2,
            )
        )
        return 0
    table = Table(title="Données chargées / loaded data")
    for col in ("source", "fichier", "sha256", "millésime", "lignes", "observations", "origine", "chargé le"):
        table.add_column(col)
    for f in files:
        table.add_row(
            f["source_id"],
            f["path"],
            f["sha256"][:12] + "…",
            f["vintage"],
            "" if f["rows"] is None else f"{f['rows']:,}",
            f"{counts.get(f['source_id'], 0):,}",
            f["origin"],
            f["loaded_at"].strftime("%Y-%m-%d %H:%M") if f["loaded_at"] else "",
        )
    console.print(table)
    if last:
        console.print(f"Dernier run #{last['id']} : {last['status']} ({last['started_at']:%Y-%m-%d %H:%M})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m etl", description="ETL de l'observatoire GOSB")
    parser.add_argument(
        "--database-url", help="SQLAlchemy URL (default: $DATABASE_URL or data/observatoire.sqlite)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_run = sub.add_parser("run", help="load every source into the store")
    group = p_run.add_mutually_exclusive_group()
    group.add_argument("--raw-dir", help="read the raw files in place from DIR")
    group.add_argument("--mirror", help="copy missing raw files from DIR instead of downloading them")
    p_run.add_argument(
        "--wait",
        type=float,
        default=900.0,
        metavar="SECONDS",
        help="wait this long for another writer of the store (a run, a publication) to finish (default 900)",
    )
    p_run.set_defaults(func=cmd_run)
    p_status = sub.add_parser("status", help="print what is loaded: source, file, sha256, vintage, rows")
    p_status.add_argument("--json", action="store_true", help="machine-readable output")
    p_status.set_defaults(func=cmd_status)
    backup.add_subcommand(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        err.print("Interrompu / interrupted: the store is unchanged.")
        return 130
    except Exception as exc:  # a clear one-line message for operators; details with python -X dev
        err.print(f"[bold red]Échec / failure[/]: {type(exc).__name__}: {exc}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
