"""The built-in demo account: deterministic, lively, and touching nothing on disk."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from glmplan.paths import Paths
from glmplan.plan import EndpointKind
from glmplan.tui.demo import TO_RESET, DemoQuotaService, DemoToolsService
from glmplan.tui.format import window_bounds
from tests.tui.fakes import NOW, Clock
from tests.tui.harness import make_app, settle


def fresh(clock: Clock) -> DemoQuotaService:
    service = DemoQuotaService(clock)
    service.refresh_api()
    service.refresh_local()
    return service


def test_the_demo_starts_where_the_sketch_does() -> None:
    clock = Clock()
    report = fresh(clock).report(NOW)
    assert report.plan == "pro"
    assert report.five_hour is not None and report.five_hour.percent is not None
    assert round(report.five_hour.percent) == 37
    assert report.local.prompts == 222
    assert window_bounds(report)[1] == NOW + TO_RESET
    assert report.mcp is not None and report.mcp.used == 132
    assert set(report.local.by_tool) == {"claude-code", "opencode", "cline"}
    assert report.burn_per_hour is not None and report.weekly is not None


def test_the_demo_is_a_pure_function_of_the_clock() -> None:
    one, two = fresh(Clock()), fresh(Clock())
    assert one.report(NOW) == two.report(NOW)


def test_prompts_keep_arriving() -> None:
    clock = Clock()
    service = fresh(clock)
    before = service.report(NOW).local.prompts
    clock.now = NOW + timedelta(minutes=1)
    service.refresh_local()
    after = service.report(clock.now).local.prompts
    assert 60 / 6 <= after - before <= 60 / 1.5 + 1


def test_a_new_window_starts_after_the_reset() -> None:
    clock = Clock()
    service = fresh(clock)
    clock.now = NOW + TO_RESET + timedelta(minutes=1)
    service.refresh_local()
    report = service.report(clock.now)
    assert report.local.prompts < 30  # only the first minute of the new window
    assert window_bounds(report)[0] == NOW + TO_RESET


def test_demo_tools_change_only_memory() -> None:
    tools = DemoToolsService()
    rows = {row.tool: row for row in tools.rows()}
    assert len(rows) == 7
    assert not rows["goose"].configured
    assert rows["crush"].endpoint is EndpointKind.GENERAL
    assert "…" in tools.preview_setup("goose")
    assert "nothing was written" in tools.apply_setup("goose")
    assert {row.tool: row for row in tools.rows()}["goose"].configured
    tools.apply_restore("goose")
    assert not {row.tool: row for row in tools.rows()}["goose"].configured


async def test_the_demo_dashboard_touches_no_file(paths: Paths) -> None:
    clock = Clock()
    app = make_app(DemoQuotaService(clock), DemoToolsService(), clock=clock, local_poll=1.0)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("down", "down", "down", "down", "down", "down", "s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
    assert list(paths.home.rglob("*")) == []
    for directory in (paths.config_dir, paths.cache_dir, paths.state_dir):
        assert not Path(directory).exists()
