"""Cline: SDK/CLI sessions and legacy VS Code task folders.

SDK bundle and CLI 3.x (tool-facts "Verified": Cline CLI 3.0.65):
`<sessions>/<id>/<id>.messages.json`, where `<sessions>` is `$CLINE_SESSION_DATA_DIR`, else
`$CLINE_DATA_DIR/sessions`, else `$CLINE_DIR/data/sessions`, else `~/.cline/data/sessions`
(cline `sdk/packages/shared/src/storage/paths.ts`). The file is `{version, agent, sessionId,
messages: [{role, content, id, ts, ...}]}` with agent "lead" | "subagent" | "teammate".
Prompt rule: in a `lead` session (agent absent is taken as lead), a `role:"user"` message whose
content is a string, or has a text block containing `<user_input` (how the CLI wraps typed text),
or has text and no `tool_result` block. MCP rule: `tool_use` blocks of assistant messages whose
name maps to a Z.ai MCP tool (any agent).

Legacy bundle: `<globalStorage>/saoudrizwan.claude-dev/tasks/<id>/ui_messages.json` (cline
`apps/vscode/src/shared/ExtensionMessage.ts`): the first prompt is `say:"task"`, follow-ups are
`say:"user_feedback"`/`"user_feedback_diff"`; MCP calls are `use_mcp_server` records.
Both are whole JSON files, re-parsed when their inode, size or mtime changes.
"""

from __future__ import annotations

import os
from pathlib import Path

from glmplan.paths import Paths
from glmplan.quota.logs import _tasks
from glmplan.quota.logs._common import PROMPT, WEB_SEARCH, Hit, classify_mcp, epoch_any
from glmplan.quota.logs._files import refresh_whole
from glmplan.quota.logs.index import Refresh, SourceState

TOOL = "cline"
EXTENSION = "saoudrizwan.claude-dev"


def sessions_dir(paths: Paths) -> Path:
    if paths.get("CLINE_SESSION_DATA_DIR"):
        return paths.expand(str(paths.get("CLINE_SESSION_DATA_DIR")))
    if paths.get("CLINE_DATA_DIR"):
        return paths.expand(str(paths.get("CLINE_DATA_DIR"))) / "sessions"
    if paths.get("CLINE_DIR"):
        return paths.expand(str(paths.get("CLINE_DIR"))) / "data" / "sessions"
    return paths.home / ".cline" / "data" / "sessions"


def watch_dirs(paths: Paths) -> list[Path]:
    return [sessions_dir(paths), *_tasks.storage_dirs(paths, EXTENSION)]


def discover(paths: Paths) -> list[str]:
    return [str(p) for p in _discover(paths)]


def _discover(paths: Paths) -> list[Path]:
    found: list[Path] = []
    try:
        with os.scandir(sessions_dir(paths)) as it:
            dirs = [e for e in it if e.is_dir()]
    except OSError:
        dirs = []
    for entry in dirs:
        path = Path(entry.path) / f"{entry.name}.messages.json"
        if path.is_file():
            found.append(path)
    return found + _tasks.task_files(paths, EXTENSION)


def refresh(source: str, prev: SourceState | None, cutoff: float) -> Refresh:
    path = Path(source)
    parse = _parse_legacy if path.name == "ui_messages.json" else _parse_sdk
    return refresh_whole(path, prev, cutoff, TOOL, parse)


def _parse_sdk(doc: object, path: Path, cutoff: float) -> tuple[list[Hit], int]:
    if not isinstance(doc, dict) or not isinstance(doc.get("messages"), list):
        return [], 1
    lead = doc.get("agent") in (None, "lead")
    fallback = epoch_any(doc.get("updated_at")) or path.stat().st_mtime
    hits: list[Hit] = []
    for n, msg in enumerate(doc["messages"]):
        if not isinstance(msg, dict):
            continue
        ts = epoch_any(msg.get("ts")) or fallback
        if ts < cutoff:
            continue
        key = f"{path.parent.name}:{msg.get('id') or n}"
        content = msg.get("content")
        if msg.get("role") == "user" and lead and _is_prompt(content):
            hits.append(Hit(ts, PROMPT, None, key))
        elif msg.get("role") == "assistant" and isinstance(content, list):
            for block in content:
                name = block.get("name") if isinstance(block, dict) else None
                mcp = classify_mcp(name) if isinstance(name, str) else None
                if mcp is not None and isinstance(block, dict) and block.get("type") == "tool_use":
                    hits.append(Hit(ts, WEB_SEARCH, mcp, f"t:{block.get('id') or key}"))
    return hits, 0


def _is_prompt(content: object) -> bool:
    if isinstance(content, str):
        return bool(content.strip())
    if not isinstance(content, list):
        return False
    blocks = [b for b in content if isinstance(b, dict)]
    texts = [str(b.get("text") or "") for b in blocks if b.get("type") == "text"]
    if any("<user_input" in t for t in texts):
        return True
    return bool(texts) and not any(b.get("type") == "tool_result" for b in blocks)


def _parse_legacy(doc: object, path: Path, cutoff: float) -> tuple[list[Hit], int]:
    hits: list[Hit] = []
    task = str(path.parent)
    for n, rec, ts in _tasks.records(doc):
        if ts is None or ts < cutoff:
            continue
        key = f"{task}#{n}"
        if rec.get("type") == "say" and rec.get("say") == "task":
            hits.append(Hit(ts, PROMPT, None, key))
            continue
        hit = _tasks.feedback_or_mcp(rec, ts, key)
        if hit is not None:
            hits.append(hit)
    return hits, 0
