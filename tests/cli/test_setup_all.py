"""`glmplan setup` with no tool names configures exactly the detected tools; `--all` all seven."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.cli import run_glmplan

KEY = "sk-CANARY-all-0123456789"


def _setup(*args: str) -> dict[str, object]:
    run = run_glmplan(
        "setup", "--plan", "pro", "--api-key-stdin", "--yes", "--json", *args, stdin=KEY + "\n"
    )
    assert run.code == 0, run.err
    doc = json.loads(run.out)
    assert isinstance(doc, dict)
    return doc


def _actions(doc: dict[str, object]) -> dict[str, set[str]]:
    rows = doc["files"]
    assert isinstance(rows, list)
    found: dict[str, set[str]] = {}
    for row in rows:
        found.setdefault(row["tool"], set()).add(row["action"])
    return found


def test_no_names_configures_only_detected_tools_and_explains_the_rest(
    isolated_home: Path,
) -> None:
    (isolated_home / ".config" / "opencode").mkdir(parents=True)
    (isolated_home / ".cline").mkdir()
    doc = _setup()
    actions = _actions(doc)
    assert actions["opencode"] == {"created"}
    assert actions["cline"] == {"created"}
    skipped = {t for t, a in actions.items() if a == {"skipped"}}
    assert skipped == {"claude-code", "roo-code", "kilo-code", "crush", "goose"}
    reasons = [r["reason"] for r in doc["files"] if r["action"] == "skipped"]  # type: ignore[attr-defined]
    assert all("not detected" in reason for reason in reasons)
    assert not (isolated_home / ".claude").exists()


def test_all_configures_all_seven_and_restore_all_removes_everything(isolated_home: Path) -> None:
    doc = _setup("--all")
    actions = _actions(doc)
    assert set(actions) == {
        "claude-code", "roo-code", "kilo-code", "cline", "opencode", "crush", "goose",
    }  # fmt: skip
    assert all(a == {"created"} for a in actions.values()), actions
    again = _setup("--all")
    assert again["changed"] is False
    run = run_glmplan("restore", "--all", "--yes")
    assert run.code == 0, run.err
    left = sorted(
        str(p.relative_to(isolated_home))
        for p in isolated_home.rglob("*")
        if p.is_file() and ".local/state/glmplan" not in str(p)
    )
    assert left == [".config/glmplan/config.toml", ".config/glmplan/credentials.toml"]


def test_no_tool_detected_says_how_to_proceed(isolated_home: Path) -> None:
    run = run_glmplan("setup", "--plan", "pro", "--api-key-stdin", "--yes", stdin=KEY + "\n")
    assert run.code == 1
    assert "--all" in run.out + run.err
