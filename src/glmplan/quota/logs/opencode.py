"""OpenCode's `opencode.db` (and `opencode-<channel>.db`, `$OPENCODE_DB`) under
`$XDG_DATA_HOME/opencode`, and current Kilo Code's `kilo.db` under `$XDG_DATA_HOME/kilo` (Kilo 7 is
an OpenCode fork with the same schema; tool id `kilo-code`).

Schema (OpenCode `session.sql.ts`, tool-facts §5): `session(id, parent_id, …)`,
`message(id, session_id, time_created, data JSON)`, `part(id, message_id, session_id,
time_created, data JSON)`.

Prompt rule: a `role:"user"` message (`message.data.role`) with at least one `type:"text"` part
that is neither `synthetic` nor `ignored` (TextPart flags in OpenCode's message-v2 schema:
synthetic parts are OpenCode's own, e.g. the "continue" after a compaction, file contents), in a
session without `parent_id` (sessions with a parent are subagent tasks, whose "user" messages come
from the parent agent). One prompt per message (key: message id), at the part's `time_created` (ms).
MCP rule: `part.data.type == "tool"` whose `tool` name (OpenCode spells MCP tools
`<server>_<tool>`) maps to a Z.ai MCP tool, in any session; key: part id.
Incremental: the last `part` rowid read; parts are inserted after their message.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from pathlib import Path

from glmplan.paths import Paths
from glmplan.quota.logs._common import PROMPT, WEB_SEARCH, Hit, classify_mcp, epoch_any
from glmplan.quota.logs._sqlite import DbRead, max_rowid, refresh_db, require
from glmplan.quota.logs.index import Refresh, SourceState

TOOL = "opencode"
KILO = "kilo-code"

_QUERY = """
SELECT p.rowid, p.id, p.message_id, p.time_created, length(p.data),
  CASE WHEN json_valid(p.data) THEN json_extract(p.data, '$.type') END,
  CASE WHEN json_valid(p.data) THEN json_extract(p.data, '$.synthetic') END,
  CASE WHEN json_valid(p.data) THEN json_extract(p.data, '$.ignored') END,
  CASE WHEN json_valid(p.data) THEN json_extract(p.data, '$.tool') END,
  CASE WHEN json_valid(m.data) THEN json_extract(m.data, '$.role') END,
  s.parent_id, json_valid(p.data)
FROM part p
LEFT JOIN message m ON m.id = p.message_id
LEFT JOIN session s ON s.id = p.session_id
WHERE p.rowid > ?
ORDER BY p.rowid
"""


def _data_dirs(paths: Paths) -> list[Path]:
    return [paths.xdg_data / "opencode", paths.xdg_data / "kilo"]


def watch_dirs(paths: Paths) -> list[Path]:
    return _data_dirs(paths)


def discover(paths: Paths) -> list[str]:
    return [str(p) for p in _discover(paths)]


def _discover(paths: Paths) -> list[Path]:
    found: list[Path] = []
    env = paths.get("OPENCODE_DB")
    if env:
        found.append(paths.expand(env))
    oc, kilo = _data_dirs(paths)
    if oc.is_dir():
        found.extend(sorted(oc.glob("opencode*.db")))
    if (kilo / "kilo.db").is_file():
        found.append(kilo / "kilo.db")
    return [p for p in dict.fromkeys(found) if p.is_file()]


def refresh(source: str, prev: SourceState | None, cutoff: float) -> Refresh:
    path = Path(source)
    tool = KILO if path.name.startswith("kilo") else TOOL
    return refresh_db(path, prev, cutoff, tool, _read)


def _read(conn: sqlite3.Connection, cursors: Mapping[str, int], cutoff: float) -> DbRead:
    require(conn, "part", ("id", "message_id", "session_id", "time_created", "data"))
    require(conn, "message", ("id", "data"))
    require(conn, "session", ("id", "parent_id"))
    last = cursors.get("part", 0)
    reset = max_rowid(conn, "part") < last
    if reset:
        last = 0
    hits: list[Hit] = []
    skipped = nbytes = 0
    for row in conn.execute(_QUERY, (last,)):
        rowid, part_id, msg_id, created, size, ptype, synth, ignored, tool, role, parent, ok = row
        last, nbytes = max(last, int(rowid)), nbytes + int(size or 0)
        if not ok:
            skipped += 1
            continue
        ts = epoch_any(created)
        if ts is None or ts < cutoff:
            continue
        if ptype == "text" and role == "user" and not parent and not synth and not ignored:
            hits.append(Hit(ts, PROMPT, None, f"m:{msg_id}"))
        elif ptype == "tool" and isinstance(tool, str):
            mcp = classify_mcp(tool)
            if mcp is not None:
                hits.append(Hit(ts, WEB_SEARCH, mcp, f"p:{part_id}"))
    return DbRead({"part": last}, hits, skipped, nbytes, reset)
