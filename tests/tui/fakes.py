"""Fakes for dashboard tests: a scripted quota service, a recording tools service, a clock."""

from __future__ import annotations

import dataclasses
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from glmplan.plan import EndpointKind
from glmplan.quota.model import (
    ApiStatus,
    EventKind,
    LocalUsage,
    McpUsage,
    Source,
    ToolUsage,
    Unit,
    UsageEvent,
    UsageReport,
    Window,
)
from glmplan.tui.services import ToolRow

NOW = datetime(2026, 11, 27, 14, 26, 15, tzinfo=UTC)
RESET = NOW + timedelta(hours=2, minutes=13, seconds=45)
START = RESET - timedelta(hours=5)


class Clock:
    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def events(count: int, tool: str = "claude-code", end: datetime = NOW) -> tuple[UsageEvent, ...]:
    step = (end - START) / max(1, count)
    return tuple(UsageEvent(START + step * (i + 1), tool, EventKind.PROMPT) for i in range(count))


def local_usage(per_tool: dict[str, int], now: datetime = NOW) -> LocalUsage:
    evs = sorted(
        (e for tool, n in per_tool.items() for e in events(n, tool, now)), key=lambda e: e.ts
    )
    by_tool = {
        tool: ToolUsage(tool, n, 0, now - timedelta(minutes=14 * i))
        for i, (tool, n) in enumerate(per_tool.items())
    }
    return LocalUsage(START, RESET, sum(per_tool.values()), 0, by_tool, tuple(evs))


def report(
    now: datetime = NOW,
    percent: float | None = 37.0,
    per_tool: dict[str, int] | None = None,
    api: ApiStatus | None = None,
) -> UsageReport:
    five = None
    if percent is not None:
        five = Window(None, None, Unit.TOKENS, percent, START, RESET, Source.API)
    mcp = McpUsage(
        132,
        1000,
        NOW + timedelta(days=14),
        {"search-prime": 120, "web-reader": 12, "zread": 0},
        Source.API,
    )
    return UsageReport(
        plan="pro",
        generated_at=now,
        five_hour=five,
        weekly=None,
        mcp=mcp if percent is not None else None,
        local=local_usage(per_tool or {"claude-code": 141, "opencode": 63}, now),
        api=api or ApiStatus(ok=True, fetched_at=NOW - timedelta(seconds=12), error=None),
        burn_per_hour=48.0,
    )


class FakeQuota:
    """Answers `report` from `self.current`; counts calls; can be made to fail the API."""

    def __init__(self, current: UsageReport | None = None, paths: list[Path] | None = None) -> None:
        self.current = current or report()
        self.paths = paths or []
        self.local_calls = 0
        self.api_calls = 0
        self.api_ok = True
        self.lock = threading.Lock()

    def refresh_local(self) -> None:
        with self.lock:
            self.local_calls += 1

    def refresh_api(self) -> ApiStatus:
        with self.lock:
            self.api_calls += 1
        if self.api_ok:
            return self.current.api
        failed = ApiStatus(ok=False, fetched_at=None, error="connection refused")
        self.current = dataclasses.replace(
            self.current, five_hour=None, weekly=None, mcp=None, api=failed
        )
        return failed

    def report(self, now: datetime) -> UsageReport:
        return dataclasses.replace(self.current, generated_at=now)

    def watch_paths(self) -> list[Path]:
        return self.paths


ROWS = [
    ToolRow("claude-code", "Claude Code", True, True, False, EndpointKind.CODING_PLAN, 2),
    ToolRow("opencode", "OpenCode", True, True, True, EndpointKind.CODING_PLAN, 0),
    ToolRow("crush", "Crush", True, False, False, EndpointKind.GENERAL, 0),
    ToolRow("goose", "Goose", True, False, False, EndpointKind.NONE, 0),
]


class RecordingTools:
    """A ToolsService that records what was asked (writes nothing)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def rows(self) -> list[ToolRow]:
        return list(ROWS)

    def preview_setup(self, tool: str) -> str:
        self.calls.append(("preview_setup", tool))
        return f"--- a/{tool}.json\n+++ b/{tool}.json\n@@ -1 +1 @@\n-old\n+new key …x9Qa\n"

    def apply_setup(self, tool: str) -> str:
        self.calls.append(("apply_setup", tool))
        return f"{tool} set up"

    def preview_restore(self, tool: str) -> str:
        self.calls.append(("preview_restore", tool))
        return ""

    def apply_restore(self, tool: str) -> str:
        self.calls.append(("apply_restore", tool))
        return f"{tool} restored"
