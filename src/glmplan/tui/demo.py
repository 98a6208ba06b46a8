"""The built-in simulated account behind `glmplan dashboard --demo`.

No key, no network, no file touched: every figure is a pure function of the injected clock (and a
fixed seed), so snapshots of the demo are deterministic.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import replace
from datetime import datetime, timedelta
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
from glmplan.tui.format import WINDOW, display_name
from glmplan.tui.options import Clock, utc_now
from glmplan.tui.services import ToolRow

TO_RESET = timedelta(hours=2, minutes=13, seconds=45)
# Prompts per 15 minutes before the demo starts: a morning that picks up, a lunch dip, a busy hour.
HISTORY = (5, 11, 18, 27, 33, 24, 13, 8, 16, 26, 35, 6)
CREDITS_PER_PROMPT = 20
CREDIT_LIMIT = 12_000  # the Pro plan's 5-hour credits
MCP_BEFORE = {"search-prime": 111, "web-reader": 12, "zread": 0}
LIVE_TOOLS = (("claude-code", 6), ("opencode", 3), ("cline", 1))
SEARCH_EVERY = 6  # every n-th live prompt also runs a web search


class DemoQuotaService:
    """A Pro account on the global region, about 2 h 13 m before its 5-hour reset."""

    def __init__(self, clock: Clock = utc_now, seed: int = 7) -> None:
        self.clock = clock
        self.anchor = clock().replace(microsecond=0)
        self.reset_at = self.anchor + TO_RESET
        self.window_start = self.reset_at - WINDOW
        self.fetched_at: datetime | None = None
        self._rng = random.Random(seed)  # noqa: S311  simulated data, not security
        self.events: list[UsageEvent] = self._history()
        self._stamps = [e.ts for e in self.events]
        self._live_count = 0

    def _history(self) -> list[UsageEvent]:
        events: list[UsageEvent] = []
        for index, count in enumerate(HISTORY):
            begin = self.window_start + timedelta(minutes=15 * index)
            span = min(timedelta(minutes=15), self.anchor - begin)
            for _ in range(count):
                ts = begin + span * self._rng.random()
                events.append(UsageEvent(ts, self._history_tool(ts), EventKind.PROMPT))
        for minutes in (20, 41, 63, 77, 96, 120, 133, 150, 160):
            ts = self.window_start + timedelta(minutes=minutes, seconds=17)
            events.append(UsageEvent(ts, "claude-code", EventKind.WEB_SEARCH, "search-prime"))
        return sorted(events, key=lambda e: e.ts)

    def _history_tool(self, ts: datetime) -> str:
        before = self.anchor - ts
        roll = self._rng.random()
        if before > timedelta(hours=1) and roll < 0.12:  # Cline's share
            return "cline"
        if before > timedelta(minutes=14) and roll < 0.4:  # OpenCode's share
            return "opencode"
        return "claude-code"

    def _extend(self, now: datetime) -> None:
        """Live prompts every few seconds after the demo started."""
        last = max(self.anchor, self.events[-1].ts if self.events else self.anchor)
        while last < now:
            last += timedelta(seconds=self._rng.uniform(1.5, 6.0))
            tool = self._rng.choices([t for t, _ in LIVE_TOOLS], [w for _, w in LIVE_TOOLS])[0]
            self.events.append(UsageEvent(last, tool, EventKind.PROMPT))
            self._live_count += 1
            if self._live_count % SEARCH_EVERY == 0:
                ts = last + timedelta(seconds=1)
                self.events.append(UsageEvent(ts, tool, EventKind.WEB_SEARCH, "search-prime"))
                last = ts
        self._stamps = [e.ts for e in self.events]

    # -- QuotaService ---------------------------------------------------------------------------
    def refresh_local(self) -> None:
        self._extend(self.clock())

    def refresh_api(self) -> ApiStatus:
        self.fetched_at = self.clock()
        return ApiStatus(ok=True, fetched_at=self.fetched_at, error=None)

    def watch_paths(self) -> list[Path]:
        return []

    def report(self, now: datetime) -> UsageReport:
        start = self.window_start + WINDOW * int((now - self.window_start) / WINDOW)
        lo = bisect.bisect_left(self._stamps, start)
        hi = bisect.bisect_right(self._stamps, now)
        events = tuple(self.events[lo:hi])
        local = _local_usage(events, start)
        five = self._five_hour(local.prompts, start)
        return UsageReport(
            plan="pro",
            generated_at=now,
            five_hour=five if self.fetched_at else None,
            weekly=self._weekly(local.prompts) if self.fetched_at else None,
            mcp=self._mcp(local.web_searches) if self.fetched_at else None,
            local=local,
            api=ApiStatus(ok=self.fetched_at is not None, fetched_at=self.fetched_at, error=None),
            burn_per_hour=_burn(local.prompts, start, now),
            projected_exhaustion=_projection(local.prompts, start, now),
            notes=("demo mode: simulated data, nothing is read or written",),
        )

    def _five_hour(self, prompts: int, start: datetime) -> Window:
        used = prompts * CREDITS_PER_PROMPT
        return Window(
            used=used,
            limit=CREDIT_LIMIT,
            unit=Unit.CREDITS,
            percent=min(100.0, used / CREDIT_LIMIT * 100),
            window_start=start,
            reset_at=start + WINDOW,
            source=Source.API,
        )

    def _weekly(self, prompts: int) -> Window:
        reset = self.anchor + timedelta(days=3, hours=5, minutes=2)
        percent = min(100.0, 55.0 + prompts * 0.027)
        start = reset - timedelta(days=7)
        return Window(None, None, Unit.CREDITS, percent, start, reset, Source.API)

    def _mcp(self, searches: int) -> McpUsage:
        by_tool = dict(MCP_BEFORE)
        by_tool["search-prime"] += searches
        reset = (self.anchor + timedelta(days=14)).replace(hour=0, minute=0, second=0)
        return McpUsage(sum(by_tool.values()), 1000, reset, by_tool, Source.API)


def _local_usage(events: tuple[UsageEvent, ...], start: datetime) -> LocalUsage:
    by_tool: dict[str, ToolUsage] = {}
    for event in events:
        old = by_tool.get(event.tool, ToolUsage(event.tool, 0, 0, None))
        prompt = event.kind is EventKind.PROMPT
        by_tool[event.tool] = ToolUsage(
            event.tool,
            old.prompts + prompt,
            old.web_searches + (not prompt),
            event.ts,
        )
    prompts = sum(u.prompts for u in by_tool.values())
    first = events[0].ts if events else None
    return LocalUsage(
        window_start=first or start,
        window_end=(first or start) + WINDOW,
        prompts=prompts,
        web_searches=sum(u.web_searches for u in by_tool.values()),
        by_tool=by_tool,
        events=events,
    )


def _burn(prompts: int, start: datetime, now: datetime) -> float | None:
    hours = (now - start).total_seconds() / 3600
    return prompts / hours if hours > 0.25 else None  # too early for a rate


def _projection(prompts: int, start: datetime, now: datetime) -> datetime | None:
    burn = _burn(prompts, start, now)
    limit = CREDIT_LIMIT / CREDITS_PER_PROMPT
    if not burn or prompts >= limit:
        return None
    at = now + timedelta(hours=(limit - prompts) / burn)
    return at if at < start + WINDOW else None


DEMO_KEY_HINT = "…x9Qa"  # what glmplan.secrets.mask shows for the demo's pretend key
_CONFIG = {
    "claude-code": "~/.claude/settings.json",
    "roo-code": "~/.config/Code/User/globalStorage/rooveterinaryinc.roo-cline/settings.json",
    "kilo-code": "~/.config/kilo/kilo.jsonc",
    "cline": "~/.cline/data/globalState.json",
    "opencode": "~/.config/opencode/opencode.json",
    "crush": "~/.config/crush/crush.json",
    "goose": "~/.config/goose/config.yaml",
}


def _demo_rows() -> list[ToolRow]:
    coding, general, none = EndpointKind.CODING_PLAN, EndpointKind.GENERAL, EndpointKind.NONE
    states = (
        ("claude-code", True, True, False, coding, 2, "binary on PATH: ~/.local/bin/claude"),
        ("roo-code", False, False, False, none, 0, "VS Code extension not installed"),
        ("kilo-code", False, False, False, none, 0, "not installed"),
        ("cline", True, True, True, coding, 0, "VS Code extension; settings edited since setup"),
        ("opencode", True, True, False, coding, 0, "binary on PATH: ~/.opencode/bin/opencode"),
        ("crush", True, False, False, general, 0, "set up by hand on the general API"),
        ("goose", True, False, False, none, 0, "binary on PATH: ~/.local/bin/goose"),
    )
    return [
        ToolRow(tool, display_name(tool), detected, configured, changed, endpoint, running, note)
        for tool, detected, configured, changed, endpoint, running, note in states
    ]


class DemoToolsService:
    """Seven tools in plausible states; setup and restore change only this object's memory."""

    def __init__(self) -> None:
        self._rows = {row.tool: row for row in _demo_rows()}

    def rows(self) -> list[ToolRow]:
        return list(self._rows.values())

    def preview_setup(self, tool: str) -> str:
        path = _CONFIG[tool]
        return (
            f"--- {path}\n+++ {path}\n@@ -1,3 +1,6 @@\n {{\n"
            f'+  "baseURL": "https://api.z.ai/api/coding/paas/v4",\n'
            f'+  "apiKey": "{DEMO_KEY_HINT}",\n'
            f'+  "model": "glm-4.5",\n   "theme": "dark"\n }}\n'
        )

    def preview_restore(self, tool: str) -> str:
        path = _CONFIG[tool]
        return (
            f"--- {path}\n+++ {path}\n@@ -1,6 +1,3 @@\n {{\n"
            f'-  "baseURL": "https://api.z.ai/api/coding/paas/v4",\n'
            f'-  "apiKey": "{DEMO_KEY_HINT}",\n'
            f'-  "model": "glm-4.5",\n   "theme": "dark"\n }}\n'
        )

    def apply_setup(self, tool: str) -> str:
        row = self._rows[tool]
        endpoint = EndpointKind.CODING_PLAN
        self._rows[tool] = replace(row, configured=True, changed=False, endpoint=endpoint)
        return f"Demo: {row.name} would now be set up (nothing was written)."

    def apply_restore(self, tool: str) -> str:
        row = self._rows[tool]
        self._rows[tool] = replace(row, configured=False, changed=False, endpoint=EndpointKind.NONE)
        return f"Demo: {row.name} would now be restored (nothing was written)."
