"""Roo Code (`rooveterinaryinc.roo-cline`) and legacy Kilo Code (`kilocode.kilo-code`, a Roo fork,
<= 5.x) task folders in every VS Code variant's globalStorage: `tasks/<id>/ui_messages.json`.

Prompt rule (Roo `src/core/task/Task.ts`: `startTask` does `this.say("text", task, images)` before
the first request; typed replies are `say: "user_feedback"` / `"user_feedback_diff"`): the first
`say:"text"` record that comes before any `say:"api_req_started"` (assistant text is also
`say:"text"`, but always after a request started), unless the task is a subtask (its
`history_item.json` has `parentTaskId`: the parent agent wrote that text), plus every
`user_feedback`/`user_feedback_diff`. MCP rule: `ask`/`say` `use_mcp_server` records (not partial)
whose `serverName`/`toolName` map to a Z.ai MCP tool. Keys: task folder + record position.
The whole file is re-parsed when its inode, size or mtime changes.
"""

from __future__ import annotations

from pathlib import Path

from glmplan.paths import Paths
from glmplan.quota.logs import _tasks
from glmplan.quota.logs._common import PROMPT, Hit
from glmplan.quota.logs._files import refresh_whole
from glmplan.quota.logs.index import Refresh, SourceState

TOOL = "roo-code"
KILO = "kilo-code"
EXTENSIONS = {"rooveterinaryinc.roo-cline": TOOL, "kilocode.kilo-code": KILO}


def watch_dirs(paths: Paths) -> list[Path]:
    return [d for ext in EXTENSIONS for d in _tasks.storage_dirs(paths, ext)]


def discover(paths: Paths) -> list[str]:
    return [str(p) for p in _discover(paths)]


def _discover(paths: Paths) -> list[Path]:
    return [f for ext in EXTENSIONS for f in _tasks.task_files(paths, ext)]


def refresh(source: str, prev: SourceState | None, cutoff: float) -> Refresh:
    path = Path(source)
    tool = next((t for ext, t in EXTENSIONS.items() if ext in path.parts[-4]), TOOL)
    return refresh_whole(path, prev, cutoff, tool, _parse)


def _parse(doc: object, path: Path, cutoff: float) -> tuple[list[Hit], int]:
    hits: list[Hit] = []
    task = str(path.parent)
    started = _tasks.has_parent(path.parent)
    for n, rec, ts in _tasks.records(doc):
        say = rec.get("say") if rec.get("type") == "say" else None
        if say == "api_req_started":
            started = True
        if ts is None or ts < cutoff:
            if say == "text":
                started = True
            continue
        key = f"{task}#{n}"
        if say == "text" and not started:
            started = True
            hits.append(Hit(ts, PROMPT, None, key))
            continue
        hit = _tasks.feedback_or_mcp(rec, ts, key)
        if hit is not None:
            hits.append(hit)
    return hits, 0
