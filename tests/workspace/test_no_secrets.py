"""No secret in the repository: no key, no password, no password hash, no credentialed URL.

Scans every file git knows about or would add (tracked and untracked, ignored ones excepted).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PATTERNS = {
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "password hash": re.compile(r"\$argon2(?:id|i|d)\$v=\d+\$|\$2[aby]\$\d\d\$[./A-Za-z0-9]{20}"),
    "cloud key": re.compile(r"AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36}|xox[abprs]-[A-Za-z0-9-]{10,}"),
    "secret setting": re.compile(
        r"(?i)\b(?:secret_key|observatoire_secret_key|api_key|passw(?:or)?d|pwd)\b['\"]?\s*[:=]\s*['\"][^'\"\s{}$<]{8,}['\"]"
    ),
    "env secret": re.compile(r"(?m)^\s*(?:export\s+)?OBSERVATOIRE_SECRET_KEY=(?!\$|\"?\$)\S{8,}"),
    "credentialed URL": re.compile(
        r"\b(?:postgres(?:ql)?|mysql|redis)(?:\+\w+)?://[^:/\s@]+:([^@\s/]+)@([^:/\s]+)"
    ),
}
#: Throwaway databases on the test machine itself (the CI's local PostgreSQL) are not secrets.
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
PLACEHOLDERS = {"pass", "password", "secret", "changeme", "xxx", "***", "PASSWORD"}
SKIP_SUFFIXES = {".png", ".jpg", ".ico", ".zip", ".parquet", ".sqlite", ".woff", ".woff2", ".ttf", ".pdf"}


def _files() -> list[Path]:
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    files = [REPO / p for p in out.split("\0") if p]
    return [
        p
        for p in files
        if p.is_file()
        and p.suffix.lower() not in SKIP_SUFFIXES
        and ".venv" not in p.parts
        and p.stat().st_size < 5_000_000
    ]


def test_no_secret_in_repository() -> None:
    hits = []
    for path in _files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for kind, pattern in PATTERNS.items():
            for m in pattern.finditer(text):
                if kind == "credentialed URL" and (m.group(1) in PLACEHOLDERS or m.group(2) in LOCAL_HOSTS):
                    continue
                line = text.count("\n", 0, m.start()) + 1
                hits.append(f"{path.relative_to(REPO)}:{line}: {kind}")
    assert not hits, "possible secrets:\n" + "\n".join(hits)


def test_scanner_catches_what_it_should() -> None:
    # (built by concatenation so that this file does not match its own scan)
    samples = {
        "secret setting": "SECRET_KEY" + ' = "s3cr3t-value-123"',
        "env secret": "OBSERVATOIRE_SECRET_KEY" + "=abcdefgh12345678",
        "credentialed URL": "postgresql" + "://app:Hunter2x@db/obs",
        "password hash": "$argon2id" + "$v=19$m=65536,t=3,p=4$abc",
    }
    for kind, sample in samples.items():
        assert PATTERNS[kind].search(sample), kind
    assert PATTERNS["credentialed URL"].search("postgresql" + "://user:pass@host/db").group(1) in PLACEHOLDERS
