"""A `UsageReport` as the exact `usage --json` document (PRODUCT.md) and as human text."""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict

from glmplan.quota.model import ApiSnapshot, LocalUsage, McpUsage, UsageReport, Window


class WindowDoc(TypedDict):
    used: float | int | None
    limit: float | int | None
    unit: str
    percent: float | None
    window_start: str | None
    reset_at: str | None
    seconds_to_reset: int | None
    source: str


class McpDoc(TypedDict):
    used: int | None
    limit: int | None
    reset_at: str | None
    by_tool: dict[str, int]
    source: str


class LocalDoc(TypedDict):
    window_start: str | None
    prompts: int
    web_searches: int
    by_tool: dict[str, int]


class ApiDoc(TypedDict):
    ok: bool
    fetched_at: str | None
    error: str | None


class UsageDoc(TypedDict):
    plan: str | None
    generated_at: str
    five_hour: WindowDoc | None
    weekly: WindowDoc | None
    mcp: McpDoc | None
    local: LocalDoc
    api: ApiDoc


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def number(value: float | None) -> float | int | None:
    """Whole numbers as ints (47, not 47.0)."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def seconds_until(moment: datetime | None, now: datetime) -> int | None:
    return None if moment is None else max(0, int((moment - now).total_seconds()))


def _window(window: Window | None, now: datetime) -> WindowDoc | None:
    if window is None:
        return None
    return WindowDoc(
        used=number(window.used),
        limit=number(window.limit),
        unit=window.unit.value,
        percent=None if window.percent is None else round(window.percent, 1),
        window_start=iso(window.window_start),
        reset_at=iso(window.reset_at),
        seconds_to_reset=seconds_until(window.reset_at, now),
        source=window.source.value,
    )


def _mcp(mcp: McpUsage | None) -> McpDoc | None:
    if mcp is None:
        return None
    return McpDoc(
        used=mcp.used,
        limit=mcp.limit,
        reset_at=iso(mcp.reset_at),
        by_tool=dict(mcp.by_tool),
        source=mcp.source.value,
    )


def _local(local: LocalUsage) -> LocalDoc:
    return LocalDoc(
        window_start=iso(local.window_start),
        prompts=local.prompts,
        web_searches=local.web_searches,
        by_tool={tool: usage.prompts for tool, usage in local.by_tool.items()},
    )


def to_json(report: UsageReport) -> UsageDoc:
    now = report.generated_at
    return UsageDoc(
        plan=report.plan,
        generated_at=now.isoformat(),
        five_hour=_window(report.five_hour, now),
        weekly=_window(report.weekly, now),
        mcp=_mcp(report.mcp),
        local=_local(report.local),
        api=ApiDoc(ok=report.api.ok, fetched_at=iso(report.api.fetched_at), error=report.api.error),
    )


# -- text ----------------------------------------------------------------------------------------


def duration(seconds: float) -> str:
    """`2h13m`, `13m`, `45s`, `3d04h`: short and fixed in style, for countdowns and ages."""
    total = max(0, int(seconds))
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d{hours:02d}h"
    if hours:
        return f"{hours}h{minutes:02d}m"
    if minutes:
        return f"{minutes}m"
    return f"{secs}s"


def _qty(value: float | None) -> str:
    shown = number(value)
    if shown is None:
        return "?"
    return f"{shown:,}" if isinstance(shown, int) else f"{shown:,.1f}"


def _clock(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _origin(source: str, report: UsageReport) -> str:
    if source == "local":
        return "local logs"
    fetched = report.api.fetched_at
    age = duration((report.generated_at - fetched).total_seconds()) if fetched else "?"
    return f"api, cached {age} ago (stale)" if report.api.stale else f"api, {age} ago"


def _window_line(label: str, window: Window, report: UsageReport) -> str:
    pct = "?" if window.percent is None else f"{window.percent:.1f}%"
    amount = f"{_qty(window.used)} / {_qty(window.limit)} {window.unit.value}"
    if window.reset_at is not None:
        left = (window.reset_at - report.generated_at).total_seconds()
        reset = f"resets in {duration(left)} ({_clock(window.reset_at)})"
    else:
        reset = (
            "no reset time (idle window)" if window.source.value == "api" else "no active window"
        )
    return f"{label:<15}{pct:>7}  {amount} · {reset}  [{_origin(window.source.value, report)}]"


def _mcp_line(mcp: McpUsage, report: UsageReport) -> str:
    tools = ", ".join(f"{k} {v:,}" for k, v in mcp.by_tool.items()) or "no calls"
    reset = ""
    if mcp.reset_at is not None:
        left = (mcp.reset_at - report.generated_at).total_seconds()
        reset = f" · resets in {duration(left)}"
    used, limit = _qty(mcp.used), _qty(mcp.limit)
    return (
        f"{'MCP calls':<15}{used} / {limit} ({tools}){reset}  [{_origin(mcp.source.value, report)}]"
    )


def _local_line(local: LocalUsage) -> str:
    if local.window_start is None:
        return f"{'Local prompts':<15}none in an active window  [local logs]"
    tools = ", ".join(f"{t} {u.prompts}" for t, u in local.by_tool.items() if u.prompts)
    since = local.window_start.strftime("%H:%M UTC")
    return (
        f"{'Local prompts':<15}{local.prompts} since {since} ({tools or 'no prompts'}); "
        f"web searches {local.web_searches}  [local logs]"
    )


def to_text(report: UsageReport) -> str:
    lines = [f"GLM Coding Plan: {report.plan or 'plan unknown'}"]
    if report.five_hour is not None:
        lines.append(_window_line("5-hour window", report.five_hour, report))
    if report.weekly is not None:
        lines.append(_window_line("Weekly", report.weekly, report))
    if report.mcp is not None:
        lines.append(_mcp_line(report.mcp, report))
    lines.append(_local_line(report.local))
    if report.burn_per_hour is not None:
        # Same rule as the composer: prompts/h when local logs have prompts in the window.
        per_prompt = report.local.prompts and report.local.window_start is not None
        unit = "prompts/h" if per_prompt else "% of the 5-hour limit per hour"
        burn = f"{'Burn rate':<15}{report.burn_per_hour:.1f} {unit}"
        if report.projected_exhaustion is not None:
            burn += f"; the limit is reached at {_clock(report.projected_exhaustion)} at this rate"
        lines.append(burn)
    lines.append(_api_line(report))
    if report.notes:
        lines.append("Notes:")
        lines.extend(f"  - {note}" for note in report.notes)
    return "\n".join(lines)


def _api_line(report: UsageReport) -> str:
    api = report.api
    if api.ok:
        return f"{'Quota API':<15}ok"
    if api.stale and api.fetched_at is not None:
        age = duration((report.generated_at - api.fetched_at).total_seconds())
        return (
            f"{'Quota API':<15}{api.error or 'not refreshed'} "
            f"Showing its last good answer, {age} old."
        )
    return f"{'Quota API':<15}not used: {api.error or 'unknown error'}"


# -- statusline ----------------------------------------------------------------------------------

_OLD_AFTER = 600.0  # seconds: beyond this the line says how old its figures are


_FAILURES = {
    "auth": "API key rejected",
    "no_plan": "no coding plan on this key",
    "no_balance": "no balance",
    "timeout": "quota API offline",
    "refused": "quota API offline",
    "reset": "quota API offline",
    "network": "quota API offline",
}


def status_line(
    snapshot: ApiSnapshot | None,
    plan: str | None,
    now: datetime,
    has_key: bool,
    failure: str | None = None,
) -> str:
    """`GLM pro · 5h 38% · resets 2h13m · MCP 132/1000`, from a cached snapshot only.
    `failure` is the kind of the last failed refresh (an `ApiErrorKind` value), if any."""
    name = (snapshot.level if snapshot and snapshot.level else None) or plan
    parts = [f"GLM {name}" if name else "GLM"]
    if snapshot is None:
        if not has_key:
            parts.append("no API key (glmplan setup)")
        elif failure:
            parts.append(_FAILURES.get(failure, "quota API error") + " (glmplan usage)")
        else:
            parts.append("quota: fetching…")
        return " · ".join(parts)
    parts.extend(_five_hour_parts(snapshot.five_hour, now))
    weekly = snapshot.weekly
    if weekly and weekly.percent is not None and not _ended(weekly.reset_at, now):
        parts.append(f"wk {weekly.percent:.0f}%")
    mcp = snapshot.mcp
    if mcp and mcp.used is not None and not _ended(mcp.reset_at, now):
        parts.append(f"MCP {mcp.used}/{mcp.limit if mcp.limit is not None else '?'}")
    age = (now - snapshot.fetched_at).total_seconds()
    if age > _OLD_AFTER:
        parts.append(f"{duration(age)} old")
    return " · ".join(parts)


def _ended(reset_at: datetime | None, now: datetime) -> bool:
    return reset_at is not None and reset_at <= now


def _five_hour_parts(window: Window | None, now: datetime) -> list[str]:
    if window is None:
        return []
    if _ended(window.reset_at, now):
        return ["5h new window"]
    pct = "?" if window.percent is None else f"{window.percent:.0f}%"
    parts = [f"5h {pct}"]
    if window.reset_at is not None:
        parts.append(f"resets {duration((window.reset_at - now).total_seconds())}")
    return parts
