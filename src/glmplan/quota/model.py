"""Typed data that crosses the quota boundary (API client, log readers, maths, CLI, dashboard).

All datetimes are timezone-aware UTC.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol


class Source(enum.StrEnum):
    API = "api"
    LOCAL = "local"


class Unit(enum.StrEnum):
    PROMPTS = "prompts"
    TOKENS = "tokens"
    CREDITS = "credits"


class EventKind(enum.StrEnum):
    PROMPT = "prompt"  # a human prompt typed by the user
    WEB_SEARCH = "web_search"  # an MCP web-search call


@dataclass(frozen=True)
class UsageEvent:
    ts: datetime
    tool: str  # a tool id, e.g. "claude-code"
    kind: EventKind
    mcp_tool: str | None = None  # "search-prime" | "web-reader" | "zread" for MCP calls


@dataclass(frozen=True)
class Window:
    """A quota window (5-hour or weekly)."""

    used: float | None
    limit: float | None
    unit: Unit
    percent: float | None
    window_start: datetime | None
    reset_at: datetime | None
    source: Source


@dataclass(frozen=True)
class McpUsage:
    used: int | None
    limit: int | None
    reset_at: datetime | None
    by_tool: dict[str, int]  # search-prime, web-reader, zread
    source: Source


@dataclass(frozen=True)
class ApiSnapshot:
    """One good answer of the quota API, parsed."""

    fetched_at: datetime
    level: str | None  # data.level: lite|pro|max
    five_hour: Window | None
    weekly: Window | None
    mcp: McpUsage | None


@dataclass(frozen=True)
class ToolUsage:
    tool: str
    prompts: int
    web_searches: int
    last_activity: datetime | None


@dataclass(frozen=True)
class LocalUsage:
    """What the local logs say about the active window."""

    window_start: datetime | None
    window_end: datetime | None
    prompts: int
    web_searches: int
    by_tool: dict[str, ToolUsage]
    events: tuple[UsageEvent, ...] = ()  # events in the active window, oldest first
    skipped: int = 0  # malformed lines/rows skipped while reading


@dataclass(frozen=True)
class ApiStatus:
    ok: bool
    fetched_at: datetime | None
    error: str | None
    stale: bool = False  # data shown comes from the cache, not this refresh


@dataclass(frozen=True)
class UsageReport:
    """Everything `usage`, `statusline` and the dashboard show."""

    plan: str | None
    generated_at: datetime
    five_hour: Window | None
    weekly: Window | None
    mcp: McpUsage | None
    local: LocalUsage
    api: ApiStatus
    burn_per_hour: float | None = None  # prompts/h (or percent/h when only the API is known)
    projected_exhaustion: datetime | None = None  # only when before the reset
    notes: tuple[str, ...] = field(default=())


class QuotaService(Protocol):
    """What the CLI and the dashboard use; the dashboard gets a fake one in tests and demo mode."""

    def refresh_local(self) -> None:
        """Read what is new in the tools' logs (incremental; cheap when nothing changed)."""

    def refresh_api(self) -> ApiStatus:
        """Ask the quota API; never raises for network/API trouble (the status says it)."""

    def report(self, now: datetime) -> UsageReport:
        """The current figures, from the last refreshes (no I/O beyond cheap cache reads)."""

    def watch_paths(self) -> list[Path]:
        """Directories whose changes mean new log lines (for watchdog)."""
