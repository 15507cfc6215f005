"""Command line of the workspace: ``python -m workspace users|uploads …``.

    python -m workspace users add alice --role officer      # asks for the password twice
    echo "$PASSWORD" | python -m workspace users add bob --role admin --password-stdin
    python -m workspace users list | disable NAME | enable NAME | set-password NAME
    python -m workspace uploads list | withdraw ID [--no-rerun]

Passwords are read from the terminal (not echoed) or from standard input, never from the command
line (where ``ps`` and the shell history would show them). There is no default account.
Exit codes: 0 success, 2 refused (bad name, weak password, unknown user…), 1 other failure.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from etl.config import Settings
from etl.store import db


def _engine(args: argparse.Namespace):  # noqa: ANN202 - sqlalchemy Engine
    engine = db.make_engine(Settings.from_env(database_url=args.database_url).database_url)
    db.migrate(engine)
    return engine


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    first = getpass.getpass("Mot de passe / password: ")
    if getpass.getpass("Confirmation: ") != first:
        raise ValueError("the two passwords differ")
    return first


def cmd_users(args: argparse.Namespace) -> int:
    from workspace import users

    engine = _engine(args)
    if args.action == "list":
        for u in users.list_users(engine):
            state = "active" if u["active"] else "disabled"
            last = u["last_login_at"].strftime("%Y-%m-%d %H:%M") if u["last_login_at"] else "-"
            print(f"{u['username']:<24} {u['role']:<8} {state:<9} last login {last}")
        return 0
    if not args.username:
        raise ValueError("a username is required")
    if args.action == "add":
        user = users.add_user(engine, args.username, _password(args), args.role, args.name)
        print(f"user {user.username!r} created with role {user.role}")
    elif args.action == "set-password":
        users.set_password(engine, args.username, _password(args))
        print(f"password of {args.username!r} changed; their open sessions are closed")
    else:
        users.set_active(engine, args.username, args.action == "enable")
        print(f"user {args.username!r} {args.action}d")
    return 0


def cmd_uploads(args: argparse.Namespace) -> int:
    from workspace import uploads

    engine = _engine(args)
    if args.action == "list":
        for u in uploads.uploads_list(engine):
            print(
                f"#{u['id']:<4} {u['status']:<10} {u['source_id']}:{u['file_key']} {u['vintage']} "
                f"{u['sha256'][:12]} {u['original_name']} ({u['uploaded_at']:%Y-%m-%d})"
            )
        return 0
    if args.id is None:
        raise ValueError("an upload id is required")
    settings = Settings.from_env(database_url=args.database_url)
    uploads.withdraw(engine, settings, None, args.id, run=None if args.no_rerun else uploads._default_run)
    print(f"upload #{args.id} withdrawn" + ("" if args.no_rerun else "; the ETL was re-run without it"))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m workspace", description="Officers' workspace administration"
    )
    parser.add_argument(
        "--database-url", help="SQLAlchemy URL (default: $DATABASE_URL or data/observatoire.sqlite)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_users = sub.add_parser("users", help="officer accounts")
    p_users.add_argument("action", choices=["add", "list", "disable", "enable", "set-password"])
    p_users.add_argument("username", nargs="?")
    p_users.add_argument("--role", choices=["officer", "admin"], default="officer")
    p_users.add_argument("--name", help="display name")
    p_users.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    p_users.set_defaults(func=cmd_users)
    p_up = sub.add_parser("uploads", help="data files imported through the workspace")
    p_up.add_argument("action", choices=["list", "withdraw"])
    p_up.add_argument("id", nargs="?", type=int)
    p_up.add_argument("--no-rerun", action="store_true", help="do not re-run the ETL after withdrawing")
    p_up.set_defaults(func=cmd_uploads)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from workspace.uploads import UploadRejected
    from workspace.users import UserError

    try:
        return args.func(args)
    except (UserError, UploadRejected, ValueError) as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - a one-line message for operators
        print(f"failure: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
