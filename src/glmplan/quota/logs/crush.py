"""Crush: one `crush.db` per project, found through `$XDG_DATA_HOME/crush/projects.json`
(`{"projects": [{"path", "data_dir", "last_accessed"}]}`, written on every local start;
crush@37f36e93 `internal/projects/projects.go`; `$CRUSH_GLOBAL_DATA` overrides the directory).

Schema (crush `internal/db/migrations`): `sessions(id, parent_session_id, …)`,
`messages(id, session_id, role, parts, created_at, …)`; `created_at` is Unix seconds.
`parts` is a JSON array of `{type, data}` (`internal/message/message.go` `marshalParts`).

Prompt rule: a `role:"user"` message with a `text` part (a user message holding only a
`shell_command` part is a bang-mode shell run, not a prompt), in a session without
`parent_session_id` (child sessions are sub-agents). Newer Crush zstd-compresses `parts`
(`parts_codec.go`: frames start with 28 b5 2f fd); Python's standard library cannot read zstd, so
such a user row counts as a prompt when it is not a child session (bang-mode rows are rare).
MCP rule: `tool_result` parts of `role:"tool"` messages whose `name` (`mcp_<server>_<tool>`,
`internal/agent/tools/mcp-tools.go`) maps to a Z.ai MCP tool; key: `tool_call_id`. Results are used,
not the assistant's `tool_call` parts, because assistant rows are updated in place while streaming
(a rowid cursor would pass them before their calls exist); tool rows are written complete.
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

TOOL = "crush"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"

_QUERY = """
SELECT m.rowid, m.id, m.role, m.parts, m.created_at, s.parent_session_id
FROM messages m LEFT JOIN sessions s ON s.id = m.session_id
WHERE m.rowid > ? AND m.role IN ('user', 'tool')
ORDER BY m.rowid
"""


def _registry_dir(paths: Paths) -> Path:
    env = paths.get("CRUSH_GLOBAL_DATA")
    return paths.expand(env) if env else paths.xdg_data / "crush"


def _data_dirs(paths: Paths) -> list[Path]:
    try:
        raw = json.loads((_registry_dir(paths) / "projects.json").read_bytes())
    except (OSError, ValueError):
        return []
    projects = raw.get("projects") if isinstance(raw, dict) else None
    dirs: list[Path] = []
    for project in projects if isinstance(projects, list) else []:
        if not isinstance(project, dict) or not isinstance(project.get("data_dir"), str):
            continue
        data_dir = Path(project["data_dir"])
        if not data_dir.is_absolute() and isinstance(project.get("path"), str):
            data_dir = Path(project["path"]) / data_dir
        dirs.append(data_dir)
    return list(dict.fromkeys(dirs))


def watch_dirs(paths: Paths) -> list[Path]:
    return [_registry_dir(paths), *_data_dirs(paths)]


def discover(paths: Paths) -> list[str]:
    return [str(p) for p in _discover(paths)]


def _discover(paths: Paths) -> list[Path]:
    return [d / "crush.db" for d in _data_dirs(paths) if (d / "crush.db").is_file()]


def refresh(source: str, prev: SourceState | None, cutoff: float) -> Refresh:
    path = Path(source)
    return refresh_db(path, prev, cutoff, TOOL, _read)


def _read(conn: sqlite3.Connection, cursors: Mapping[str, int], cutoff: float) -> DbRead:
    require(conn, "messages", ("id", "session_id", "role", "parts", "created_at"))
    require(conn, "sessions", ("id", "parent_session_id"))
    last = cursors.get("messages", 0)
    reset = max_rowid(conn, "messages") < last
    if reset:
        last = 0
    hits: list[Hit] = []
    skipped = nbytes = 0
    for rowid, msg_id, role, parts, created, parent in conn.execute(_QUERY, (last,)):
        last = max(last, int(rowid))
        blob = parts.encode() if isinstance(parts, str) else bytes(parts or b"")
        nbytes += len(blob)
        ts = epoch_any(created)
        if ts is None or ts < cutoff:
            continue
        if blob.startswith(ZSTD_MAGIC):
            if role == "user" and not parent:
                hits.append(Hit(ts, PROMPT, None, f"m:{msg_id}"))
            continue
        try:
            decoded = json.loads(blob)
        except ValueError:
            skipped += 1
            continue
        wrapped = [p for p in decoded if isinstance(p, dict)] if isinstance(decoded, list) else []
        hits.extend(_hits(role, msg_id, ts, parent, wrapped))
    return DbRead({"messages": last}, hits, skipped, nbytes, reset)


def _hits(
    role: object, msg_id: object, ts: float, parent: object, parts: list[dict[str, object]]
) -> list[Hit]:
    if role == "user":
        has_text = any(p.get("type") == "text" for p in parts)
        return [Hit(ts, PROMPT, None, f"m:{msg_id}")] if has_text and not parent else []
    found: list[Hit] = []
    for part in parts:
        data = part.get("data")
        if part.get("type") != "tool_result" or not isinstance(data, dict):
            continue
        name = data.get("name")
        mcp = classify_mcp(name) if isinstance(name, str) and name.startswith("mcp_") else None
        if mcp is not None:
            found.append(Hit(ts, WEB_SEARCH, mcp, f"t:{data.get('tool_call_id') or msg_id}"))
    return found
