"""glmplan setup → the real `opencode run` reaches the plan's coding endpoint → glmplan restore."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.realtools.e2e import (
    assert_plan_calls,
    changed,
    chat_calls,
    files_with_key,
    glmplan_restore,
    glmplan_setup,
    require_profile,
    snapshot,
)
from tests.realtools.harness import run_tool
from tests.support.model_server import ANSWER, ModelServer

ROUTE = "/api/coding/paas/v4/chat/completions"

# A user's JSONC config: comments, trailing commas, their own keys. `$schema` is present, else
# OpenCode itself inserts it into the file on start (observed with 1.18.33).
USER_CONFIG = """{
  // my settings
  "$schema": "https://opencode.ai/config.json",
  "theme": "tokyonight",
  "autoupdate": false, // keep my version
}
"""


def _files(home: Path) -> tuple[Path, Path]:
    return (
        home / ".config" / "opencode" / "opencode.jsonc",
        home / ".local" / "share" / "opencode" / "auth.json",
    )


@pytest.mark.parametrize(
    ("extra", "main", "small"),
    [((), "glm-4.5", "glm-4.5-air"), (("--model", "glm-4.7"), "glm-4.7", "glm-4.5-air")],
)
def test_setup_opencode_reaches_plan(
    realtools: Callable[[str], Path],
    model_server: ModelServer,
    rt_env: dict[str, str],
    project: Path,
    extra: tuple[str, ...],
    main: str,
    small: str,
) -> None:
    realtools("opencode")
    require_profile("opencode")
    glmplan_setup("opencode", model_server, rt_env, "--no-mcp", *extra)

    run = run_tool(["opencode", "run", "say pong"], rt_env, project)

    assert run.code == 0, run.describe()
    assert ANSWER in run.out
    calls = chat_calls(model_server, "openai")
    # The first call of a new session writes its title with `small_model`.
    assert_plan_calls(calls, ROUTE, {main, small})
    assert calls[-1].model == main
    assert all(call.stream for call in calls)


def test_restore_gives_back_user_config_byte_identical(
    realtools: Callable[[str], Path],
    model_server: ModelServer,
    rt_env: dict[str, str],
    isolated_home: Path,
    project: Path,
) -> None:
    realtools("opencode")
    require_profile("opencode")
    config, auth = _files(isolated_home)
    config.parent.mkdir(parents=True)
    config.write_text(USER_CONFIG)
    before = snapshot([config, auth])

    glmplan_setup("opencode", model_server, rt_env, "--no-mcp")
    run = run_tool(["opencode", "run", "say pong"], rt_env, project)
    assert run.code == 0, run.describe()
    assert {call.model for call in model_server.chat_calls()} >= {"glm-4.5"}
    result = glmplan_restore("opencode", rt_env)

    assert result.code == 0, result.out + result.err
    assert changed(before) == []
    assert files_with_key(isolated_home) == []


def test_restore_without_a_tool_run_removes_created_files(
    realtools: Callable[[str], Path],
    model_server: ModelServer,
    rt_env: dict[str, str],
    isolated_home: Path,
) -> None:
    realtools("opencode")
    require_profile("opencode")
    config, auth = _files(isolated_home)
    plain = config.with_suffix(".json")
    before = snapshot([config, auth, plain])

    glmplan_setup("opencode", model_server, rt_env)
    assert changed(before) != []
    result = glmplan_restore("opencode", rt_env)

    assert result.code == 0, result.out + result.err
    assert changed(before) == []
    assert files_with_key(isolated_home) == []
