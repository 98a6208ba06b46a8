"""Window maths: the block rule (with properties), API window, burn rate, month, aggregation."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from glmplan.quota.model import EventKind, UsageEvent
from glmplan.quota.window import (
    FIVE_HOURS,
    Span,
    active_block,
    aggregate,
    api_window,
    blocks,
    burn_rate,
    count_mcp,
    local_usage,
    month_window,
    projected_exhaustion,
)

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def prompt(minutes: float, tool: str = "claude-code") -> UsageEvent:
    return UsageEvent(at(minutes), tool, EventKind.PROMPT)


def search(minutes: float, tool: str = "claude-code", mcp: str | None = None) -> UsageEvent:
    return UsageEvent(at(minutes), tool, EventKind.WEB_SEARCH, mcp)


def test_block_starts_at_first_prompt_after_previous_ended() -> None:
    spans = blocks([at(0), at(60), at(299), at(300), at(301), at(1000)])
    assert [s.start for s in spans] == [at(0), at(300), at(1000)]
    assert all(s.end - s.start == FIVE_HOURS for s in spans)


def test_active_block() -> None:
    times = [at(0), at(100), at(400)]
    assert active_block(times, at(50)) == Span(at(0), at(300))
    assert active_block(times, at(350)) is None  # idle between windows
    assert active_block(times, at(401)) == Span(at(400), at(700))
    assert active_block(times, at(700)) is None  # the end is exclusive
    assert active_block([], at(0)) is None


def test_active_block_ignores_future_events() -> None:
    assert active_block([at(0), at(200)], at(100)) == Span(at(0), at(300))
    assert active_block([at(200)], at(100)) is None


instants = st.lists(
    st.integers(min_value=0, max_value=60 * 24 * 14).map(lambda m: at(m)), max_size=60
)


@settings(max_examples=300, deadline=None)
@given(instants)
def test_block_rule_properties(times: list[datetime]) -> None:
    spans = blocks(times)
    for first, second in itertools.pairwise(spans):
        assert first.end <= second.start  # never overlap
    for span in spans:
        assert span.end - span.start == FIVE_HOURS
        assert span.start in times  # each starts at an event
    for moment in times:
        assert sum(moment in span for span in spans) == 1  # every event in exactly one


@settings(max_examples=200, deadline=None)
@given(instants, st.integers(min_value=0, max_value=60 * 24 * 15))
def test_active_block_contains_now(times: list[datetime], minute: int) -> None:
    now = at(minute)
    span = active_block(times, now)
    if span is not None:
        assert now in span and span in blocks(times)
    else:
        assert not any(now in s for s in blocks(t for t in times if t <= now))


def test_api_window() -> None:
    assert api_window(at(300)) == Span(at(0), at(300))


def test_burn_rate_and_projection() -> None:
    assert burn_rate(30, at(0), at(120)) == 15.0
    assert burn_rate(30, at(0), at(0)) is None
    # 100 used of 600 at 50/h from minute 120: reaches the limit 10 h later, after the reset.
    assert projected_exhaustion(100, 600, 50, at(120), at(300)) is None
    assert projected_exhaustion(100, 600, 500, at(120), at(300)) == at(180)
    assert projected_exhaustion(600, 600, 10, at(120), at(300)) == at(120)
    assert projected_exhaustion(10, 600, None, at(120), at(300)) is None
    assert projected_exhaustion(10, 0, 5, at(120), None) is None
    assert projected_exhaustion(0, 10, 5, at(0), None) == at(120)
    assert projected_exhaustion(0, 8e8, 1e-6, at(0), None) is None  # beyond datetime's range


def test_month_window_from_reset_and_assumed() -> None:
    reset = datetime(2026, 3, 31, 10, 42, 49, tzinfo=UTC)
    month = month_window(reset, at(0))
    assert not month.assumed
    assert month.span == Span(datetime(2026, 2, 28, 10, 42, 49, tzinfo=UTC), reset)
    month = month_window(None, datetime(2026, 12, 15, 3, tzinfo=UTC))
    assert month.assumed
    assert month.span == Span(datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))


def test_aggregate_and_local_usage() -> None:
    events = [
        prompt(-600, "cline"),  # an earlier window: last activity only
        prompt(0),
        prompt(10, "opencode"),
        search(11, "opencode", "web-reader"),
        prompt(20),
        UsageEvent(at(30), "claude-code", EventKind.WEB_SEARCH),
    ]
    usage = local_usage(events, at(60))
    assert (usage.window_start, usage.window_end) == (at(0), at(300))
    assert (usage.prompts, usage.web_searches) == (3, 2)
    assert usage.by_tool["claude-code"].prompts == 2
    assert usage.by_tool["opencode"].web_searches == 1
    assert usage.by_tool["cline"].prompts == 0
    assert usage.by_tool["cline"].last_activity == at(-600)
    assert usage.by_tool["claude-code"].last_activity == at(30)
    assert [e.ts for e in usage.events] == [at(0), at(10), at(11), at(20), at(30)]


def test_local_usage_with_api_window_and_idle() -> None:
    events = [prompt(0), prompt(100), prompt(200)]
    usage = local_usage(events, at(210), Span(at(50), at(350)))
    assert usage.prompts == 2 and usage.window_start == at(50)
    idle = local_usage(events, at(600))
    assert idle.window_start is None and idle.prompts == 0
    assert idle.by_tool["claude-code"].prompts == 0


def test_aggregate_empty_and_count_mcp() -> None:
    assert aggregate([]) == {}
    events = [search(0, mcp="zread"), search(1), search(2, mcp="zread"), prompt(3)]
    assert count_mcp(events, Span(at(0), at(2))) == (2, {"zread": 1, "search-prime": 1})
