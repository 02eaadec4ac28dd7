"""SQLite files for what readers leave behind (feedback, conversations), kept next to the store.

Every page worker, API call and CLI command may write at once, from threads or processes. Each
operation opens its own connection (sqlite3 connections are not shared across threads), waits for the
file lock instead of failing (`busy_timeout`), and writes inside one `BEGIN IMMEDIATE` transaction:
a write that fails half way is rolled back whole and never touches rows already committed. The
write-ahead log lets readers go on while one process writes; `synchronous=FULL` makes a committed
row survive a power cut, not just a crash.
"""

from __future__ import annotations

import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from newsqa.settings import Settings

BUSY_TIMEOUT_MS = 30_000


def user_data_dir(settings: Settings) -> Path:
    """Where feedback and conversations live: the store's folder. With a Chroma server that folder
    is this machine's local one (`--store`, NEWSQA_STORE), where the lexical index lives too."""
    return Path(settings.store)


class UserDataError(RuntimeError):
    """The feedback or conversation file cannot be opened or written; the message names it."""


@contextmanager
def transaction(path: Path, schema: str) -> Iterator[sqlite3.Connection]:
    """A connection inside one immediate (write-locked) transaction, committed on success and
    rolled back on any exception. `schema` is applied first (idempotent CREATE ... IF NOT EXISTS)."""
    conn = _connect(path)
    try:
        conn.execute("BEGIN IMMEDIATE")
        for stmt in _statements(schema):
            conn.execute(stmt)
        yield conn
        conn.execute("COMMIT")
    except BaseException as e:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if isinstance(e, sqlite3.Error):
            raise UserDataError(f"cannot write {path}: {e}") from e
        raise
    finally:
        conn.close()


@contextmanager
def reading(path: Path, schema: str) -> Iterator[sqlite3.Connection]:
    """A connection for reads; a missing file reads as empty tables (and is not created)."""
    if path.exists():
        conn = _connect(path)  # made by `transaction`, which creates the tables with the file
    else:
        conn = sqlite3.connect(":memory:")
        conn.row_factory = sqlite3.Row
        for stmt in _statements(schema):
            conn.execute(stmt)
    try:
        yield conn
    except sqlite3.Error as e:
        raise UserDataError(f"cannot read {path}: {e}") from e
    finally:
        conn.close()


def _connect(path: Path) -> sqlite3.Connection:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _use_wal(conn)
        conn.execute("PRAGMA synchronous = FULL")
        conn.row_factory = sqlite3.Row
    except (OSError, sqlite3.Error) as e:
        raise UserDataError(f"cannot open {path}: {e}") from e
    return conn


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch the file to the write-ahead log, waiting like any other write. Changing the journal
    mode needs the file to itself, and SQLite answers "database is locked" at once, without calling
    the busy handler, when another connection is opening the same new file at that moment; so the
    switch is retried until the busy timeout. A file already in WAL mode is left alone."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    pause = 0.005
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) and "busy" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.2)


def _statements(schema: str) -> list[str]:
    return [s.strip() for s in schema.split(";") if s.strip()]
