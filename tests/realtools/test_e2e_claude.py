"""glmplan setup → the real `claude -p` reaches the plan's Anthropic endpoint → glmplan restore."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.realtools.e2e import (
    assert_plan_calls,
    changed,
    chat_calls,
    files_with_key,
    glmplan_restore,
    glmplan_setup,
    load_json,
    snapshot,
)
from tests.realtools.harness import FAKE_KEY, run_in_pty, run_tool, shown
from tests.support.model_server import ANSWER, ModelServer

ROUTE = "/api/anthropic/v1/messages"

# Hooks, statusLine, tabs, odd key order and no final newline: all of it must survive.
USER_SETTINGS = (
    '{\n\t"statusLine": {"type": "command", "command": "echo mine"},\n'
    '\t"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", '
    '"command": "true"}]}]},\n'
    '\t"env": {"MY_VAR": "kept"},\n\t"permissions": {"allow": ["Bash(ls:*)"]}\n}'
)
USER_STATE = '{\n  "numStartups": 5,\n  "hasCompletedOnboarding": false\n}\n'


def _files(home: Path) -> tuple[Path, Path]:
    return home / ".claude" / "settings.json", home / ".claude.json"


def _say_pong(env: dict[str, str], project: Path, server: ModelServer) -> None:
    run = run_tool(["claude", "-p", "say pong"], env, project)
    assert run.code == 0, run.describe()
    assert ANSWER in run.out
    calls = chat_calls(server, "anthropic")
    assert_plan_calls(calls, ROUTE, {"GLM-4.5"})
    assert all(call.stream for call in calls)


def test_setup_claude_reaches_plan_then_restore_removes_created_files(
    realtools: Callable[[str], Path],
    model_server: ModelServer,
    rt_env: dict[str, str],
    isolated_home: Path,
    project: Path,
) -> None:
    realtools("claude")
    settings, state = _files(isolated_home)
    glmplan_setup("claude-code", model_server, rt_env, "--no-mcp")
    env_block = load_json(settings)
    assert isinstance(env_block, dict)
    assert env_block["env"]["ANTHROPIC_AUTH_TOKEN"] == FAKE_KEY

    _say_pong(rt_env, project, model_server)

    run = glmplan_restore("claude-code", rt_env)
    assert run.code == 0, run.out + run.err
    assert not settings.exists()  # glmplan created it, Claude Code never writes it
    assert files_with_key(isolated_home) == []
    # Claude Code rewrites .claude.json on every start (firstStartTime, userID, …): the file
    # stays with the tool's own keys, only glmplan's key goes.
    doc = load_json(state)
    assert isinstance(doc, dict)
    assert "hasCompletedOnboarding" not in doc
    assert "userID" in doc


def test_restore_gives_back_user_settings_byte_identical(
    realtools: Callable[[str], Path],
    model_server: ModelServer,
    rt_env: dict[str, str],
    isolated_home: Path,
    project: Path,
) -> None:
    realtools("claude")
    settings, state = _files(isolated_home)
    settings.parent.mkdir(parents=True)
    settings.write_text(USER_SETTINGS)
    state.write_text(USER_STATE)
    before = snapshot([settings])

    glmplan_setup("claude-code", model_server, rt_env, "--no-mcp")
    _say_pong(rt_env, project, model_server)
    run = glmplan_restore("claude-code", rt_env)

    assert run.code == 0, run.out + run.err
    assert changed(before) == []
    assert files_with_key(isolated_home) == []
    doc = load_json(state)
    assert isinstance(doc, dict)
    assert doc["hasCompletedOnboarding"] is False
    assert doc["numStartups"] == 5


def test_restore_without_a_tool_run_is_byte_identical(
    realtools: Callable[[str], Path],
    model_server: ModelServer,
    rt_env: dict[str, str],
    isolated_home: Path,
) -> None:
    realtools("claude")
    settings, state = _files(isolated_home)
    settings.parent.mkdir(parents=True)
    settings.write_text(USER_SETTINGS)
    state.write_text(USER_STATE)
    before = snapshot([settings, state])

    glmplan_setup("claude-code", model_server, rt_env)
    assert changed(before) == [str(settings), str(state)]
    run = glmplan_restore("claude-code", rt_env)

    assert run.code == 0, run.out + run.err
    assert changed(before) == []
    assert files_with_key(isolated_home) == []


def test_mcp_servers_get_the_key_as_bearer(
    realtools: Callable[[str], Path],
    model_server: ModelServer,
    rt_env: dict[str, str],
    project: Path,
) -> None:
    realtools("claude")
    glmplan_setup("claude-code", model_server, rt_env)  # pro: MCP on by default
    # npx may not download the vision server: the test stays offline and fast.
    env = {**rt_env, "npm_config_offline": "true"}

    run = run_tool(["claude", "-p", "say pong"], env, project)

    assert run.code == 0, run.describe()
    mcp = [r for r in model_server.requests if r.route.startswith("/api/mcp/")]
    assert {r.route for r in mcp} >= {"/api/mcp/web_search_prime/mcp", "/api/mcp/web_reader/mcp"}
    assert all(r.bearer == FAKE_KEY for r in mcp)


def test_interactive_claude_starts_without_onboarding_after_setup(
    realtools: Callable[[str], Path],
    model_server: ModelServer,
    rt_env: dict[str, str],
    project: Path,
) -> None:
    """`hasCompletedOnboarding` is what lets the TUI start: without it Claude Code shows its
    theme picker and never reaches the model (seen with 2.1.197). Only the folder-trust dialog
    (per project, the user's call) remains."""
    realtools("claude")
    glmplan_setup("claude-code", model_server, rt_env, "--no-mcp")
    keys = [
        ("", shown("Yes, I trust this folder")),
        ("\r", shown("for shortcuts")),
        ("say pong", shown("say pong")),
        ("\r", lambda _screen: bool(model_server.chat_calls())),
    ]

    run_in_pty(["claude"], rt_env, project, keys)

    assert_plan_calls(chat_calls(model_server, "anthropic"), ROUTE, {"GLM-4.5"})
