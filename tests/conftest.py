"""Tests never see the developer's machine: HOME, XDG_* and every tool env var point at tmp_path."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from glmplan.paths import Paths

# CI (CI=true) runs every property with a fixed seed, so a red build is reproducible and not a
# roll of the dice; local runs explore new examples each time.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

# Every environment variable that could point a tool (or glmplan) at the real machine's files.
TOOL_ENV_VARS = (
    "CLAUDE_CONFIG_DIR",
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_AUTH_TOKEN",
    "ANTHROPIC_BASE_URL",
    "OPENCODE_CONFIG",
    "OPENCODE_CONFIG_DIR",
    "OPENCODE_CONFIG_CONTENT",
    "OPENCODE_DB",
    "KILO_CONFIG",
    "KILO_CONFIG_DIR",
    "KILO_CONFIG_CONTENT",
    "KILO_AUTH_CONTENT",
    "CLINE_DIR",
    "CLINE_DATA_DIR",
    "CLINE_PROVIDER_SETTINGS_PATH",
    "CLINE_MCP_SETTINGS_PATH",
    "CLINE_SESSION_DATA_DIR",
    "CRUSH_GLOBAL_CONFIG",
    "CRUSH_GLOBAL_DATA",
    "GOOSE_PATH_ROOT",
    "GOOSE_DISABLE_KEYRING",
    "ZAI_API_KEY",
    "ZHIPU_API_KEY",
    "GLMPLAN_API_BASE",
    "GLMPLAN_CONFIG_DIR",
    "GLMPLAN_STATE_DIR",
    "GLMPLAN_CACHE_DIR",
    "APPDATA",
    "LOCALAPPDATA",
    "XDG_RUNTIME_DIR",
)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    for var in TOOL_ENV_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    yield home


@pytest.fixture
def paths(isolated_home: Path) -> Paths:
    """A `Paths` for the isolated HOME (built from the patched environment)."""
    return Paths.from_env()
