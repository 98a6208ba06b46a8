"""VS Code task folders shared by Cline (legacy bundle), Roo Code and legacy Kilo Code:
`<globalStorage>/<extension id>/tasks/<taskId>/ui_messages.json`, an array of
`{ts (ms), type: "ask"|"say", ask?, say?, text?, partial?}`."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

from glmplan.paths import Paths
from glmplan.quota.logs._common import PROMPT, WEB_SEARCH, Hit, classify_mcp, epoch_any

FEEDBACK = ("user_feedback", "user_feedback_diff")


def storage_dirs(paths: Paths, extension: str) -> list[Path]:
    return [user / "globalStorage" / extension for _, user in paths.vscode_user_dirs()]


def task_files(paths: Paths, extension: str) -> list[Path]:
    found: list[Path] = []
    for storage in storage_dirs(paths, extension):
        try:
            with os.scandir(storage / "tasks") as it:
                entries = [e.path for e in it if e.is_dir()]
        except OSError:
            continue
        found.extend(p for p in (Path(e) / "ui_messages.json" for e in entries) if p.is_file())
    return found


def records(doc: object) -> Iterator[tuple[int, dict[str, object], float | None]]:
    """(position, record, epoch seconds) of every object in a ui_messages array."""
    for n, rec in enumerate(doc if isinstance(doc, list) else []):
        if isinstance(rec, dict):
            yield n, rec, epoch_any(rec.get("ts"))


def feedback_or_mcp(rec: dict[str, object], ts: float, key: str) -> Hit | None:
    """A typed follow-up (`say: user_feedback…`) or a Z.ai MCP call (`use_mcp_server`)."""
    if rec.get("type") == "say" and rec.get("say") in FEEDBACK:
        return Hit(ts, PROMPT, None, key)
    kind = rec.get("ask") if rec.get("type") == "ask" else rec.get("say")
    if kind != "use_mcp_server" or rec.get("partial") is True:
        return None
    try:
        call = json.loads(str(rec.get("text") or ""))
    except ValueError:
        return None
    if not isinstance(call, dict) or call.get("type") not in (None, "use_mcp_tool"):
        return None
    mcp = classify_mcp(f"{call.get('serverName', '')}__{call.get('toolName', '')}")
    return None if mcp is None else Hit(ts, WEB_SEARCH, mcp, key)


def has_parent(task_dir: Path) -> bool:
    """Roo writes `history_item.json` beside each task; a subtask names its parent there."""
    try:
        item = json.loads((task_dir / "history_item.json").read_bytes())
    except (OSError, ValueError):
        return False
    return isinstance(item, dict) and bool(item.get("parentTaskId"))
