"""The dashboard's Tools screen service over the real engine, in a temp HOME."""

from __future__ import annotations

from pathlib import Path

from glmplan.paths import Paths
from glmplan.plan import EndpointKind
from glmplan.tools_service import EngineToolsService
from tests.support.cli import run_glmplan

KEY = "sk-CANARY-tools-0123456789"


def test_without_stored_settings_setup_explains(paths: Paths) -> None:
    service = EngineToolsService(paths)
    assert "glmplan setup" in service.preview_setup("claude-code")
    assert "glmplan setup" in service.apply_setup("claude-code")
    assert len(service.rows()) == 7


def test_setup_preview_apply_and_restore(isolated_home: Path) -> None:
    run = run_glmplan(
        "setup", "opencode", "--plan", "pro", "--api-key-stdin", "--yes", stdin=KEY + "\n"
    )
    assert run.code == 0, run.err
    service = EngineToolsService(Paths.from_env())
    diff = service.preview_setup("claude-code")
    assert "ANTHROPIC_AUTH_TOKEN" in diff and KEY not in diff
    assert not (isolated_home / ".claude").exists()
    assert "set up" in service.apply_setup("claude-code")
    rows = {r.tool: r for r in service.rows()}
    assert rows["claude-code"].configured and not rows["claude-code"].changed
    assert rows["claude-code"].endpoint is EndpointKind.CODING_PLAN
    assert "settings.json" in service.preview_restore("claude-code")
    assert "restored" in service.apply_restore("claude-code")
    assert not (isolated_home / ".claude").exists()
    assert (isolated_home / ".config" / "opencode" / "opencode.json").exists()
