"""The real ZaiQuotaService against the loopback quota server, behind the dashboard."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from textual.widgets import Static

from glmplan.paths import Paths
from glmplan.plan import Endpoints, Region
from glmplan.quota.api import Timeouts
from glmplan.quota.model import EventKind, UsageEvent
from glmplan.quota.service import ZaiQuotaService
from glmplan.tui.widgets.gauge import Gauge
from tests.support.quota_server import LEGACY_PAYLOAD, QuotaServer, Reply
from tests.tui.fakes import Clock
from tests.tui.harness import make_app, settle

KEY = "sk-CANARY-0123456789abcdef"
RESET = datetime.fromtimestamp(1770648402389 / 1000, tz=UTC)  # LEGACY_PAYLOAD's 5-hour reset
NOW = RESET - timedelta(hours=2)


async def test_figures_match_the_payload_then_stale_when_the_server_stops(paths: Paths) -> None:
    clock = Clock(NOW)
    events = [
        UsageEvent(NOW - timedelta(minutes=m), "claude-code", EventKind.PROMPT) for m in (5, 50)
    ]
    with QuotaServer(Reply.json(LEGACY_PAYLOAD)) as server:
        service = ZaiQuotaService(
            paths,
            plan="max",
            api_key=KEY,
            endpoints=Endpoints.for_region(Region.GLOBAL, server.base),
            events_provider=lambda: events,
            clock=clock,
            timeouts=Timeouts(connect=1.0, read=1.0, total=3.0),
        )
        app = make_app(service, clock=clock)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            main = app.main
            # currentValue / usage = 127694464 / 800000000 = 16 %
            assert main.query_one("#quota-gauge", Gauge).label == "16 % (API)"
            assert str(main.query_one("#countdown-text", Static).render()) == "2:00:00"
            assert main.query_one("#mcp-gauge", Gauge).label.startswith("1,828 / 4,000")
            split = str(main.query_one("#mcp-split", Static).render())
            assert split == "search 1,433 · reader 462 · zread 0"
            assert KEY not in app.export_screenshot()
            server.stop()
            await pilot.press("r")
            await settle(pilot)
            assert main.query_one("#quota-gauge", Gauge).label == "16 % (API, stale)"
            assert main.query_one("#mcp-gauge", Gauge).label.startswith("1,828 / 4,000")
            assert "stale" in str(main.query_one("#header-source", Static).render())
            assert main.query_one("#status", Static).has_class("-error")
            assert app.api_failures == 1
