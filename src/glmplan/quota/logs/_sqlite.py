"""Read-only, incremental access to a tool's SQLite database.

Opened as `file:<path>?mode=ro&immutable=0` (a URI, so SQLite never creates or writes the main
file, and still honours the WAL and other writers' locks), with `PRAGMA query_only` and a short
busy timeout. A locked or busy database keeps the previous state (retried next refresh); a missing
table or column (older schema) skips the source. Both are counted in `skipped`, never fatal.
A database whose file and `-wal` are unchanged since the last refresh is not opened at all.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from glmplan.quota.logs._common import Hit
from glmplan.quota.logs.index import Refresh, SourceState

log = logging.getLogger(__name__)

BUSY_TIMEOUT_S = 0.5


@dataclass(frozen=True)
class DbRead:
    cursors: Mapping[str, int]
    hits: list[Hit]
    skipped: int = 0
    bytes_read: int = 0
    reset: bool = False  # the cursor went backwards (table rebuilt): drop the old hits


class SchemaMismatch(Exception):
    """A table or column this reader needs is absent."""


# (connection, previous cursors, cutoff) -> what is new
DbReader = Callable[[sqlite3.Connection, Mapping[str, int], float], DbRead]


def connect_ro(path: Path) -> sqlite3.Connection:
    uri = f"file:{quote(str(path))}?mode=ro&immutable=0"
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    conn.execute("PRAGMA query_only = ON")
    return conn


def require(conn: sqlite3.Connection, table: str, columns: tuple[str, ...]) -> set[str]:
    """The table's columns; raises SchemaMismatch when any of `columns` is missing."""
    have = {str(row[0]) for row in conn.execute("SELECT name FROM pragma_table_info(?)", (table,))}
    missing = [c for c in columns if c not in have]
    if missing:
        raise SchemaMismatch(f"table {table!r} lacks {', '.join(missing) or 'everything'}")
    return have


def _identity(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    size, mtime = st.st_size, st.st_mtime_ns
    try:
        wal = path.with_name(path.name + "-wal").stat()
        size, mtime = size + wal.st_size, max(mtime, wal.st_mtime_ns)
    except OSError:
        pass
    return st.st_ino, size, mtime


def refresh_db(
    path: Path, prev: SourceState | None, cutoff: float, tool: str, read: DbReader
) -> Refresh:
    ident = _identity(path)
    if ident is None:
        return Refresh(None)
    if prev is not None and (prev.ino, prev.size, prev.mtime_ns) == ident:
        return Refresh(prev)
    if prev is not None and prev.ino != ident[0]:
        prev = None  # replaced: start over
    try:
        conn = connect_ro(path)
        try:
            got = read(conn, prev.cursors if prev else {}, cutoff)
        finally:
            conn.close()
    except (sqlite3.Error, SchemaMismatch) as exc:
        log.warning("%s: cannot read %s (%s); skipped this time", tool, path, exc)
        return Refresh(prev, skipped=1)
    old = () if prev is None or got.reset else prev.hits
    hits = tuple(h for h in old if h.ts >= cutoff) + tuple(got.hits)
    state = SourceState(tool, *ident, cursors=dict(got.cursors), hits=hits)
    return Refresh(state, got.bytes_read, got.skipped)


def max_rowid(conn: sqlite3.Connection, table: str) -> int:
    row = conn.execute(f"SELECT COALESCE(MAX(rowid), 0) FROM {table}").fetchone()  # noqa: S608  table is a constant of the caller
    return int(row[0])
