"""ZaiQuotaService against a real loopback server: API first, local split, last good data."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from glmplan.paths import Paths
from glmplan.plan import Endpoints, Region
from glmplan.quota import cache
from glmplan.quota.api import Timeouts
from glmplan.quota.model import EventKind, QuotaService, Source, Unit, UsageEvent
from glmplan.quota.service import Mode, ZaiQuotaService
from tests.support.quota_server import (
    CREDIT_PAYLOAD,
    WEEKLY_PAYLOAD,
    QuotaServer,
    Reply,
)

KEY = "sk-CANARY-0123456789abcdef"
RESET = datetime.fromtimestamp(1770648402389 / 1000, tz=UTC)  # LEGACY_PAYLOAD's 5-hour reset
NOW = RESET - timedelta(hours=2)
FAST = Timeouts(connect=2.0, read=1.0, total=5.0)


def prompt(at: datetime, tool: str) -> UsageEvent:
    return UsageEvent(at, tool, EventKind.PROMPT)


EVENTS = [
    prompt(NOW - timedelta(hours=12), "cline"),  # before the API window and the local block
    prompt(NOW - timedelta(hours=2), "claude-code"),
    prompt(NOW - timedelta(hours=1), "claude-code"),
    prompt(NOW - timedelta(minutes=30), "opencode"),
    UsageEvent(NOW - timedelta(minutes=20), "opencode", EventKind.WEB_SEARCH, "web-reader"),
]


def service(
    paths: Paths,
    base: str | None,
    *,
    key: str | None = KEY,
    plan: str | None = "pro",
    mode: Mode = Mode.AUTO,
    events: list[UsageEvent] | None = None,
    now: datetime = NOW,
) -> ZaiQuotaService:
    return ZaiQuotaService(
        paths,
        plan=plan,
        api_key=key,
        endpoints=Endpoints.for_region(Region.GLOBAL, base),
        events_provider=lambda: EVENTS if events is None else events,
        clock=lambda: now,
        mode=mode,
        timeouts=FAST,
    )


def test_is_a_quota_service(paths: Paths) -> None:
    svc: QuotaService = service(paths, None)
    assert svc.watch_paths() == []


def test_api_first_with_local_split(paths: Paths) -> None:
    with QuotaServer() as server:
        svc = service(paths, server.base)
        svc.refresh_local()
        status = svc.refresh_api()
    assert status.ok and status.fetched_at == NOW and not status.stale
    report = svc.report(NOW)
    five = report.five_hour
    assert five is not None and five.source is Source.API and five.unit is Unit.TOKENS
    assert five.reset_at == RESET and five.window_start == RESET - timedelta(hours=5)
    assert report.local.window_start == RESET - timedelta(hours=5)
    assert report.local.prompts == 3  # the cline prompt is before the API window
    assert {t: u.prompts for t, u in report.local.by_tool.items()} == {
        "claude-code": 2,
        "cline": 0,
        "opencode": 1,
    }
    assert report.local.web_searches == 1
    assert report.mcp is not None and report.mcp.source is Source.API
    assert report.mcp.used == 1828 and report.mcp.reset_at is not None
    assert any("assuming the 1st of the month" in n for n in report.notes)
    assert report.plan == "pro"  # no data.level in the legacy payload: configured plan
    assert report.burn_per_hour == pytest.approx(3 / 3)  # 3 prompts over the 3 elapsed hours
    assert cache.load(paths) == svc.last_good()


def test_level_from_api_overrides_configured_plan(paths: Paths) -> None:
    with QuotaServer(Reply.json(CREDIT_PAYLOAD)) as server:
        svc = service(paths, server.base, plan="lite", events=[])
        svc.refresh_api()
    report = svc.report(NOW)
    assert report.plan == "max"
    assert report.five_hour is not None and report.five_hour.unit is Unit.CREDITS
    assert report.weekly is not None and report.weekly.limit == 140000
    assert report.mcp is not None and report.mcp.source is Source.LOCAL
    assert report.mcp.limit == 4000


def test_projection_from_api_percent(paths: Paths) -> None:
    doc = copy.deepcopy(CREDIT_PAYLOAD)
    reset = NOW + timedelta(hours=2)
    doc["data"]["limits"][0]["nextResetTime"] = int(reset.timestamp() * 1000)  # type: ignore[index]
    # 80 % used after 3 of the 5 hours
    doc["data"]["limits"][0]["currentValue"] = 22400  # type: ignore[index]
    with QuotaServer(Reply.json(doc)) as server:
        svc = service(paths, server.base, events=[])
        svc.refresh_api()
    report = svc.report(NOW)
    assert report.burn_per_hour == pytest.approx(80 / 3)  # percent per hour
    assert report.projected_exhaustion is not None  # the last 20 % take 45 minutes
    assert abs(report.projected_exhaustion - (NOW + timedelta(minutes=45))) < timedelta(seconds=1)


def test_failure_keeps_last_good_and_marks_stale(paths: Paths) -> None:
    with QuotaServer() as server:
        svc = service(paths, server.base)
        assert svc.refresh_api().ok
        server.set(Reply.text("oops", status=503))
        status = svc.refresh_api()
    assert not status.ok and status.stale and status.fetched_at == NOW
    assert status.error is not None and "503" in status.error
    report = svc.report(NOW + timedelta(minutes=5))
    assert report.five_hour is not None and report.five_hour.source is Source.API
    assert report.api.stale


def test_offline_uses_cache_from_an_earlier_run(paths: Paths) -> None:
    with QuotaServer() as server:
        service(paths, server.base).refresh_api()
        base = server.base
    svc = service(paths, base, now=NOW + timedelta(minutes=10))
    status = svc.refresh_api()
    assert not status.ok and status.stale and status.fetched_at == NOW
    assert status.error is not None and "refused" in status.error
    report = svc.report(NOW + timedelta(minutes=10))
    assert report.five_hour is not None and report.five_hour.used == 127694464
    assert any("from the cache" in n for n in report.notes)


def test_no_key_local_estimate_against_plan(paths: Paths) -> None:
    svc = service(paths, None, key=None, plan="pro")
    svc.refresh_local()
    status = svc.refresh_api()
    assert not status.ok and status.error is not None and "ZAI_API_KEY" in status.error
    report = svc.report(NOW)
    five = report.five_hour
    assert five is not None and five.source is Source.LOCAL and five.unit is Unit.PROMPTS
    # local block: starts at the first prompt after the cline one's window ended
    assert five.window_start == NOW - timedelta(hours=2)
    assert five.reset_at == NOW + timedelta(hours=3)
    assert (five.used, five.limit) == (3, 600) and five.percent == pytest.approx(0.5)
    assert report.mcp is not None and report.mcp.source is Source.LOCAL
    assert (report.mcp.used, report.mcp.limit) == (1, 1000)
    assert report.mcp.by_tool == {"web-reader": 1}


def test_cached_window_that_has_reset_falls_back_to_local(paths: Paths) -> None:
    with QuotaServer() as server:
        service(paths, server.base).refresh_api()
    later = RESET + timedelta(minutes=1)
    svc = service(paths, None, key=None, now=later, events=[prompt(RESET, "goose")])
    svc.refresh_local()
    report = svc.report(later)
    assert report.five_hour is not None and report.five_hour.source is Source.LOCAL
    assert report.five_hour.used == 1
    assert any("ended at" in n for n in report.notes)


def test_local_mode_ignores_api_and_cache(paths: Paths) -> None:
    with QuotaServer() as server:
        service(paths, server.base).refresh_api()
        svc = service(paths, server.base, mode=Mode.LOCAL)
        svc.refresh_local()
        status = svc.refresh_api()
        assert len(server.requests) == 1
    assert not status.ok and status.fetched_at is None
    report = svc.report(NOW)
    assert report.five_hour is not None and report.five_hour.source is Source.LOCAL


def test_api_mode_has_no_local_fallback(paths: Paths) -> None:
    svc = service(paths, None, key=None, mode=Mode.API)
    svc.refresh_local()
    svc.refresh_api()
    report = svc.report(NOW)
    assert (report.five_hour, report.mcp) == (None, None)
    assert report.local.prompts == 0


def test_weekly_payload_without_5h_reset_uses_local_block(paths: Paths) -> None:
    with QuotaServer(Reply.json(WEEKLY_PAYLOAD)) as server:
        svc = service(paths, server.base)
        svc.refresh_local()
        svc.refresh_api()
    report = svc.report(NOW)
    assert report.five_hour is not None and report.five_hour.percent == 0
    assert report.five_hour.source is Source.API
    assert report.local.window_start == NOW - timedelta(hours=2)


@dataclass(frozen=True)
class FakeScan:
    events: tuple[UsageEvent, ...]
    skipped: int


def test_scan_like_provider_counts_skipped(paths: Paths) -> None:
    svc = ZaiQuotaService(
        paths,
        plan=None,
        api_key=None,
        endpoints=None,
        events_provider=lambda: FakeScan(tuple(EVENTS), 4),
        clock=lambda: NOW,
    )
    svc.refresh_local()
    report = svc.report(NOW)
    assert report.local.skipped == 4 and report.local.prompts == 3
    assert report.plan is None and report.five_hour is not None
    assert report.five_hour.limit is None


def test_failure_marker_set_then_cleared(paths: Paths) -> None:
    with QuotaServer(Reply.json({"code": 401, "msg": "token expired or incorrect"})) as server:
        svc = service(paths, server.base)
        svc.refresh_api()
        assert cache.load_failure(paths) == "auth"
        server.set(Reply.json(WEEKLY_PAYLOAD))
        assert svc.refresh_api().ok
    assert cache.load_failure(paths) is None


def test_idle_api_window_never_projects_with_local_prompt_rate(paths: Paths) -> None:
    doc = copy.deepcopy(WEEKLY_PAYLOAD)
    doc["data"]["limits"][0].update(usage=800000000, currentValue=0)  # type: ignore[index]
    with QuotaServer(Reply.json(doc)) as server:
        svc = service(paths, server.base)
        svc.refresh_local()
        svc.refresh_api()
    report = svc.report(NOW)
    assert report.burn_per_hour == pytest.approx(3 / 2)  # prompts per hour, local block
    assert report.projected_exhaustion is None  # tokens cannot be projected from prompts


def test_empty_limits_note_and_local_fallback(paths: Paths) -> None:
    with QuotaServer(Reply.json({"code": 200, "data": {"limits": [], "level": "pro"}})) as server:
        svc = service(paths, server.base)
        svc.refresh_local()
        assert svc.refresh_api().ok
    report = svc.report(NOW)
    assert report.five_hour is not None and report.five_hour.source is Source.LOCAL
    assert any("no 5-hour row" in n for n in report.notes)
