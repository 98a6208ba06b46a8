"""Pure text helpers for the dashboard: durations, ages, bars, buckets, names. No Textual here."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, tzinfo

from glmplan.quota.model import EventKind, Source, UsageEvent, UsageReport

_EIGHTHS = " ▏▎▍▌▋▊▉"
_SPARK = " ▁▂▃▄▅▆▇█"
BUCKET = timedelta(minutes=15)
WINDOW = timedelta(hours=5)

# Used only when the tool registry cannot be imported (profiles still being written).
_FALLBACK_NAMES = {
    "claude-code": "Claude Code",
    "roo-code": "Roo Code",
    "kilo-code": "Kilo Code",
    "cline": "Cline",
    "opencode": "OpenCode",
    "crush": "Crush",
    "goose": "Goose",
}
MCP_SHORT = {"search-prime": "search", "web-reader": "reader", "zread": "zread"}


def display_name(tool: str) -> str:
    try:
        from glmplan.tool_profiles import PROFILES
    except ImportError:  # a profile module is missing: fall back to the static names
        return _FALLBACK_NAMES.get(tool, tool)
    profile = PROFILES.get(tool)
    return profile.DISPLAY_NAME if profile else _FALLBACK_NAMES.get(tool, tool)


def tool_ids() -> tuple[str, ...]:
    try:
        from glmplan.tool_profiles import TOOL_IDS
    except ImportError:
        return tuple(_FALLBACK_NAMES)
    return TOOL_IDS


def countdown(seconds: float) -> str:
    """`2:13:45`; days are spelled out (`3d 04:00:00`); never negative."""
    total = max(0, int(seconds))
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours:02d}:{minutes:02d}:{secs:02d}"
    return f"{hours}:{minutes:02d}:{secs:02d}"


def short_duration(seconds: float) -> str:
    """`12 s`, `5 min`, `2 h`, `3 d`; seconds are rounded down to 5 so text changes rarely."""
    secs = max(0, int(seconds))
    if secs < 60:
        return f"{secs - secs % 5} s"
    if secs < 3600:
        return f"{secs // 60} min"
    if secs < 86400:
        return f"{secs // 3600} h"
    return f"{secs // 86400} d"


def relative(then: datetime | None, now: datetime) -> str:
    """`just now`, `14 min ago`, `1 h ago`, `–` when unknown."""
    if then is None:
        return "–"
    secs = (now - then).total_seconds()
    if secs < 60:
        return "just now"
    return f"{short_duration(secs)} ago"


def clock(moment: datetime, tz: tzinfo | None) -> str:
    return moment.astimezone(tz).strftime("%H:%M")


def day_and_clock(moment: datetime, tz: tzinfo | None) -> str:
    return moment.astimezone(tz).strftime("%a %H:%M")


def date(moment: datetime, tz: tzinfo | None) -> str:
    local = moment.astimezone(tz)
    return f"{local.strftime('%b')} {local.day}"


def number(value: float | None) -> str:
    if value is None:
        return "?"
    return f"{value:,.0f}"


def bar(fraction: float, width: int) -> tuple[int, str]:
    """A bar `width` cells wide filled to `fraction`: full cells and one partial eighth-block."""
    if width <= 0:
        return 0, ""
    eighths = round(min(1.0, max(0.0, fraction)) * width * 8)
    full, part = divmod(eighths, 8)
    return full, _EIGHTHS[part] if part else ""


def buckets(
    events: Iterable[UsageEvent], start: datetime, count: int, size: timedelta = BUCKET
) -> list[int]:
    """Prompts per `size` from `start`, `count` buckets; events outside are ignored."""
    out = [0] * count
    for event in events:
        if event.kind is not EventKind.PROMPT:
            continue
        index = (event.ts - start) // size  # floor: events before `start` are negative
        if 0 <= index < count:
            out[index] += 1
    return out


def spark_rows(values: list[int], height: int) -> list[str]:
    """A bar chart `height` rows tall, top row first, one column per value."""
    peak = max(values, default=0)
    if height <= 0:
        return []
    levels = [0 if peak == 0 else round(v / peak * height * 8) for v in values]
    levels = [max(1, lv) if v else 0 for lv, v in zip(levels, values, strict=True)]
    rows = []
    for row in range(height - 1, -1, -1):
        floor = row * 8
        rows.append("".join(_SPARK[min(8, max(0, lv - floor))] for lv in levels))
    return rows


def window_bounds(report: UsageReport) -> tuple[datetime | None, datetime | None]:
    """Start and reset of the 5-hour window, the API's when known, else the local estimate."""
    five = report.five_hour
    if five is not None and five.reset_at is not None:
        return (five.window_start or five.reset_at - WINDOW), five.reset_at
    return report.local.window_start, report.local.window_end


def quota_fraction(report: UsageReport, approx_limit: int | None) -> tuple[float | None, Source]:
    """Used share of the 5-hour quota: the official percent when known, else local prompts."""
    five = report.five_hour
    if five is not None and five.percent is not None:
        return five.percent / 100, five.source
    if five is not None and five.used is not None and five.limit:
        return five.used / five.limit, five.source
    if approx_limit:
        return report.local.prompts / approx_limit, Source.LOCAL
    return None, Source.LOCAL
