"""Pilot tests: every key binding, both screens, thresholds, API failure and backoff."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from textual.widgets import Button, DataTable, Static

from glmplan.quota.model import ApiStatus
from glmplan.tui.screens.confirm import ConfirmDiff
from glmplan.tui.screens.help import HelpScreen
from glmplan.tui.screens.main import MainScreen
from glmplan.tui.screens.tools import ToolsScreen
from glmplan.tui.widgets.gauge import Gauge
from glmplan.tui.widgets.usage_table import UsageTable
from tests.tui.fakes import NOW, ROWS, Clock, FakeQuota, RecordingTools, report
from tests.tui.harness import make_app, settle


def text_of(static: Static) -> str:
    return str(static.render())


async def test_main_screen_shows_the_report() -> None:
    app = make_app(tools=RecordingTools())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        main = app.main
        assert main.query_one("#quota-gauge", Gauge).label == "37 % (API)"
        assert text_of(main.query_one("#quota-prompts", Static)).startswith("~204 of ~600 prompts")
        assert text_of(main.query_one("#countdown-text", Static)) == "2:13:45"
        assert main.query_one("#mcp-gauge", Gauge).label.startswith("132 / 1,000")
        table = main.query_one(UsageTable)
        names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert names[:2] == ["Claude Code", "OpenCode"]
        assert "Crush" in names  # detected but unused tools are listed too
        assert "API ok 10 s ago" in text_of(main.query_one("#header-source", Static))


async def test_countdown_ticks_without_asking_the_service() -> None:
    clock = Clock()
    quota = FakeQuota()
    app = make_app(quota, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        calls = (quota.local_calls, quota.api_calls)
        clock.now = NOW + timedelta(seconds=1)
        app.tick()
        await pilot.pause()
        assert text_of(app.main.query_one("#countdown-text", Static)) == "2:13:44"
        assert (quota.local_calls, quota.api_calls) == calls


async def test_r_refreshes_local_and_api() -> None:
    quota = FakeQuota()
    app = make_app(quota)
    async with app.run_test() as pilot:
        await settle(pilot)
        before = (quota.local_calls, quota.api_calls)
        await pilot.press("r")
        await settle(pilot)
        assert quota.local_calls > before[0]
        assert quota.api_calls == before[1] + 1


async def test_t_opens_tools_and_escape_goes_back() -> None:
    app = make_app(tools=RecordingTools())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, ToolsScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == len(ROWS)
        assert "general API: billed separately" in str(table.get_row_at(2)[3])
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_help_opens_and_closes() -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await pilot.press("question_mark", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_q_quits() -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_q_quits_from_the_tools_screen() -> None:
    app = make_app(tools=RecordingTools())
    async with app.run_test() as pilot:
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_setup_shows_the_diff_and_applies_only_after_yes() -> None:
    tools = RecordingTools()
    app = make_app(tools=tools)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("down", "down", "down", "s")  # Goose
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDiff)
        assert "…x9Qa" in app.screen.diff
        assert tools.calls == [("preview_setup", "goose")]
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ToolsScreen)
        assert ("apply_setup", "goose") not in tools.calls
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert tools.calls[-1] == ("apply_setup", "goose")
        assert isinstance(app.screen, ToolsScreen)


async def test_restore_with_nothing_to_change_and_the_cancel_button() -> None:
    tools = RecordingTools()
    app = make_app(tools=tools)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDiff)
        assert "Nothing to change" in text_of(app.screen.query_one("#confirm-diff Static", Static))
        app.screen.query_one("#confirm-no", Button).press()
        await settle(pilot)
        assert tools.calls == [("preview_restore", "claude-code")]


async def test_tools_screen_without_a_tools_service() -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("t")
        await settle(pilot)
        assert "not available" in text_of(app.screen.query_one("#tools-detail", Static))
        await pilot.press("s")  # nothing selected, nothing happens
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_thresholds_notify_once_per_window() -> None:
    quota = FakeQuota(report(percent=85.0))
    app = make_app(quota)
    async with app.run_test() as pilot:
        await settle(pilot)
        assert len(app._notifications) == 1
        await pilot.press("r")  # still 85 %: no new notice (r itself shows one)
        await settle(pilot)
        assert [n.title for n in app._notifications].count("GLM Coding Plan quota") == 1
        quota.current = report(percent=96.0)
        app.request_local()
        await settle(pilot)
        notices = [n for n in app._notifications if n.title == "GLM Coding Plan quota"]
        assert len(notices) == 2
        assert notices[-1].severity == "error"
        assert "95 %" in notices[-1].message


async def test_custom_thresholds() -> None:
    app = make_app(FakeQuota(report(percent=55.0)), thresholds=(50.0, 70.0))
    async with app.run_test() as pilot:
        await settle(pilot)
        assert app.notified and {t for _k, t in app.notified} == {50.0}
        assert app.main.query_one("#quota-gauge", Gauge).has_class("-warn")


async def test_api_failure_keeps_last_data_marked_stale_and_backs_off() -> None:
    quota = FakeQuota()
    app = make_app(quota, interval=60.0)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        quota.api_ok = False
        await pilot.press("r")
        await settle(pilot)
        main = app.main
        assert main.query_one("#quota-gauge", Gauge).label == "37 % (API, stale)"
        assert main.query_one("#mcp-gauge", Gauge).label.startswith("132 / 1,000")
        assert "stale" in text_of(main.query_one("#header-source", Static))
        status = text_of(main.query_one("#status", Static))
        assert "connection refused" in status and "retry in 1 min" in status
        assert app.api_failures == 1
        app.poll_api()
        await settle(pilot)
        assert app.api_failures == 2
        assert "retry in 2 min" in text_of(main.query_one("#status", Static))
        quota.api_ok = True
        quota.current = report()
        app.poll_api()
        await settle(pilot)
        assert app.api_failures == 0
        assert main.query_one("#quota-gauge", Gauge).label == "37 % (API)"


async def test_a_raising_service_does_not_crash_the_dashboard() -> None:
    class Broken(FakeQuota):
        def refresh_api(self) -> ApiStatus:
            raise RuntimeError("boom")

        def refresh_local(self) -> None:
            raise OSError("disk on fire")

    quota = Broken()
    quota.current = dataclasses.replace(quota.current, api=ApiStatus(False, None, "boom"))
    app = make_app(quota)
    async with app.run_test() as pilot:
        await settle(pilot)
        assert app.api_failures == 1
        assert any("disk on fire" in n.message for n in app._notifications)
        await pilot.press("r")
        await settle(pilot)
        assert app.is_running
