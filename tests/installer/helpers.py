"""Shared builders for the installer tests (real JSON files under tmp_path)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from glmplan.installer.edits import Edit, FileSpec, Format, JSONValue, Set
from glmplan.installer.engine import RunResult, apply_run, plan_run
from glmplan.paths import Paths

KEY = "sk-CANARY-0123456789abcdefXYZ9"
BASE_URL = "https://api.z.ai/api/anthropic"

USER_SETTINGS = """{
  // user's own settings
  "hooks": {"PreToolUse": []},
  "permissions": {"allow": ["Bash(ls)"]},
  "env": {
    "EDITOR": "vim"
  }
}
"""


def claude_spec(path: Path, *, key: str = KEY, model: str = "GLM-4.5") -> FileSpec:
    edits: tuple[Edit, ...] = (
        Set(("env", "ANTHROPIC_BASE_URL"), BASE_URL),
        Set(("env", "ANTHROPIC_AUTH_TOKEN"), key, secret=True),
        Set(("env", "ANTHROPIC_MODEL"), model),
    )
    return FileSpec(
        path=path, format=Format.JSONC, edits=edits, holds_secret=True, purpose="settings"
    )


def mcp_spec(path: Path) -> FileSpec:
    server: dict[str, JSONValue] = {
        "type": "http",
        "url": "https://api.z.ai/api/mcp/web_search_prime/mcp",
    }
    return FileSpec(
        path=path,
        format=Format.JSON,
        edits=(Set(("mcpServers", "zai-web-search"), server),),
        purpose="MCP servers",
    )


def setup(paths: Paths, specs: dict[str, list[FileSpec]]) -> RunResult:
    return apply_run(plan_run(specs, paths), paths)


def snapshot(root: Path) -> dict[str, tuple[bytes | None, int, int, int]]:
    """Bytes (None for dirs), mode, inode and mtime of everything under root."""
    out: dict[str, tuple[bytes | None, int, int, int]] = {}
    for path in sorted(_walk(root)):
        st = path.lstat()
        data = path.read_bytes() if path.is_file() and not path.is_symlink() else None
        out[str(path.relative_to(root))] = (data, st.st_mode, st.st_ino, st.st_mtime_ns)
    return out


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            yield Path(dirpath) / name


def all_bytes_under(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in _walk(root) if p.is_file() and not p.is_symlink())
