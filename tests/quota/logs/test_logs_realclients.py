"""Logs written by the real clients (Claude Code 2.1.197, Cline CLI 3.0.65, OpenCode 1.18.33),
each run with `-p`/`run` against a loopback fake model server on 2026-11-27 (see data/)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from glmplan.paths import Paths
from glmplan.quota.logs import collect
from glmplan.quota.model import EventKind

DATA = Path(__file__).parent / "data"
AFTER_RUNS = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)


def prompts_by_tool(paths: Paths) -> dict[str, int]:
    found: dict[str, int] = {}
    for event in collect(paths, now=AFTER_RUNS).events:
        if event.kind is EventKind.PROMPT:
            found[event.tool] = found.get(event.tool, 0) + 1
    return found


def test_real_transcripts(paths: Paths, isolated_home: Path) -> None:
    project = isolated_home / ".claude" / "projects" / "-tmp-cchome-work"
    project.mkdir(parents=True)
    # two `claude -p` runs (the second with --continue) in one session file
    shutil.copy(DATA / "claude-2.1.197.jsonl", project / "c20601ef.jsonl")
    # two `cline "say pong"` runs: one session folder each
    shutil.copytree(DATA / "cline-3.0.65", isolated_home / ".cline" / "data" / "sessions")
    # one `opencode run "say pong"`
    oc = isolated_home / ".local" / "share" / "opencode"
    oc.mkdir(parents=True)
    shutil.copy(DATA / "opencode-1.18.33.db", oc / "opencode.db")
    assert prompts_by_tool(paths) == {"claude-code": 2, "cline": 2, "opencode": 1}
    assert collect(paths, now=AFTER_RUNS).skipped == 0
