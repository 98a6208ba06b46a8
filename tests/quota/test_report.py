"""The `usage --json` document, the human text and the status line."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from glmplan.quota.model import (
    ApiSnapshot,
    ApiStatus,
    LocalUsage,
    McpUsage,
    Source,
    ToolUsage,
    Unit,
    UsageReport,
    Window,
)
from glmplan.quota.report import duration, status_line, to_json, to_text

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
RESET = NOW + timedelta(hours=2, minutes=13, seconds=20)
FIVE = Window(228.0, 600.0, Unit.PROMPTS, 38.0, RESET - timedelta(hours=5), RESET, Source.API)
MCP = McpUsage(
    132, 1000, NOW + timedelta(days=3), {"search-prime": 120, "web-reader": 12}, Source.API
)
EMPTY_LOCAL = LocalUsage(None, None, 0, 0, {})


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0s"),
        (45, "45s"),
        (60, "1m"),
        (7980, "2h13m"),
        (3600, "1h00m"),
        (90000, "1d01h"),
        (-5, "0s"),
    ],
)
def test_duration(seconds: float, text: str) -> None:
    assert duration(seconds) == text


def report(**kwargs: object) -> UsageReport:
    base: dict[str, object] = {
        "plan": "pro",
        "generated_at": NOW,
        "five_hour": FIVE,
        "weekly": None,
        "mcp": MCP,
        "local": EMPTY_LOCAL,
        "api": ApiStatus(True, NOW - timedelta(seconds=12), None),
    }
    base.update(kwargs)
    return UsageReport(**base)  # type: ignore[arg-type]


def test_json_schema_every_field_present() -> None:
    local = LocalUsage(
        RESET - timedelta(hours=5),
        RESET,
        47,
        9,
        {
            "claude-code": ToolUsage("claude-code", 30, 9, NOW),
            "opencode": ToolUsage("opencode", 17, 0, NOW),
        },
    )
    doc = to_json(report(local=local))
    assert json.loads(json.dumps(doc)) == {
        "plan": "pro",
        "generated_at": "2026-06-01T12:00:00+00:00",
        "five_hour": {
            "used": 228,
            "limit": 600,
            "unit": "prompts",
            "percent": 38.0,
            "window_start": "2026-06-01T09:13:20+00:00",
            "reset_at": "2026-06-01T14:13:20+00:00",
            "seconds_to_reset": 8000,
            "source": "api",
        },
        "weekly": None,
        "mcp": {
            "used": 132,
            "limit": 1000,
            "reset_at": "2026-06-04T12:00:00+00:00",
            "by_tool": {"search-prime": 120, "web-reader": 12},
            "source": "api",
        },
        "local": {
            "window_start": "2026-06-01T09:13:20+00:00",
            "prompts": 47,
            "web_searches": 9,
            "by_tool": {"claude-code": 30, "opencode": 17},
        },
        "api": {"ok": True, "fetched_at": "2026-06-01T11:59:48+00:00", "error": None},
    }


def test_json_nulls_when_unknown() -> None:
    window = Window(None, None, Unit.TOKENS, None, None, None, Source.API)
    doc = to_json(report(five_hour=window, mcp=None, api=ApiStatus(False, None, "down")))
    five = doc["five_hour"]
    assert five is not None and five["seconds_to_reset"] is None and five["percent"] is None
    assert doc["mcp"] is None and doc["api"] == {"ok": False, "fetched_at": None, "error": "down"}


def test_text_shows_countdown_source_and_age() -> None:
    text = to_text(report(burn_per_hour=12.5, projected_exhaustion=NOW + timedelta(hours=1)))
    assert "38.0%" in text and "228 / 600 prompts" in text
    assert "resets in 2h13m" in text and "[api, 12s ago]" in text
    assert "132 / 1,000 (search-prime 120, web-reader 12)" in text
    assert "12.5 % of the 5-hour limit per hour" in text and "2026-06-01 13:00 UTC" in text


def test_text_stale() -> None:
    stale = ApiStatus(False, NOW - timedelta(minutes=7), "Could not connect (refused).", True)
    text = to_text(report(api=stale, notes=("a note",)))
    assert "[api, cached 7m ago (stale)]" in text
    assert "Could not connect (refused). Showing its last good answer, 7m old." in text
    assert "  - a note" in text


def snapshot(**kwargs: object) -> ApiSnapshot:
    base: dict[str, object] = {
        "fetched_at": NOW,
        "level": "pro",
        "five_hour": FIVE,
        "weekly": None,
        "mcp": MCP,
    }
    base.update(kwargs)
    return ApiSnapshot(**base)  # type: ignore[arg-type]


def test_status_line() -> None:
    assert status_line(snapshot(), None, NOW, True) == (
        "GLM pro · 5h 38% · resets 2h13m · MCP 132/1000"
    )


def test_status_line_variants() -> None:
    assert status_line(None, "max", NOW, True) == "GLM max · quota: fetching…"
    assert status_line(None, None, NOW, False) == "GLM · no API key (glmplan setup)"
    later = RESET + timedelta(minutes=1)
    assert status_line(snapshot(), None, later, True).startswith("GLM pro · 5h new window")
    old = status_line(snapshot(fetched_at=NOW - timedelta(minutes=30)), None, NOW, True)
    assert old.endswith("· 30m old")
    weekly = Window(None, None, Unit.TOKENS, 91.0, None, NOW + timedelta(days=1), Source.API)
    assert "wk 91%" in status_line(snapshot(weekly=weekly, level=None), "pro", NOW, True)


def test_text_burn_in_prompts_when_local_logs_have_prompts() -> None:
    local = LocalUsage(NOW - timedelta(hours=1), NOW + timedelta(hours=4), 6, 0, {})
    assert "6.0 prompts/h" in to_text(report(local=local, burn_per_hour=6.0))


def test_status_line_after_a_failed_first_refresh() -> None:
    assert status_line(None, "pro", NOW, True, "auth") == (
        "GLM pro · API key rejected (glmplan usage)"
    )
    assert status_line(None, None, NOW, True, "weird") == "GLM · quota API error (glmplan usage)"
