"""Build a `UsageReport` from the last good API snapshot and the local events (pure).

API figures win; local logs give the per-tool split and stand in when the API has nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from glmplan.plan import PLANS, PlanLimits, PlanName
from glmplan.quota import window as w
from glmplan.quota.model import (
    ApiSnapshot,
    ApiStatus,
    LocalUsage,
    McpUsage,
    Source,
    Unit,
    UsageEvent,
    UsageReport,
    Window,
)


def plan_limits(plan: str | None) -> PlanLimits | None:
    try:
        return PLANS[PlanName(plan)] if plan else None
    except ValueError:
        return None


@dataclass
class _Notes:
    items: list[str] = field(default_factory=list)

    def add(self, text: str) -> None:
        if text not in self.items:
            self.items.append(text)


def compose(
    *,
    plan: str | None,
    snapshot: ApiSnapshot | None,
    status: ApiStatus,
    events: Sequence[UsageEvent],
    now: datetime,
    local_fallback: bool = True,
    skipped_rows: int = 0,
    skipped_events: int = 0,
) -> UsageReport:
    notes = _Notes()
    plan_name = (snapshot.level if snapshot and snapshot.level else None) or plan
    limits = plan_limits(plan_name)
    fetched = snapshot.fetched_at if snapshot else now
    five = _current(snapshot.five_hour if snapshot else None, fetched, now, "5-hour", notes)
    weekly = _current(snapshot.weekly if snapshot else None, fetched, now, "weekly", notes)
    api_span = _span(five)
    local = w.local_usage(events, now, api_span, skipped_events)
    if snapshot is not None and snapshot.five_hour is None:
        notes.add("The quota API's answer had no 5-hour row (team-plan keys return none).")
    if five is None and local_fallback:
        five = _local_window(local, limits, notes)
    mcp = _mcp(snapshot.mcp if snapshot else None, fetched, now, notes)
    if mcp is None and local_fallback:
        mcp = _local_mcp(events, limits, now, notes)
    burn, projected = _burn(five, local, now, notes)
    if status.stale and status.fetched_at:
        notes.add(f"API figures are from the cache (fetched {status.fetched_at.isoformat()}).")
    if skipped_rows:
        notes.add(f"{skipped_rows} row(s) of the quota answer could not be read and were skipped.")
    return UsageReport(
        plan=plan_name,
        generated_at=now,
        five_hour=five,
        weekly=weekly,
        mcp=mcp,
        local=local,
        api=status,
        burn_per_hour=burn,
        projected_exhaustion=projected,
        notes=tuple(notes.items),
    )


def _current(
    window: Window | None, fetched: datetime, now: datetime, name: str, notes: _Notes
) -> Window | None:
    """Drop an API window that reset after it was fetched: its figures describe a finished window.
    (A reset already past when fetched is the server's own word and is shown as given.)"""
    reset = window.reset_at if window is not None else None
    if window is not None and reset is not None and fetched < reset <= now:
        notes.add(
            f"The cached {name} figure belongs to a window that ended at "
            f"{reset.isoformat()}; it is not shown."
        )
        return None
    return window


def _span(window: Window | None) -> w.Span | None:
    if window is None or window.window_start is None or window.reset_at is None:
        return None
    return w.Span(window.window_start, window.reset_at)


def _local_window(local: LocalUsage, limits: PlanLimits | None, notes: _Notes) -> Window:
    limit = float(limits.prompts_per_5h) if limits else None
    used = float(local.prompts)
    percent = used / limit * 100 if limit else None
    if limits:
        notes.add(
            f"The 5-hour figure is estimated from local logs against the plan's "
            f"approximate ~{limits.prompts_per_5h} prompts."
        )
    else:
        notes.add(
            "The 5-hour figure is counted from local logs; the plan (and so the limit) is unknown."
        )
    return Window(
        used, limit, Unit.PROMPTS, percent, local.window_start, local.window_end, Source.LOCAL
    )


def _mcp(api: McpUsage | None, fetched: datetime, now: datetime, notes: _Notes) -> McpUsage | None:
    if api is None:
        return None
    if api.reset_at is not None and fetched < api.reset_at <= now:
        notes.add("The cached MCP figure belongs to a month that has ended; it is not shown.")
        return None
    if api.reset_at is not None:
        return api
    month = w.month_window(None, now)
    notes.add("The API gave no MCP reset time; assuming the 1st of the month, 00:00 UTC.")
    return McpUsage(api.used, api.limit, month.span.end, api.by_tool, api.source)


def _local_mcp(
    events: Sequence[UsageEvent], limits: PlanLimits | None, now: datetime, notes: _Notes
) -> McpUsage:
    month = w.month_window(None, now)
    used, by_tool = w.count_mcp(events, month.span)
    limit = limits.mcp_searches_per_month if limits else None
    notes.add(
        "MCP calls counted from local logs since the 1st of the month, 00:00 UTC (assumed reset)."
    )
    if limits and not limits.mcp_included:
        notes.add(f"MCP web search is not included in the {limits.name.value} plan.")
    return McpUsage(used, limit, month.span.end, by_tool, Source.LOCAL)


def _burn(
    five: Window | None, local: LocalUsage, now: datetime, notes: _Notes
) -> tuple[float | None, datetime | None]:
    """Prompts/h from local logs when there are any, else percent/h from the API; the projection
    uses the API percent when known (it is authoritative), else local prompts against the limit."""
    local_rate = None
    if local.window_start is not None and local.prompts:
        local_rate = w.burn_rate(local.prompts, local.window_start, now)
    api_rate = projected = None
    if (
        five is not None
        and five.source is Source.API
        and five.percent is not None
        and five.window_start
    ):
        api_rate = w.burn_rate(five.percent, five.window_start, now)
        projected = w.projected_exhaustion(five.percent, 100.0, api_rate, now, five.reset_at)
    elif five is not None and five.source is Source.LOCAL and five.limit and five.used is not None:
        projected = w.projected_exhaustion(five.used, five.limit, local_rate, now, five.reset_at)
    if local_rate is not None:
        notes.add("Burn rate: prompts per hour in the current window (local logs).")
        return local_rate, projected
    if api_rate is not None:
        notes.add("Burn rate: percent of the 5-hour limit per hour (API).")
    return api_rate, projected
