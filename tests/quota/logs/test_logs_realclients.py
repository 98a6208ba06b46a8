"""Logs written by the real clients (Claude Code 2.1.197, Cline CLI 3.0.65, OpenCode 1.18.33),
each run with `-p`/`run` against a loopback fake model server on 2026-11-27 (see data/)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

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


REALTOOLS = Path(__file__).parents[2] / "fixtures" / "realtools"


def test_realtools_fixtures(paths: Paths, isolated_home: Path) -> None:
    """tests/fixtures/realtools (MANIFEST.md there): Claude Code 5 (three `-p` prompts, one
    custom `/hello` command, one agent turn; not the local `/usage`, not the sub-agent),
    OpenCode 3, Cline 2."""
    if not (REALTOOLS / "MANIFEST.md").is_file():
        pytest.skip("tests/fixtures/realtools not present")
    shutil.copytree(REALTOOLS / "claude-code", isolated_home / ".claude")
    cline = isolated_home / ".cline" / "data" / "sessions"
    shutil.copytree(REALTOOLS / "cline" / "sessions", cline)
    oc = isolated_home / ".local" / "share" / "opencode"
    oc.mkdir(parents=True)
    shutil.copy(REALTOOLS / "opencode" / "opencode.db", oc / "opencode.db")
    assert prompts_by_tool(paths) == {"claude-code": 5, "cline": 2, "opencode": 3}
    scan = collect(paths, now=AFTER_RUNS)
    assert scan.skipped == 0
    assert not [e for e in scan.events if e.kind is EventKind.WEB_SEARCH]


def test_realtools_interactive_fixtures(paths: Paths, isolated_home: Path) -> None:
    """Prompts typed key by key into the TUIs (MANIFEST.md "interactive/"): Claude Code 2
    (`promptSource: "typed"`), Cline 2 (one session resumed with `--id`)."""
    interactive = REALTOOLS / "interactive"
    if not interactive.is_dir():
        pytest.skip("tests/fixtures/realtools/interactive not present")
    shutil.copytree(interactive / "claude-code", isolated_home / ".claude")
    cline = isolated_home / ".cline" / "data" / "sessions"
    shutil.copytree(interactive / "cline" / "sessions", cline)
    later = datetime(2026, 11, 28, 0, 30, tzinfo=UTC)
    scan = collect(paths, now=later)
    prompts: dict[str, int] = {}
    for event in scan.events:
        prompts[event.tool] = prompts.get(event.tool, 0) + (event.kind is EventKind.PROMPT)
    assert prompts == {"claude-code": 2, "cline": 2}
    assert scan.skipped == 0
