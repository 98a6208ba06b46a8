"""`glmplan doctor`: each check against real files in a temp HOME and a loopback quota server."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

from glmplan.doctor.model import Check, Level
from glmplan.doctor.run import run_doctor
from glmplan.paths import Paths
from tests.support.cli import run_glmplan
from tests.support.quota_server import AUTH_ERROR, LEGACY_PAYLOAD, QuotaServer, Reply

KEY = "sk-CANARY-doctor-0123456789"


def _setup(env: Mapping[str, str] | None = None) -> None:
    run = run_glmplan(
        "setup",
        "claude-code",
        "--plan",
        "pro",
        "--api-key-stdin",
        "--yes",
        stdin=KEY + "\n",
        env=env,
    )
    assert run.code == 0, run.err


def _no_processes(names: dict[str, tuple[str, ...]]) -> Mapping[str, list[float]]:
    return {}


def _doctor(server: QuotaServer, extra_env: Mapping[str, str] | None = None) -> list[Check]:
    env = dict(os.environ)
    env["GLMPLAN_API_BASE"] = server.base
    env.update(extra_env or {})
    return run_doctor(Paths.from_env(env), env, running=_no_processes)


def _by_id(checks: list[Check], check_id: str) -> list[Check]:
    return [c for c in checks if c.id == check_id]


def test_clean_setup_is_all_ok(isolated_home: Path) -> None:
    _setup()
    with QuotaServer(Reply.json(LEGACY_PAYLOAD)) as server:
        checks = _doctor(server)
    assert _by_id(checks, "key")[0].level is Level.OK
    assert [c.level for c in _by_id(checks, "endpoint")] == [Level.OK]
    assert not [c for c in checks if c.level is Level.FAIL and c.id != "node"]


def test_rejected_key_fails_and_unreachable_api_only_warns(isolated_home: Path) -> None:
    _setup()
    with QuotaServer(Reply.json(AUTH_ERROR)) as server:
        assert _by_id(_doctor(server), "key")[0].level is Level.FAIL
    with QuotaServer(Reply(drop=True)) as server:
        assert _by_id(_doctor(server), "key")[0].level is Level.WARN


def test_general_api_is_a_fail(isolated_home: Path) -> None:
    settings = isolated_home / ".claude" / "settings.json"
    settings.parent.mkdir()
    settings.write_text(json.dumps({"env": {"ANTHROPIC_BASE_URL": "https://api.z.ai/api/paas/v4"}}))
    with QuotaServer(Reply.json(LEGACY_PAYLOAD)) as server:
        endpoint = _by_id(_doctor(server), "endpoint")
    assert endpoint[0].level is Level.FAIL
    assert "billed" in endpoint[0].explanation


def test_shell_override_is_named_with_its_rc_file(isolated_home: Path) -> None:
    _setup()
    rc = isolated_home / ".zshrc"
    rc.write_text("# mine\nexport ANTHROPIC_BASE_URL=https://example.invalid/api\n")
    with QuotaServer(Reply.json(LEGACY_PAYLOAD)) as server:
        checks = _doctor(server, {"ANTHROPIC_BASE_URL": "https://example.invalid/api"})
    override = _by_id(checks, "env-override")[0]
    assert override.level is Level.WARN
    assert f"{rc}:2" in override.title


def test_key_file_readable_by_others_fails(isolated_home: Path) -> None:
    _setup()
    (isolated_home / ".claude" / "settings.json").chmod(0o644)
    with QuotaServer(Reply.json(LEGACY_PAYLOAD)) as server:
        perms = _by_id(_doctor(server), "permissions")
    assert [c.level for c in perms] == [Level.FAIL]
    assert "chmod 600" in perms[0].fix


def test_unsupported_model_and_vision_without_mode_fail(isolated_home: Path) -> None:
    _setup()
    settings = isolated_home / ".claude" / "settings.json"
    data = json.loads(settings.read_text())
    data["env"]["ANTHROPIC_MODEL"] = "GLM-4.5-Flash"
    settings.write_text(json.dumps(data))
    state = isolated_home / ".claude.json"
    doc = json.loads(state.read_text())
    del doc["mcpServers"]["zai-mcp-server"]["env"]["Z_AI_MODE"]
    state.write_text(json.dumps(doc))
    with QuotaServer(Reply.json(LEGACY_PAYLOAD)) as server:
        checks = _doctor(server)
    assert _by_id(checks, "model")[0].level is Level.FAIL
    assert _by_id(checks, "vision-mode")[0].level is Level.FAIL
    assert {c.level for c in _by_id(checks, "changed")} == {Level.WARN}


def test_sessions_started_before_setup_need_a_restart(isolated_home: Path) -> None:
    _setup()

    def running(names: dict[str, tuple[str, ...]]) -> Mapping[str, list[float]]:
        return {"claude-code": [0.0]} if "claude-code" in names else {}

    with QuotaServer(Reply.json(LEGACY_PAYLOAD)) as server:
        env = dict(os.environ, GLMPLAN_API_BASE=server.base)
        checks = run_doctor(Paths.from_env(env), env, running=running)
    assert _by_id(checks, "restart")[0].level is Level.WARN


def test_cli_json_and_exit_code(isolated_home: Path) -> None:
    settings = isolated_home / ".claude" / "settings.json"
    settings.parent.mkdir()
    settings.write_text(json.dumps({"env": {"ANTHROPIC_BASE_URL": "https://api.z.ai/api/paas/v4"}}))
    with QuotaServer(Reply.json(LEGACY_PAYLOAD)) as server:
        run = run_glmplan(
            "doctor", "--json", env={"GLMPLAN_API_BASE": server.base, "ZAI_API_KEY": KEY}
        )
    assert run.code == 1
    doc = json.loads(run.out)
    assert doc["ok"] is False
    assert doc["summary"]["fail"] >= 1
    assert KEY not in run.out + run.err
