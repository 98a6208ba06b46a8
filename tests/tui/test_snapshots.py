"""SVG snapshots of every screen with a frozen clock and fake services (reviewed before commit)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from textual.pilot import Pilot

from glmplan.quota.model import ApiStatus
from glmplan.tui.demo import DEMO_KEY_HINT, DemoQuotaService, DemoToolsService
from glmplan.tui.options import Options
from tests.tui.fakes import NOW, Clock, FakeQuota, RecordingTools, report
from tests.tui.harness import make_app, settle

SnapCompare = Callable[..., bool]


async def _settled(pilot: Pilot[None]) -> None:
    await settle(pilot)


def demo_app() -> object:
    from datetime import UTC

    from glmplan.tui.app import create_app
    from glmplan.tui.services import Account

    clock = Clock()
    options = Options(
        clock=clock,
        watch_paths=(),
        account=Account("global", DEMO_KEY_HINT),
        tz=UTC,
    )
    app = create_app(DemoQuotaService(clock), DemoToolsService(), options)
    clock.now = NOW + timedelta(seconds=40)  # 40 s of live demo prompts
    return app


def test_main_80x24(snap_compare: SnapCompare) -> None:
    app = make_app(tools=RecordingTools())
    assert snap_compare(app, terminal_size=(80, 24), run_before=_settled)


def test_main_120x40(snap_compare: SnapCompare) -> None:
    app = make_app(tools=RecordingTools())
    assert snap_compare(app, terminal_size=(120, 40), run_before=_settled)


def test_demo_100x30(snap_compare: SnapCompare) -> None:
    assert snap_compare(demo_app(), terminal_size=(100, 30), run_before=_settled)


def test_stale_with_error_80x24(snap_compare: SnapCompare) -> None:
    quota = FakeQuota(report(percent=96.0))

    async def fail_then_settle(pilot: Pilot[None]) -> None:
        await settle(pilot)
        quota.api_ok = False
        await pilot.press("r")
        await settle(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    app = make_app(quota)
    assert snap_compare(app, terminal_size=(80, 24), run_before=fail_then_settle)


def test_local_estimate_only_80x24(snap_compare: SnapCompare) -> None:
    no_api = ApiStatus(ok=False, fetched_at=None, error=None)
    app = make_app(FakeQuota(report(percent=None, api=no_api)))
    assert snap_compare(app, terminal_size=(80, 24), run_before=_settled)


def test_tools_screen(snap_compare: SnapCompare) -> None:
    app = make_app(tools=RecordingTools())
    assert snap_compare(app, terminal_size=(100, 30), press=["t"], run_before=_settled)


def test_confirm_setup_modal(snap_compare: SnapCompare) -> None:
    async def open_modal(pilot: Pilot[None]) -> None:
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("down", "down", "down", "s")
        await settle(pilot)

    app = make_app(tools=RecordingTools())
    assert snap_compare(app, terminal_size=(100, 30), run_before=open_modal)


def test_help_screen(snap_compare: SnapCompare) -> None:
    async def open_help(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    app = make_app()
    assert snap_compare(app, terminal_size=(100, 30), run_before=open_help)
