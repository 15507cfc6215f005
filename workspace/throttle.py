"""Login throttling that cannot be used to lock an officer out (issue #13, gap 3).

Only *failed* logins count (a success never does), separately per client address and per
account, over the last hour and since the last success. After a few free failures each new
attempt must wait a delay that doubles with every failure, up to a cap:

* per address: 5 free failures, then 1 s, 2 s, 4 s … up to 5 minutes (a guessing script);
* per account: 5 free failures, then 1 s, 2 s … up to 30 seconds (guesses spread over many
  addresses). An address the account already logged in from (last 90 days) is exempt from the
  account's delay: someone failing on purpose elsewhere cannot keep its officer out.

An attempt during a delay is refused (429 with ``Retry-After``) without checking the password
and is not counted as a failure; after the delay, a right password logs in. The counts come from
the audit log (``user.login_failed`` entries, written for every failure), so they are shared by
every worker process and survive restarts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from etl.store.schema import audit_log

WINDOW = timedelta(hours=1)
KNOWN_ADDRESS = timedelta(days=90)
FAILED, THROTTLED, SUCCESS = "user.login_failed", "user.login_throttled", "user.login"


@dataclass(frozen=True)
class Policy:
    free: int
    base: float
    cap: float

    def delay(self, failures: int) -> float:
        """Seconds to wait after ``failures`` failures (0 while they are free)."""
        if failures < self.free:
            return 0.0
        return min(self.cap, self.base * 2 ** min(failures - self.free, 30))


ADDRESS = Policy(free=5, base=1.0, cap=300.0)
ACCOUNT = Policy(free=5, base=1.0, cap=30.0)


def _now() -> datetime:
    return datetime.now(UTC)


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def norm_username(username: str | None) -> str:
    return (username or "").strip().lower()[:64]


def _failures(conn: sa.Connection, since: datetime, cond: sa.ColumnElement, success: sa.ColumnElement):
    a = audit_log.c
    last_ok = conn.execute(
        sa.select(sa.func.max(a.at)).where(a.action == SUCCESS, a.at >= since, success)
    ).scalar()
    start = max(since, _utc(last_ok)) if last_ok else since
    return conn.execute(
        sa.select(sa.func.count(), sa.func.max(a.at)).where(a.action == FAILED, a.at > start, cond)
    ).one()


def wait_seconds(engine: sa.Engine, username: str | None, address: str | None) -> float:
    """How long this address must wait before trying this account (0: it may try now)."""
    a, name, now = audit_log.c, norm_username(username), _now()
    since = now - WINDOW
    waits = [0.0]
    with engine.connect() as conn:
        if address:
            n, last = _failures(conn, since, a.remote_addr == address, a.remote_addr == address)
            if n and last is not None:
                waits.append(ADDRESS.delay(n) - (now - _utc(last)).total_seconds())
        if name:
            known = (
                address
                and conn.execute(
                    sa.select(a.id)
                    .where(
                        a.action == SUCCESS,
                        a.username == name,
                        a.remote_addr == address,
                        a.at >= now - KNOWN_ADDRESS,
                    )
                    .limit(1)
                ).first()
            )
            if not known:
                n, last = _failures(conn, since, a.entity_id == name, a.username == name)
                if n and last is not None:
                    waits.append(ACCOUNT.delay(n) - (now - _utc(last)).total_seconds())
    return max(waits)


def recently_throttled(
    engine: sa.Engine, address: str | None, within: timedelta = timedelta(seconds=10)
) -> bool:
    """Whether a refusal was recorded for this address lately (a flood is audited once per burst)."""
    a = audit_log.c
    with engine.connect() as conn:
        return (
            conn.execute(
                sa.select(a.id)
                .where(a.action == THROTTLED, a.remote_addr == address, a.at >= _now() - within)
                .limit(1)
            ).first()
            is not None
        )
