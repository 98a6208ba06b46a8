"""Goose: `<data>/sessions/sessions.db`, where `<data>` is `$GOOSE_PATH_ROOT/data` or
`$XDG_DATA_HOME/goose` (Linux and macOS: Goose uses the XDG strategy), or
`%APPDATA%\\Block\\goose\\data` on Windows (goose `config/paths.rs`; goose-crush.md §5).

Schema (aaif-goose `session_manager.rs`, v17): `messages(id, message_id, session_id, role,
content_json, created_timestamp, metadata_json)`, `sessions(id, session_type, …)`;
`created_timestamp` is seconds (values above 1e11 are ms, normalised as Goose does).

Prompt rule: a `role='user'` row with a `text` item in `content_json` and no `toolResponse` item
(tool results are user rows too), visible to the user (`metadata_json.userVisible` not false), in
a session whose `session_type` is `user` (or absent: older schemas). `scheduled`, `sub_agent`,
`hidden` … sessions are not the human typing.
MCP rule: `toolRequest` items of assistant rows whose tool name (`<extension>__<tool>`, in
`toolCall.value.name`) maps to a Z.ai MCP tool; key: the item id. Messages are stored complete.
Incremental: the last `messages` rowid read.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from pathlib import Path

from glmplan.paths import Paths
from glmplan.quota.logs._common import PROMPT, WEB_SEARCH, Hit, classify_mcp, epoch_any
from glmplan.quota.logs._sqlite import DbRead, max_rowid, refresh_db, require
from glmplan.quota.logs.index import Refresh, SourceState

TOOL = "goose"

_QUERY = """
SELECT m.rowid, m.role, m.content_json, m.created_timestamp, {meta}, {stype}
FROM messages m LEFT JOIN sessions s ON s.id = m.session_id
WHERE m.rowid > ? AND (m.role = 'user' OR m.content_json LIKE '%toolRequest%')
ORDER BY m.rowid
"""


def _data_dir(paths: Paths) -> Path:
    root = paths.get("GOOSE_PATH_ROOT")
    if root:
        return paths.expand(root) / "data"
    if paths.platform.startswith("win"):
        appdata = paths.get("APPDATA")
        base = Path(appdata) if appdata else paths.home / "AppData" / "Roaming"
        return base / "Block" / "goose" / "data"
    return paths.xdg_data / "goose"


def watch_dirs(paths: Paths) -> list[Path]:
    return [_data_dir(paths) / "sessions"]


def discover(paths: Paths) -> list[str]:
    return [str(p) for p in _discover(paths)]


def _discover(paths: Paths) -> list[Path]:
    db = _data_dir(paths) / "sessions" / "sessions.db"
    return [db] if db.is_file() else []


def refresh(source: str, prev: SourceState | None, cutoff: float) -> Refresh:
    path = Path(source)
    return refresh_db(path, prev, cutoff, TOOL, _read)


def _read(conn: sqlite3.Connection, cursors: Mapping[str, int], cutoff: float) -> DbRead:
    have = require(conn, "messages", ("session_id", "role", "content_json", "created_timestamp"))
    sessions = require(conn, "sessions", ("id",))
    meta = "m.metadata_json" if "metadata_json" in have else "NULL"
    stype = "s.session_type" if "session_type" in sessions else "NULL"
    last = cursors.get("messages", 0)
    reset = max_rowid(conn, "messages") < last
    if reset:
        last = 0
    hits: list[Hit] = []
    skipped = nbytes = 0
    query = _QUERY.format(meta=meta, stype=stype)
    for rowid, role, content, created, metadata, session_type in conn.execute(query, (last,)):
        last = max(last, int(rowid))
        nbytes += len(content or "")
        ts = epoch_any(created)
        if ts is None or ts < cutoff:
            continue
        try:
            items = json.loads(content or "[]")
        except ValueError:
            skipped += 1
            continue
        items = [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []
        if role == "user" and session_type in (None, "user") and _visible(metadata):
            types = {i.get("type") for i in items}
            if "text" in types and "toolResponse" not in types:
                hits.append(Hit(ts, PROMPT, None, f"r:{rowid}"))
        elif role == "assistant":
            hits.extend(_mcp(items, ts, rowid))
    return DbRead({"messages": last}, hits, skipped, nbytes, reset)


def _visible(metadata: object) -> bool:
    try:
        meta = json.loads(metadata) if isinstance(metadata, str) else None
    except ValueError:
        return True
    return not (isinstance(meta, dict) and meta.get("userVisible") is False)


def _mcp(items: list[dict[str, object]], ts: float, rowid: int) -> list[Hit]:
    found: list[Hit] = []
    for n, item in enumerate(items):
        if item.get("type") != "toolRequest":
            continue
        call = item.get("toolCall")
        value = call.get("value") if isinstance(call, dict) else None
        name = value.get("name") if isinstance(value, dict) else None
        mcp = classify_mcp(name) if isinstance(name, str) else None
        if mcp is not None:
            found.append(Hit(ts, WEB_SEARCH, mcp, f"t:{item.get('id') or f'{rowid}.{n}'}"))
    return found
