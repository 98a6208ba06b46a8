"""Cline (legacy VS Code tasks and SDK sessions), Roo Code and legacy Kilo Code task files."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from glmplan.paths import Paths
from glmplan.quota.logs import collect
from glmplan.quota.model import EventKind

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
MS = int(NOW.timestamp() * 1000) - 600_000


def summary(paths: Paths) -> tuple[dict[str, int], dict[str, int], int, int]:
    scan = collect(paths, now=NOW)
    prompts: dict[str, int] = {}
    searches: dict[str, int] = {}
    for e in scan.events:
        if e.kind is EventKind.PROMPT:
            prompts[e.tool] = prompts.get(e.tool, 0) + 1
        else:
            key = f"{e.tool}:{e.mcp_tool}"
            searches[key] = searches.get(key, 0) + 1
    return prompts, searches, scan.skipped, scan.bytes_read


def storage(home: Path, extension: str) -> Path:
    return home / ".config" / "Code" / "User" / "globalStorage" / extension


def write_task(root: Path, task: str, records: list[dict[str, object]]) -> Path:
    path = root / "tasks" / task / "ui_messages.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    stamped = [{"ts": MS + n, **rec} for n, rec in enumerate(records)]
    path.write_text(json.dumps(stamped))
    return path


def mcp(server: str, tool: str, kind: str = "ask") -> dict[str, object]:
    call = {"type": "use_mcp_tool", "serverName": server, "toolName": tool, "arguments": "{}"}
    return {"type": kind, kind: "use_mcp_server", "text": json.dumps(call)}


API: dict[str, object] = {"type": "say", "say": "api_req_started", "text": '{"tokensIn": 10}'}


def roo_task() -> list[dict[str, object]]:
    return [
        {"type": "say", "say": "text", "text": "build the parser"},  # the task: counted
        API,
        {"type": "say", "say": "text", "text": "I will start by…"},  # assistant text
        mcp("web-search-prime", "webSearchPrime"),
        mcp("web-search-prime", "webSearchPrime", kind="say") | {"partial": True},
        {"type": "ask", "ask": "followup", "text": "which file?"},
        {"type": "say", "say": "user_feedback", "text": "parser.py"},  # counted
        API,
        {"type": "say", "say": "user_feedback_diff", "text": "{}"},  # counted
        mcp("zread", "search_doc", kind="say"),
    ]


def test_roo_and_legacy_kilo(paths: Paths, isolated_home: Path) -> None:
    roo = storage(isolated_home, "rooveterinaryinc.roo-cline")
    write_task(roo, "t1", roo_task())
    sub = write_task(roo, "t2", roo_task()[:2])
    (sub.parent / "history_item.json").write_text(json.dumps({"id": "t2", "parentTaskId": "t1"}))
    write_task(storage(isolated_home, "kilocode.kilo-code"), "k1", roo_task())
    prompts, searches, skipped, _ = summary(paths)
    assert prompts == {"roo-code": 3, "kilo-code": 3}
    assert searches == {
        "roo-code:search-prime": 1,
        "roo-code:zread": 1,
        "kilo-code:search-prime": 1,
        "kilo-code:zread": 1,
    }
    assert skipped == 0
    assert summary(paths)[3] == 0  # unchanged files are not read again


def test_cline_legacy_and_sdk(paths: Paths, isolated_home: Path) -> None:
    legacy = storage(isolated_home, "saoudrizwan.claude-dev")
    write_task(
        legacy,
        "1764",
        [
            {"type": "say", "say": "task", "text": "fix the bug"},
            API,
            {"type": "say", "say": "text", "text": "Looking…"},
            mcp("web-reader", "webReader", kind="say"),
            {"type": "say", "say": "user_feedback", "text": "also the docs"},
        ],
    )
    sessions = isolated_home / ".cline" / "data" / "sessions"
    lead = {
        "version": 1,
        "agent": "lead",
        "messages": [
            {"id": "u1", "role": "user", "ts": MS, "content": [{"type": "text", "text": "hi"}]},
            {
                "id": "a1",
                "role": "assistant",
                "ts": MS + 1,
                "content": [
                    {"type": "tool_use", "id": "c1", "name": "web-search-prime__webSearchPrime"}
                ],
            },
            {
                "id": "u2",
                "role": "user",
                "ts": MS + 2,
                "content": [{"type": "tool_result", "tool_use_id": "c1", "content": "r"}],
            },
            {"id": "u3", "role": "user", "ts": MS + 3, "content": "plain text prompt"},
        ],
    }
    sub = {"version": 1, "agent": "subagent", "messages": [lead["messages"][0]]}  # type: ignore[index]
    for name, doc in (("s1", lead), ("s2", sub)):
        (sessions / name).mkdir(parents=True)
        (sessions / name / f"{name}.messages.json").write_text(json.dumps(doc))
    prompts, searches, skipped, _ = summary(paths)
    assert prompts == {"cline": 4}  # legacy: task + feedback; SDK lead: u1 + u3
    assert searches == {"cline:web-reader": 1, "cline:search-prime": 1}
    assert skipped == 0


def test_half_written_task_file_counted_and_retried(paths: Paths, isolated_home: Path) -> None:
    path = write_task(storage(isolated_home, "rooveterinaryinc.roo-cline"), "t1", roo_task())
    assert summary(paths)[0] == {"roo-code": 3}
    path.write_text(path.read_text()[:-20])
    prompts, _, skipped, _ = summary(paths)
    assert (prompts, skipped) == ({"roo-code": 3}, 1)  # previous events kept
    write_task(path.parents[2], "t1", roo_task()[:1])
    assert summary(paths)[0] == {"roo-code": 1}


def test_watch_paths_lists_log_dirs_before_they_exist(paths: Paths, isolated_home: Path) -> None:
    from glmplan.quota.logs import watch_paths

    before = watch_paths(paths)
    assert len(before) == len(set(before))
    wanted = [
        isolated_home / ".claude" / "projects",
        isolated_home / ".local" / "share" / "opencode",
        isolated_home / ".cline" / "data" / "sessions",
        storage(isolated_home, "rooveterinaryinc.roo-cline"),
        isolated_home / ".local" / "share" / "goose" / "sessions",
    ]
    assert all(directory in before for directory in wanted)
    for directory in wanted:
        directory.mkdir(parents=True)
    assert watch_paths(paths) == before
