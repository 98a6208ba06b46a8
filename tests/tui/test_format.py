"""Pure text helpers of the dashboard."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from glmplan.quota.model import EventKind, McpUsage, Source, UsageEvent
from glmplan.tui import format as fmt
from glmplan.tui.services import Account
from glmplan.tui.widgets.header import identity_text, source_text
from glmplan.tui.widgets.mcp import mcp_label, split_line
from glmplan.tui.widgets.quota import burn_line, gauge_label, prompts_line
from tests.tui.fakes import NOW, START, report

T0 = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0:00:00"), (-5, "0:00:00"), (8025, "2:13:45"), (59.9, "0:00:59"), (90061, "1d 01:01:01")],
)
def test_countdown(seconds: float, text: str) -> None:
    assert fmt.countdown(seconds) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "just now"),
        (59, "just now"),
        (60, "1 min ago"),
        (14 * 60 + 5, "14 min ago"),
        (3600, "1 h ago"),
        (3 * 86400, "3 d ago"),
    ],
)
def test_relative(seconds: float, text: str) -> None:
    assert fmt.relative(T0, T0 + timedelta(seconds=seconds)) == text


def test_relative_unknown() -> None:
    assert fmt.relative(None, T0) == "–"


def test_short_duration_rounds_seconds_down_to_five() -> None:
    assert [fmt.short_duration(s) for s in (0, 4, 12, 59, 61, 7200)] == [
        "0 s",
        "0 s",
        "10 s",
        "55 s",
        "1 min",
        "2 h",
    ]


@pytest.mark.parametrize(
    ("fraction", "width", "full", "partial"),
    [
        (0.0, 10, 0, ""),
        (1.0, 10, 10, ""),
        (0.5, 10, 5, ""),
        (0.37, 10, 3, "▊"),
        (2.0, 4, 4, ""),
        (-1.0, 4, 0, ""),
        (0.5, 0, 0, ""),
    ],
)
def test_bar(fraction: float, width: int, full: int, partial: str) -> None:
    assert fmt.bar(fraction, width) == (full, partial)


def test_buckets_count_prompts_only_inside_the_window() -> None:
    events = [
        UsageEvent(T0 + timedelta(minutes=m), "cline", kind)
        for m, kind in [
            (-1, EventKind.PROMPT),
            (0, EventKind.PROMPT),
            (14, EventKind.PROMPT),
            (15, EventKind.PROMPT),
            (16, EventKind.WEB_SEARCH),
            (300, EventKind.PROMPT),
        ]
    ]
    assert fmt.buckets(events, T0, 20)[:3] == [2, 1, 0]
    assert sum(fmt.buckets(events, T0, 20)) == 3


def test_spark_rows_scale_to_the_peak() -> None:
    rows = fmt.spark_rows([0, 1, 2, 4], 2)
    assert rows == ["   █", " ▄██"]
    assert fmt.spark_rows([0, 0], 1) == ["  "]


def test_window_bounds_prefer_the_api_reset() -> None:
    assert fmt.window_bounds(report()) == (START, START + fmt.WINDOW)


def test_quota_fraction_official_then_local() -> None:
    assert fmt.quota_fraction(report(percent=37.0), 600) == (0.37, Source.API)
    local = fmt.quota_fraction(report(percent=None), 600)
    assert local == (204 / 600, Source.LOCAL)
    assert fmt.quota_fraction(report(percent=None), None) == (None, Source.LOCAL)


def test_labels() -> None:
    assert gauge_label(0.37, Source.API, stale=False) == "37 % (API)"
    assert gauge_label(0.37, Source.API, stale=True) == "37 % (API, stale)"
    assert gauge_label(0.34, Source.LOCAL, stale=False) == "~34 % (local)"
    assert gauge_label(None, Source.LOCAL, stale=False) == "no data yet"
    assert prompts_line(report()) == "~204 of ~600 prompts (local estimate)"
    assert burn_line(report(), UTC).startswith("burn 48 prompts/h · ~311 by the reset")
    assert split_line(report().mcp) == "search 120 · reader 12 · zread 0"


def test_header_texts() -> None:
    assert identity_text("pro", Account("china", "…abcd")) == (
        "glmplan · GLM Coding Plan Pro · china · key …abcd"
    )
    assert identity_text(None, Account()) == "glmplan · GLM Coding Plan"
    assert source_text(report(), NOW) == ("API ok 10 s ago", "-ok")
    assert source_text(None, NOW) == ("loading…", "-local")


def test_display_names_cover_every_tool() -> None:
    names = [fmt.display_name(tool) for tool in fmt.tool_ids()]
    assert len(names) == 7 and "Claude Code" in names and "OpenCode" in names


def test_mcp_labels() -> None:
    api = McpUsage(132, 1000, datetime(2026, 12, 11, tzinfo=UTC), {}, Source.API)
    assert mcp_label(api, 0, UTC) == "132 / 1,000 · resets Dec 11"
    local = McpUsage(3, None, None, {}, Source.LOCAL)
    assert mcp_label(local, 3, UTC) == "3 in local logs"
    assert mcp_label(None, 2, UTC) == "2 seen in local logs"
