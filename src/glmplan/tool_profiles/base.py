"""The shape every tool module has (checked by mypy through the registry in `__init__`).

A profile is pure: it gets settings, paths and a read-only `FileView`, and returns data. Only the
installer touches the disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from glmplan.installer.edits import FileSpec
from glmplan.paths import Paths
from glmplan.plan import Endpoints, Model, PlanName, Region


@dataclass(frozen=True)
class SetupSettings:
    """What `glmplan setup` was asked for, resolved and validated."""

    plan: PlanName
    region: Region
    endpoints: Endpoints
    api_key: str
    model: Model
    fast_model: Model
    mcp: bool
    api_base: str | None = None  # set when the user passed --api-base (tools then get baseURLs)
    statusline_command: str | None = None  # Claude Code statusLine command, when asked for


class FileView(Protocol):
    """Read-only access to the file system, given to profiles (the installer implements it)."""

    def exists(self, path: Path) -> bool: ...
    def is_dir(self, path: Path) -> bool: ...
    def read_text(self, path: Path) -> str | None: ...  # None when missing or unreadable
    def listdir(self, path: Path) -> list[str]: ...  # [] when missing
    def which(self, name: str) -> Path | None: ...  # searches PATH from Paths.env


@dataclass(frozen=True)
class Detection:
    tool: str
    found: bool
    how: tuple[str, ...] = ()  # e.g. "binary on PATH: /usr/bin/claude", "config dir: ~/.claude"


@dataclass(frozen=True)
class ToolState:
    """What the tool's config says today (for `status` and `doctor`)."""

    endpoint: str | None = None
    model: str | None = None
    key: str | None = None  # raw; the renderer masks it
    provider: str | None = None
    mcp_servers: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())  # warnings such as "uses the general API"


class ToolProfile(Protocol):
    """Module-level names every `tool_profiles/<tool>.py` defines."""

    TOOL_ID: str
    DISPLAY_NAME: str
    PROCESS_NAMES: tuple[str, ...]  # binary names, also matched inside node/bun command lines
    SUPPORTS_MCP: bool

    def detect(self, paths: Paths, fs: FileView) -> Detection: ...

    def plan(self, settings: SetupSettings, paths: Paths, fs: FileView) -> list[FileSpec]: ...

    def inspect(self, paths: Paths, fs: FileView) -> ToolState: ...

    def log_locations(self, paths: Paths) -> list[Path]: ...
