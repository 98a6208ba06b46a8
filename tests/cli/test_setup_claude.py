"""`glmplan setup/status/restore claude-code` end to end, through the real CLI in a subprocess."""

from __future__ import annotations

import hashlib
import json
import stat
from pathlib import Path

import pytest

from tests.support.cli import run_glmplan

KEY = "sk-CANARY-0123456789abcdef"
MASKED = "…cdef"

USER_SETTINGS = """{
    "hooks": {"PreToolUse": [{"matcher": "Bash",
        "hooks": [{"type": "command", "command": "echo hi"}]}]},
    "statusLine": {"type": "command", "command": "~/bin/my-status"},
    "permissions": {"allow": ["Bash(ls:*)"], "deny": []},
    "env": {"MY_OWN_VAR": "1", "ANTHROPIC_MODEL": "claude-old"},
    "enabledPlugins": {"x@y": true}
}
"""


def _setup(*extra: str, stdin: str = KEY + "\n") -> tuple[int, str, str]:
    run = run_glmplan(
        "setup", "claude-code", "--plan", "pro", "--api-key-stdin", "--yes", *extra, stdin=stdin
    )
    return run.code, run.out, run.err


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_setup_on_empty_home_writes_env_and_onboarding(isolated_home: Path) -> None:
    code, out, err = _setup("--json")
    assert code == 0, err
    settings = json.loads((isolated_home / ".claude" / "settings.json").read_text())
    env = settings["env"]
    assert env["ANTHROPIC_AUTH_TOKEN"] == KEY
    assert env["ANTHROPIC_BASE_URL"] == "https://api.z.ai/api/anthropic"
    assert env["ANTHROPIC_MODEL"] == "GLM-4.5"
    assert env["ANTHROPIC_SMALL_FAST_MODEL"] == "GLM-4.5-Air"
    assert env["ANTHROPIC_DEFAULT_OPUS_MODEL"] == "GLM-4.5"
    assert env["ANTHROPIC_DEFAULT_HAIKU_MODEL"] == "GLM-4.5-Air"
    state = json.loads((isolated_home / ".claude.json").read_text())
    assert state["hasCompletedOnboarding"] is True
    assert state["mcpServers"]["zai-mcp-server"]["env"]["Z_AI_MODE"] == "ZAI"
    for f in (isolated_home / ".claude" / "settings.json", isolated_home / ".claude.json"):
        assert stat.S_IMODE(f.stat().st_mode) == 0o600
    doc = json.loads(out)
    assert doc["changed"] is True
    assert {row["action"] for row in doc["files"] if row["tool"] == "claude-code"} == {"created"}
    assert KEY not in out + err


def test_user_keys_survive_and_restore_is_byte_exact(isolated_home: Path) -> None:
    settings = isolated_home / ".claude" / "settings.json"
    settings.parent.mkdir()
    settings.write_text(USER_SETTINGS)
    settings.chmod(0o644)
    before = _sha(settings)
    code, _, err = _setup()
    assert code == 0, err
    data = json.loads(settings.read_text())
    assert data["hooks"]["PreToolUse"][0]["matcher"] == "Bash"
    assert data["statusLine"]["command"] == "~/bin/my-status"
    assert data["env"]["MY_OWN_VAR"] == "1"
    assert data["env"]["ANTHROPIC_MODEL"] == "GLM-4.5"
    assert data["enabledPlugins"] == {"x@y": True}
    assert stat.S_IMODE(settings.stat().st_mode) == 0o600  # it now holds the key
    run = run_glmplan("restore", "claude-code", "--yes")
    assert run.code == 0, run.err
    assert _sha(settings) == before
    assert stat.S_IMODE(settings.stat().st_mode) == 0o644
    assert not (isolated_home / ".claude.json").exists()


def test_restore_when_nothing_existed_removes_files_and_dirs(isolated_home: Path) -> None:
    assert _setup()[0] == 0
    run = run_glmplan("restore", "claude-code", "--yes", "--json")
    assert run.code == 0, run.err
    assert not (isolated_home / ".claude").exists()
    assert not (isolated_home / ".claude.json").exists()


def test_second_run_is_unchanged(isolated_home: Path) -> None:
    assert _setup()[0] == 0
    settings = isolated_home / ".claude" / "settings.json"
    mtime = settings.stat().st_mtime_ns
    code, out, err = _setup("--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["changed"] is False
    assert {r["action"] for r in doc["files"] if r["tool"] == "claude-code"} == {"unchanged"}
    assert settings.stat().st_mtime_ns == mtime


def test_dry_run_masks_key_and_writes_nothing(isolated_home: Path) -> None:
    code, out, err = _setup("--dry-run")
    assert code == 0, err
    assert "ANTHROPIC_AUTH_TOKEN" in out
    assert KEY not in out + err
    assert MASKED in out
    assert '"url": "https://api.z.ai/api/mcp/web_search_prime/mcp"' in out  # only the key is masked
    assert sorted(p.name for p in isolated_home.iterdir()) == []


def test_malformed_settings_refused_with_position_and_nothing_written(isolated_home: Path) -> None:
    settings = isolated_home / ".claude" / "settings.json"
    settings.parent.mkdir()
    settings.write_text('{\n  "env": {\n    "A": 1,,\n  }\n}\n')
    before = settings.read_bytes()
    code, out, err = _setup()
    assert code == 1
    assert f"{settings}:3:" in err
    assert settings.read_bytes() == before
    assert not (isolated_home / ".claude.json").exists()
    assert not (isolated_home / ".local" / "state" / "glmplan").exists()
    assert KEY not in out + err


def test_user_edit_after_setup_survives_restore(isolated_home: Path) -> None:
    assert _setup()[0] == 0
    settings = isolated_home / ".claude" / "settings.json"
    data = json.loads(settings.read_text())
    data["env"]["LATER_USER_VAR"] = "kept"
    data["theme"] = "dark"
    settings.write_text(json.dumps(data, indent=2) + "\n")
    run = run_glmplan("restore", "claude-code", "--yes")
    assert run.code == 0, run.err
    after = json.loads(settings.read_text())
    assert after == {"env": {"LATER_USER_VAR": "kept"}, "theme": "dark"}


def test_user_changed_our_key_is_a_conflict(isolated_home: Path) -> None:
    assert _setup()[0] == 0
    settings = isolated_home / ".claude" / "settings.json"
    data = json.loads(settings.read_text())
    data["env"]["ANTHROPIC_MODEL"] = "glm-4.7"
    settings.write_text(json.dumps(data, indent=2) + "\n")
    run = run_glmplan("restore", "claude-code", "--yes")
    assert run.code != 0
    assert json.loads(settings.read_text())["env"]["ANTHROPIC_MODEL"] == "glm-4.7"


def test_claude_config_dir_is_honoured(isolated_home: Path, tmp_path: Path) -> None:
    cfg = tmp_path / "cc"
    run = run_glmplan(
        "setup",
        "claude-code",
        "--plan",
        "max",
        "--api-key-stdin",
        "--yes",
        stdin=KEY + "\n",
        env={"CLAUDE_CONFIG_DIR": str(cfg)},
    )
    assert run.code == 0, run.err
    assert (cfg / "settings.json").exists()
    assert (cfg / ".claude.json").exists()
    assert not (isolated_home / ".claude.json").exists()


def test_status_reports_configured_and_masks_key(isolated_home: Path) -> None:
    assert _setup()[0] == 0
    run = run_glmplan("status", "--json")
    assert run.code == 0, run.err
    tools = {t["tool"]: t for t in json.loads(run.out)["tools"]}
    cc = tools["claude-code"]
    assert cc["configured"] == "yes"
    assert cc["endpoint_kind"] == "coding plan"
    assert cc["key"] == MASKED
    assert KEY not in run.out + run.err


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("setup", "clne", "--plan", "pro", "--api-key-stdin"), "Valid tools: claude-code"),
        (("setup", "claude-code", "--plan", "lite", "--mcp", "--api-key-stdin"), "Lite plan"),
        (
            (
                "setup",
                "claude-code",
                "--plan",
                "pro",
                "--model",
                "glm-4.5-flash",
                "--api-key-stdin",
            ),
            "not supported",
        ),
        (
            (
                "setup",
                "claude-code",
                "--plan",
                "pro",
                "--api-base",
                "http://example.com",
                "--api-key-stdin",
            ),
            "loopback",
        ),
    ],
)
def test_bad_usage_exits_2(args: tuple[str, ...], needle: str) -> None:
    run = run_glmplan(*args, stdin=KEY + "\n")
    assert run.code == 2, (run.out, run.err)
    assert needle in run.err


def test_no_key_and_no_tty_exits_2(isolated_home: Path) -> None:
    run = run_glmplan("setup", "claude-code", "--plan", "pro")
    assert run.code == 2
    assert "--api-key-stdin" in run.err and "ZAI_API_KEY" in run.err


def test_key_from_env_is_stored_0600_and_reused(isolated_home: Path) -> None:
    run = run_glmplan("setup", "claude-code", "--plan", "pro", "--yes", env={"ZAI_API_KEY": KEY})
    assert run.code == 0, run.err
    creds = isolated_home / ".config" / "glmplan" / "credentials.toml"
    assert stat.S_IMODE(creds.stat().st_mode) == 0o600
    again = run_glmplan("setup", "claude-code", "--yes", "--json")
    assert again.code == 0, again.err
    assert json.loads(again.out)["changed"] is False


def test_help_imports_no_heavy_modules() -> None:
    import subprocess
    import sys

    code = (
        "import sys, runpy\n"
        "sys.argv=['glmplan','--help']\n"
        "try:\n runpy.run_module('glmplan', run_name='__main__')\n"
        "except SystemExit: pass\n"
        "heavy=[m for m in ('textual','watchdog','psutil') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "HEAVY []" in out
    assert "setup" in out and "dashboard" in out


def test_state_dir_that_cannot_be_made_is_a_clear_error(isolated_home: Path) -> None:
    blocker = isolated_home / "not-a-dir"
    blocker.write_text("")
    run = run_glmplan(
        "setup", "claude-code", "--plan", "pro", "--api-key-stdin", "--yes",
        stdin=KEY + "\n", env={"GLMPLAN_STATE_DIR": str(blocker / "state")},
    )  # fmt: skip
    assert run.code == 1, run.err
    assert "Cannot create glmplan's state directory" in run.err
    assert not (isolated_home / ".claude").exists()
