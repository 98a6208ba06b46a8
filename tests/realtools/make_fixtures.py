"""Regenerate tests/fixtures/realtools/ by running the real CLIs against the fake model server.

    .venv/bin/python -m tests.realtools.make_fixtures [claude-code] [opencode] [cline] [interactive]

Homes and the project live under /tmp/glmplan-fixture (fixed, so the paths inside the logs are
the same on every run). MANIFEST.md in the output directory says what each file holds.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from tests.realtools.harness import (
    FAKE_KEY,
    ROOT,
    Condition,
    after,
    find_binary,
    run_in_pty,
    run_tool,
    shown,
    stop_cline_daemon,
    tool_call_responder,
    tool_env,
)
from tests.support.model_server import ModelServer

BASE = Path("/tmp/glmplan-fixture")
PROJECT = BASE / "project"
OUT = ROOT / "tests" / "fixtures" / "realtools"
CLAUDE_SESSIONS = (
    "11111111-1111-4111-8111-111111111111",  # 3 typed prompts, the last one runs Bash
    "22222222-2222-4222-8222-222222222222",  # a custom slash command (/hello)
    "33333333-3333-4333-8333-333333333333",  # a local command (/cost): no model call
    "44444444-4444-4444-8444-444444444444",  # 1 typed prompt that starts a sub-agent
)
INTERACTIVE_SESSION = "55555555-5555-4555-8555-555555555555"  # 2 prompts typed into the TUI
BASH_CALL = {"command": "echo tool-ran", "description": "Echo a marker"}
AGENT_CALL = {
    "description": "Say pong",
    "prompt": "sub task: say pong",
    "subagent_type": "general-purpose",
}


def _fresh(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def _write_json(path: Path, doc: object, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=2) + "\n")
    path.chmod(mode)


def _run_all(home: Path, commands: Sequence[Sequence[str]]) -> None:
    env = tool_env(home, PROJECT)
    for argv in commands:
        run = run_tool(argv, env, PROJECT)
        print(run.describe())
        if run.code != 0:
            raise SystemExit(f"failed: {' '.join(argv)}")


def _claude_home(server: ModelServer, name: str) -> Path:
    home = _fresh(BASE / name)
    env = {
        "ANTHROPIC_AUTH_TOKEN": FAKE_KEY,
        "ANTHROPIC_BASE_URL": server.base + "/api/anthropic",
        "ANTHROPIC_MODEL": "GLM-4.5",
        "ANTHROPIC_SMALL_FAST_MODEL": "GLM-4.5-Air",
        "API_TIMEOUT_MS": "3000000",
    }
    _write_json(home / ".claude" / "settings.json", {"env": env})
    _write_json(home / ".claude.json", {"hasCompletedOnboarding": True})
    return home


def make_claude(server: ModelServer) -> None:
    home = _claude_home(server, "claude-home")
    command = PROJECT / ".claude" / "commands" / "hello.md"
    command.parent.mkdir(parents=True, exist_ok=True)
    command.write_text("---\ndescription: Say hello\n---\nSay hello to $ARGUMENTS\n")
    s1, s2, s3, s4 = CLAUDE_SESSIONS
    _run_all(
        home,
        [
            ["claude", "-p", "--session-id", s1, "first prompt: say pong"],
            ["claude", "-p", "--continue", "second prompt: say pong again"],
            ["claude", "-p", "--resume", s1, "--allowedTools=Bash(echo:*)", "third: run the tool"],
            ["claude", "-p", "--session-id", s2, "/hello world"],
            ["claude", "-p", "--session-id", s3, "/cost"],
            ["claude", "-p", "--session-id", s4, "fourth prompt: use an agent"],
        ],
    )
    target = _fresh(OUT / "claude-code")
    shutil.copytree(home / ".claude" / "projects", target / "projects")


def _compact_sqlite(source: Path, target: Path) -> None:
    """Copy a WAL-mode database into one self-contained, vacuumed file."""
    scratch = _fresh(BASE / "sqlite-scratch")
    for suffix in ("", "-wal", "-shm"):
        part = source.with_name(source.name + suffix)
        if part.exists():
            shutil.copy2(part, scratch / part.name)
    db = sqlite3.connect(scratch / source.name)
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("PRAGMA journal_mode=DELETE")
        db.execute("VACUUM")
    finally:
        db.close()
    shutil.copy2(scratch / source.name, target)


def make_opencode(server: ModelServer) -> None:
    home = _fresh(BASE / "opencode-home")
    provider = {
        "options": {"baseURL": server.base + "/api/coding/paas/v4"},
        "models": {"glm-4.5": {"name": "GLM-4.5"}, "glm-4.5-air": {"name": "GLM-4.5-Air"}},
    }
    config = {
        "$schema": "https://opencode.ai/config.json",
        "model": "zai-coding-plan/glm-4.5",
        "small_model": "zai-coding-plan/glm-4.5-air",
        "provider": {"zai-coding-plan": provider},
    }
    _write_json(home / ".config" / "opencode" / "opencode.json", config)
    auth = {"zai-coding-plan": {"type": "api", "key": FAKE_KEY}}
    _write_json(home / ".local" / "share" / "opencode" / "auth.json", auth, 0o600)
    _run_all(
        home,
        [
            ["opencode", "run", "first prompt: say pong"],
            ["opencode", "run", "--continue", "second prompt: say pong again"],
            ["opencode", "run", "--continue", "third: run the tool"],
        ],
    )
    target = _fresh(OUT / "opencode")
    _compact_sqlite(home / ".local" / "share" / "opencode" / "opencode.db", target / "opencode.db")


def _cline_home(server: ModelServer, name: str) -> Path:
    home = _fresh(BASE / name)
    settings = {
        "provider": "zai-coding-plan",
        "apiKey": FAKE_KEY,
        "model": "glm-4.5",
        "baseUrl": server.base + "/api/coding/paas/v4",
    }
    entry = {"settings": settings, "updatedAt": "2026-11-27T00:00:00.000Z", "tokenSource": "manual"}
    providers = {
        "version": 1,
        "lastUsedProvider": "zai-coding-plan",
        "modes": {},
        "providers": {"zai-coding-plan": entry},
    }
    _write_json(home / ".cline" / "data" / "settings" / "providers.json", providers, 0o600)
    return home


def make_cline(server: ModelServer) -> None:
    home = _cline_home(server, "cline-home")
    # `cline --id <session> "prompt"` needs a TTY (resuming is interactive only): two sessions.
    try:
        _run_all(
            home, [["cline", "first prompt: say pong"], ["cline", "second prompt: run the tool"]]
        )
    finally:
        stop_cline_daemon(home)
    target = _fresh(OUT / "cline")
    shutil.copytree(home / ".cline" / "data" / "sessions", target / "sessions")


def _calls(server: ModelServer, more: int) -> Condition:
    """A condition that becomes true once the server saw `more` further chat calls."""
    target = len(server.chat_calls()) + more
    return lambda _screen: len(server.chat_calls()) >= target


def _typed_prompts(
    server: ModelServer, ready: Condition, prompts: Sequence[str]
) -> list[tuple[str, Condition]]:
    """Keys for a TUI: wait until `ready`, then type each prompt and wait for its answer."""
    keys: list[tuple[str, Condition]] = [("", ready)]
    for number, prompt in enumerate(prompts, start=1):
        # After the call, give the TUI time to stream the answer and write its transcript.
        keys += [(prompt, shown(prompt)), ("\r", _calls(server, number)), ("", after(4))]
    return keys


def make_interactive(server: ModelServer) -> None:
    """Sessions typed into the TUIs (through a pty), kept apart in interactive/<tool>/."""
    home = _claude_home(server, "claude-tui-home")
    # An interactive start first asks whether to trust the folder: Enter accepts.
    trusted = [("", shown("Yes, I trust this folder")), ("\r", shown("for shortcuts"))]
    keys = trusted + _typed_prompts(
        server, after(0), ["first typed: say pong", "second typed: again"]
    )
    argv = ["claude", "--session-id", INTERACTIVE_SESSION]
    run_in_pty(argv, tool_env(home, PROJECT), PROJECT, keys)
    target = _fresh(OUT / "interactive" / "claude-code")
    shutil.copytree(home / ".claude" / "projects", target / "projects")

    home = _cline_home(server, "cline-tui-home")
    try:
        _run_all(home, [["cline", "first prompt: say pong"]])
        (session,) = (p.name for p in (home / ".cline" / "data" / "sessions").iterdir())
        # `cline --id <session> "prompt"` refuses to run without a TTY: type it into the TUI.
        keys = _typed_prompts(server, shown("Ask anything"), ["second prompt: say pong again"])
        run_in_pty(["cline", "--id", session], tool_env(home, PROJECT), PROJECT, keys)
    finally:
        stop_cline_daemon(home, appear=5)
    target = _fresh(OUT / "interactive" / "cline")
    shutil.copytree(home / ".cline" / "data" / "sessions", target / "sessions")


MAKERS: dict[str, tuple[str, Callable[[ModelServer], None]]] = {
    "claude-code": ("claude", make_claude),
    "opencode": ("opencode", make_opencode),
    "cline": ("cline", make_cline),
    "interactive": ("claude", make_interactive),
}


ToolCalls = dict[str, tuple[str, Mapping[str, object]]]
TOOL_CALLS: dict[str, ToolCalls] = {
    "claude-code": {"run the tool": ("Bash", BASH_CALL), "use an agent": ("Agent", AGENT_CALL)},
    "opencode": {"run the tool": ("bash", BASH_CALL)},
    "cline": {"run the tool": ("run_commands", {"commands": ["echo tool-ran"]})},
    "interactive": {},
}


def main(argv: Sequence[str]) -> int:
    for tool in argv or list(MAKERS):
        binary, make = MAKERS[tool]
        if find_binary(binary) is None:
            print(f"{tool}: {binary} not installed; run scripts/install-realtools.sh")
            return 1
        _fresh(PROJECT)
        with ModelServer(tool_call_responder(TOOL_CALLS[tool])) as server:
            make(server)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
