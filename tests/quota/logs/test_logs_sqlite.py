"""OpenCode/Kilo, Crush and Goose databases: prompt rules, incremental rowid cursors, read-only
access (bytes and mtime untouched, WAL honoured), locked and old-schema databases."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from glmplan.paths import Paths
from glmplan.quota.logs import collect
from glmplan.quota.model import EventKind

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
T = int(NOW.timestamp()) - 600  # ten minutes ago, seconds

OPENCODE_DDL = """
CREATE TABLE session (id text PRIMARY KEY, project_id text NOT NULL, parent_id text,
  title text NOT NULL DEFAULT '', time_created integer NOT NULL DEFAULT 0);
CREATE TABLE message (id text PRIMARY KEY, session_id text NOT NULL, time_created integer NOT NULL,
  time_updated integer NOT NULL, data text NOT NULL);
CREATE TABLE part (id text PRIMARY KEY, message_id text NOT NULL, session_id text NOT NULL,
  time_created integer NOT NULL, time_updated integer NOT NULL, data text NOT NULL);
"""


def summary(paths: Paths) -> tuple[dict[str, int], dict[str, int], int]:
    scan = collect(paths, now=NOW)
    prompts: dict[str, int] = {}
    searches: dict[str, int] = {}
    for e in scan.events:
        bucket = prompts if e.kind is EventKind.PROMPT else searches
        name = e.tool if e.kind is EventKind.PROMPT else f"{e.tool}:{e.mcp_tool}"
        bucket[name] = bucket.get(name, 0) + 1
    return prompts, searches, scan.skipped


def make_db(path: Path, ddl: str, wal: bool = False) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    if wal:
        conn.execute("PRAGMA journal_mode=WAL")
    conn.executescript(ddl)
    return conn


# -- OpenCode / Kilo ---------------------------------------------------------------------------


def oc_message(
    conn: sqlite3.Connection, mid: str, sid: str, role: str, parts: list[dict[str, Any]]
) -> None:
    ms = T * 1000
    data = json.dumps({"role": role, "time": {"created": ms}})
    conn.execute("INSERT INTO message VALUES (?,?,?,?,?)", (mid, sid, ms, ms, data))
    for n, part in enumerate(parts):
        conn.execute(
            "INSERT INTO part VALUES (?,?,?,?,?,?)",
            (f"{mid}-p{n}", mid, sid, ms, ms, json.dumps(part)),
        )


def fill_opencode(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT INTO session (id, project_id) VALUES ('s1', 'p')")
    conn.execute("INSERT INTO session (id, project_id, parent_id) VALUES ('s2', 'p', 's1')")
    text = {"type": "text", "text": "refactor this"}
    oc_message(conn, "m1", "s1", "user", [text, {"type": "file", "url": "x"}])
    oc_message(conn, "m2", "s1", "user", [{"type": "text", "text": "go on", "synthetic": True}])
    oc_message(conn, "m3", "s2", "user", [text])  # subagent task prompt
    tool = {"type": "tool", "callID": "c1", "tool": "web-search-prime_webSearchPrime"}
    oc_message(conn, "m4", "s1", "assistant", [{"type": "step-start"}, tool])
    sub_tool = {"type": "tool", "callID": "c2", "tool": "web-reader_webReader"}
    oc_message(conn, "m5", "s2", "assistant", [sub_tool, {"type": "tool", "tool": "bash"}])
    oc_message(conn, "m6", "s1", "user", [{"type": "text", "text": "ok", "ignored": True}])


def test_opencode_and_kilo(paths: Paths, isolated_home: Path) -> None:
    data = isolated_home / ".local" / "share"
    oc = make_db(data / "opencode" / "opencode.db", OPENCODE_DDL, wal=True)
    fill_opencode(oc)
    kilo = make_db(data / "kilo" / "kilo.db", OPENCODE_DDL)
    fill_opencode(kilo)
    prompts, searches, skipped = summary(paths)
    assert prompts == {"opencode": 1, "kilo-code": 1}
    assert searches == {
        "opencode:search-prime": 1,
        "opencode:web-reader": 1,
        "kilo-code:search-prime": 1,
        "kilo-code:web-reader": 1,
    }
    assert skipped == 0
    oc_message(oc, "m7", "s1", "user", [{"type": "text", "text": "next"}])
    assert summary(paths)[0] == {"opencode": 2, "kilo-code": 1}
    oc.execute("INSERT INTO part VALUES ('bad', 'm7', 's1', ?, ?, '{not json')", (T, T))
    assert summary(paths)[2] == 1


def test_opencode_old_schema_is_skipped(paths: Paths, isolated_home: Path) -> None:
    ddl = OPENCODE_DDL.replace("parent_id text,", "")
    make_db(isolated_home / ".local" / "share" / "opencode" / "opencode.db", ddl)
    assert summary(paths) == ({}, {}, 1)


def snapshot(directory: Path) -> dict[str, tuple[bytes, int]]:
    """The database and its WAL. (`-shm` is SQLite's shared-memory index, where every reader,
    read-only or not, takes its read locks: the WAL protocol requires it to change.)"""
    files = [p for p in directory.iterdir() if not p.name.endswith("-shm")]
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in files}


def test_sqlite_is_read_only(paths: Paths, isolated_home: Path) -> None:
    directory = isolated_home / ".local" / "share" / "opencode"
    conn = make_db(directory / "opencode.db", OPENCODE_DDL, wal=True)
    fill_opencode(conn)  # the rows live in the -wal file: the reader must see them
    before = snapshot(directory)
    assert set(before) == {"opencode.db", "opencode.db-wal"}
    assert summary(paths)[0] == {"opencode": 1}
    assert snapshot(directory) == before
    conn.close()


def test_locked_database_keeps_state(paths: Paths, isolated_home: Path) -> None:
    path = isolated_home / ".local" / "share" / "opencode" / "opencode.db"
    conn = make_db(path, OPENCODE_DDL)
    fill_opencode(conn)
    assert summary(paths)[0] == {"opencode": 1}
    oc_message(conn, "m7", "s1", "user", [{"type": "text", "text": "next"}])
    conn.execute("BEGIN EXCLUSIVE")
    prompts, _, skipped = summary(paths)
    assert (prompts, skipped) == ({"opencode": 1}, 1)
    conn.execute("COMMIT")
    assert summary(paths)[:2][0] == {"opencode": 2}


# -- Crush ------------------------------------------------------------------------------------

CRUSH_DDL = """
CREATE TABLE sessions (id TEXT PRIMARY KEY, parent_session_id TEXT, title TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL DEFAULT 0);
CREATE TABLE messages (id TEXT PRIMARY KEY, session_id TEXT NOT NULL, role TEXT NOT NULL,
  parts TEXT NOT NULL DEFAULT '[]', model TEXT, provider TEXT, is_summary_message INTEGER DEFAULT 0,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, finished_at INTEGER);
"""


def crush_msg(conn: sqlite3.Connection, mid: str, sid: str, role: str, parts: object) -> None:
    raw = parts if isinstance(parts, bytes) else json.dumps(parts)
    conn.execute(
        "INSERT INTO messages (id, session_id, role, parts, created_at, updated_at) "
        "VALUES (?,?,?,?,?,?)",
        (mid, sid, role, raw, T, T),
    )


@pytest.fixture
def crush_db(isolated_home: Path) -> Iterator[sqlite3.Connection]:
    project = isolated_home / "code" / "app"
    registry = isolated_home / ".local" / "share" / "crush" / "projects.json"
    registry.parent.mkdir(parents=True)
    entry = {"path": str(project), "data_dir": ".crush", "last_accessed": NOW.isoformat()}
    registry.write_text(json.dumps({"projects": [entry]}))
    conn = make_db(project / ".crush" / "crush.db", CRUSH_DDL, wal=True)
    yield conn
    conn.close()


def test_crush(paths: Paths, crush_db: sqlite3.Connection) -> None:
    c = crush_db
    c.execute("INSERT INTO sessions (id) VALUES ('s1')")
    c.execute("INSERT INTO sessions (id, parent_session_id) VALUES ('s2', 's1')")
    crush_msg(c, "m1", "s1", "user", [{"type": "text", "data": {"text": "add a flag"}}])
    shell = {"type": "shell_command", "data": {"command": "ls", "output": "", "exit_code": 0}}
    crush_msg(c, "m2", "s1", "user", [shell])
    crush_msg(c, "m3", "s2", "user", [{"type": "text", "data": {"text": "sub task"}}])
    call = {"id": "c1", "name": "mcp_web-search-prime_webSearchPrime", "input": "{}"}
    crush_msg(c, "m4", "s1", "assistant", [{"type": "tool_call", "data": call}])
    result = {"tool_call_id": "c1", "name": "mcp_web-search-prime_webSearchPrime"}
    crush_msg(c, "m5", "s1", "tool", [{"type": "tool_result", "data": result}])
    crush_msg(c, "m6", "s1", "user", b"\x28\xb5\x2f\xfd compressed parts")
    assert summary(paths) == ({"crush": 2}, {"crush:search-prime": 1}, 0)
    crush_msg(c, "m7", "s1", "user", [{"type": "text", "data": {"text": "again"}}])
    assert summary(paths)[0] == {"crush": 3}


# -- Goose ------------------------------------------------------------------------------------

GOOSE_DDL = """
CREATE TABLE sessions (id TEXT PRIMARY KEY, name TEXT, session_type TEXT NOT NULL DEFAULT 'user',
  parent_session_id TEXT);
CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT, message_id TEXT,
  session_id TEXT NOT NULL, role TEXT NOT NULL, content_json TEXT NOT NULL,
  created_timestamp INTEGER NOT NULL, metadata_json TEXT);
"""


def goose_msg(
    conn: sqlite3.Connection,
    sid: str,
    role: str,
    items: list[dict[str, Any]],
    ts: int = T,
    visible: bool = True,
) -> None:
    meta = json.dumps({"userVisible": visible, "agentVisible": True})
    conn.execute(
        "INSERT INTO messages (session_id, role, content_json, created_timestamp, metadata_json) "
        "VALUES (?,?,?,?,?)",
        (sid, role, json.dumps(items), ts, meta),
    )


def test_goose(paths: Paths, isolated_home: Path) -> None:
    db = isolated_home / ".local" / "share" / "goose" / "sessions" / "sessions.db"
    c = make_db(db, GOOSE_DDL, wal=True)
    c.execute("INSERT INTO sessions (id, session_type) VALUES ('s1', 'user'), ('s2', 'sub_agent')")
    text = {"type": "text", "text": "write tests"}
    goose_msg(c, "s1", "user", [text])
    goose_msg(c, "s1", "user", [text], ts=T * 1000)  # milliseconds, as Goose normalises
    goose_msg(c, "s1", "user", [{"type": "toolResponse", "id": "t1", "toolResult": {}}])
    goose_msg(c, "s2", "user", [text])
    goose_msg(c, "s1", "user", [text], visible=False)
    call = {"status": "success", "value": {"name": "web-search-prime__webSearchPrime"}}
    goose_msg(c, "s1", "assistant", [{"type": "toolRequest", "id": "t2", "toolCall": call}])
    assert summary(paths) == ({"goose": 2}, {"goose:search-prime": 1}, 0)
    mtime = os.stat(db).st_mtime_ns
    goose_msg(c, "s1", "user", [text])
    assert summary(paths)[0] == {"goose": 3}
    assert os.stat(db).st_mtime_ns >= mtime
