"""glmplan setup → the real `cline "prompt"` reaches the plan endpoint → glmplan restore."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pytest

from tests.realtools.e2e import (
    assert_plan_calls,
    changed,
    chat_calls,
    files_with_key,
    glmplan_restore,
    glmplan_setup,
    load_json,
    require_profile,
    snapshot,
)
from tests.realtools.harness import FAKE_KEY, run_tool
from tests.support.model_server import ANSWER, ModelServer

ROUTE = "/api/coding/paas/v4/chat/completions"

# Another provider the user set up with Cline itself (Cline's own 2-space format).
USER_PROVIDERS = """{
  "version": 1,
  "lastUsedProvider": "anthropic",
  "modes": {},
  "providers": {
    "anthropic": {
      "settings": {
        "provider": "anthropic",
        "apiKey": "sk-ant-not-real",
        "model": "claude-x"
      },
      "updatedAt": "2026-01-01T00:00:00.000Z",
      "tokenSource": "manual"
    }
  }
}"""


def _providers(home: Path) -> Path:
    return home / ".cline" / "data" / "settings" / "providers.json"


def _every_file_with_key(home: Path) -> list[str]:
    """Every file under `home` holding the key, but glmplan's own credential store."""
    store = home / ".config" / "glmplan" / "credentials.toml"
    return [
        str(path.relative_to(home))
        for path in sorted(home.rglob("*"))
        if path.is_file() and path != store and FAKE_KEY.encode() in path.read_bytes()
    ]


@pytest.mark.usefixtures("cline_daemon_guard")
@pytest.mark.parametrize(("extra", "model"), [((), "glm-4.5"), (("--model", "glm-4.7"), "glm-4.7")])
def test_setup_cline_reaches_plan(
    realtools: Callable[[str], Path],
    model_server: ModelServer,
    rt_env: dict[str, str],
    project: Path,
    extra: tuple[str, ...],
    model: str,
) -> None:
    realtools("cline")
    require_profile("cline")
    glmplan_setup("cline", model_server, rt_env, "--no-mcp", *extra)

    run = run_tool(["cline", "say pong"], rt_env, project)

    assert run.code == 0, run.describe()
    assert ANSWER in run.out
    calls = chat_calls(model_server, "openai")
    assert_plan_calls(calls, ROUTE, {model})
    assert all(call.stream for call in calls)


@pytest.mark.usefixtures("cline_daemon_guard")
def test_restore_after_cline_rewrote_providers_keeps_the_user_provider(
    realtools: Callable[[str], Path],
    model_server: ModelServer,
    rt_env: dict[str, str],
    isolated_home: Path,
    project: Path,
) -> None:
    realtools("cline")
    require_profile("cline")
    providers = _providers(isolated_home)
    providers.parent.mkdir(parents=True)
    providers.write_text(USER_PROVIDERS)

    glmplan_setup("cline", model_server, rt_env, "--no-mcp")
    run = run_tool(["cline", "say pong"], rt_env, project)
    assert run.code == 0, run.describe()
    # The entry glmplan wrote for the extension's provider made Cline's migration a no-op.
    entries = cast(Any, load_json(providers))["providers"]
    assert entries["openai-compatible"]["tokenSource"] == "manual"
    assert not (providers.parent / "models.json").exists()
    result = glmplan_restore("cline", rt_env)

    # Cline re-serialises providers.json on every run (and stamps `updatedAt`), so this is the
    # "edited since" path: only glmplan's entries are reverted, the user's provider is intact.
    assert result.code == 0, result.out + result.err
    assert "conflict" not in result.out
    assert files_with_key(isolated_home) == _every_file_with_key(isolated_home) == []
    assert load_json(providers) == json.loads(USER_PROVIDERS)


def test_restore_without_a_tool_run_is_byte_identical(
    realtools: Callable[[str], Path],
    model_server: ModelServer,
    rt_env: dict[str, str],
    isolated_home: Path,
) -> None:
    realtools("cline")
    require_profile("cline")
    providers = _providers(isolated_home)
    providers.parent.mkdir(parents=True)
    providers.write_text(USER_PROVIDERS)
    data = providers.parent.parent
    before = snapshot([providers, data / "globalState.json", data / "secrets.json"])

    glmplan_setup("cline", model_server, rt_env)
    assert str(providers) in changed(before)
    result = glmplan_restore("cline", rt_env)

    assert result.code == 0, result.out + result.err
    assert changed(before) == []
    assert files_with_key(isolated_home) == []
