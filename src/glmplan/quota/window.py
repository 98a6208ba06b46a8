"""Window maths, pure: no I/O, no clock (`now` is always a parameter).

The local block rule: a window starts at the first prompt after the previous window ended and
lasts exactly five hours; the active window is the one that contains `now`, if any.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from glmplan.quota.model import EventKind, LocalUsage, ToolUsage, UsageEvent

FIVE_HOURS = timedelta(hours=5)
_HOUR = 3600.0


@dataclass(frozen=True)
class Span:
    """A half-open interval [start, end)."""

    start: datetime
    end: datetime

    def __contains__(self, moment: object) -> bool:
        return isinstance(moment, datetime) and self.start <= moment < self.end


def blocks(prompt_times: Iterable[datetime], length: timedelta = FIVE_HOURS) -> list[Span]:
    """Every window the prompts open, oldest first. Input need not be sorted."""
    spans: list[Span] = []
    for moment in sorted(prompt_times):
        if not spans or moment >= spans[-1].end:
            spans.append(Span(moment, moment + length))
    return spans


def active_block(prompt_times: Iterable[datetime], now: datetime) -> Span | None:
    """The window containing `now`; only the last block can contain it."""
    past = [t for t in prompt_times if t <= now]
    spans = blocks(past)
    return spans[-1] if spans and now in spans[-1] else None


def api_window(reset_at: datetime, length: timedelta = FIVE_HOURS) -> Span:
    """The window the API's `nextResetTime` implies: [reset − 5 h, reset)."""
    return Span(reset_at - length, reset_at)


def burn_rate(used: float, start: datetime, now: datetime) -> float | None:
    """Units per hour over the elapsed part of the window; None before any time has elapsed."""
    elapsed = (now - start).total_seconds() / _HOUR
    if elapsed <= 0:
        return None
    return used / elapsed


def projected_exhaustion(
    used: float, limit: float, rate: float | None, now: datetime, reset_at: datetime | None
) -> datetime | None:
    """When `used` reaches `limit` at `rate`, if before the reset (`now` when already there)."""
    if limit <= 0:
        return None
    if used >= limit:
        return now
    if not rate or rate <= 0:
        return None
    try:
        when = now + timedelta(hours=(limit - used) / rate)
    except OverflowError:  # a rate so low the date is beyond year 9999
        return None
    return when if reset_at is None or when < reset_at else None


@dataclass(frozen=True)
class MonthWindow:
    span: Span
    assumed: bool  # True: calendar month in UTC, because the API gave no reset time


def month_window(reset_at: datetime | None, now: datetime) -> MonthWindow:
    """The monthly MCP window: one month back from the API's reset, else the UTC calendar month."""
    if reset_at is not None:
        return MonthWindow(Span(_add_months(reset_at, -1), reset_at), assumed=False)
    start = now.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return MonthWindow(Span(start, _add_months(start, 1)), assumed=True)


def _add_months(moment: datetime, months: int) -> datetime:
    index = moment.year * 12 + moment.month - 1 + months
    year, month = divmod(index, 12)
    day = min(moment.day, _days_in(year, month + 1))
    return moment.replace(year=year, month=month + 1, day=day)


def _days_in(year: int, month: int) -> int:
    nxt = datetime(year + month // 12, month % 12 + 1, 1)
    return (nxt - timedelta(days=1)).day


def local_usage(
    events: Sequence[UsageEvent], now: datetime, window: Span | None = None, skipped: int = 0
) -> LocalUsage:
    """Per-tool counts in `window` (the API's when known, else the active local block)."""
    if window is None:
        window = active_block((e.ts for e in events if e.kind is EventKind.PROMPT), now)
    inside = sorted((e for e in events if window and e.ts in window), key=lambda e: e.ts)
    by_tool = aggregate(inside, last_seen=_last_seen(events, now))
    prompts = sum(t.prompts for t in by_tool.values())
    searches = sum(t.web_searches for t in by_tool.values())
    return LocalUsage(
        window_start=window.start if window else None,
        window_end=window.end if window else None,
        prompts=prompts,
        web_searches=searches,
        by_tool=by_tool,
        events=tuple(inside),
        skipped=skipped,
    )


def _last_seen(events: Iterable[UsageEvent], now: datetime) -> dict[str, datetime]:
    last: dict[str, datetime] = {}
    for event in events:
        if event.ts <= now and (event.tool not in last or event.ts > last[event.tool]):
            last[event.tool] = event.ts
    return last


def aggregate(
    events: Iterable[UsageEvent], last_seen: dict[str, datetime] | None = None
) -> dict[str, ToolUsage]:
    """Prompts and web searches per tool; every tool seen at all gets a row (zeros when idle)."""
    prompts: dict[str, int] = dict.fromkeys(last_seen or {}, 0)
    searches: dict[str, int] = dict.fromkeys(last_seen or {}, 0)
    last: dict[str, datetime] = dict(last_seen or {})
    for event in events:
        prompts.setdefault(event.tool, 0)
        searches.setdefault(event.tool, 0)
        if event.kind is EventKind.PROMPT:
            prompts[event.tool] += 1
        elif event.kind is EventKind.WEB_SEARCH:
            searches[event.tool] += 1
        if event.tool not in last or event.ts > last[event.tool]:
            last[event.tool] = event.ts
    return {
        tool: ToolUsage(tool, prompts[tool], searches[tool], last.get(tool))
        for tool in sorted(prompts)
    }


def count_mcp(events: Iterable[UsageEvent], span: Span) -> tuple[int, dict[str, int]]:
    """Local MCP calls in `span`: total and per MCP tool (unknown tool → "search-prime")."""
    by_tool: dict[str, int] = {}
    for event in events:
        if event.kind is EventKind.WEB_SEARCH and event.ts in span:
            name = event.mcp_tool or "search-prime"
            by_tool[name] = by_tool.get(name, 0) + 1
    return sum(by_tool.values()), by_tool
