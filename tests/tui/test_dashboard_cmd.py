"""The `dashboard` command: cheap import, options, and both service wirings under Pilot."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from glmplan.cli import dashboard_cmd
from glmplan.paths import Paths
from glmplan.quota.service import ZaiQuotaService
from glmplan.tui.demo import DemoQuotaService
from tests.tui.harness import settle


def test_importing_the_command_does_not_import_textual_or_watchdog() -> None:
    code = (
        "import sys, glmplan.cli.dashboard_cmd as m; "
        "print(','.join(x for x in ('textual', 'watchdog') if x in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_help_lists_the_options() -> None:
    result = CliRunner().invoke(dashboard_cmd.dashboard, ["--help"])
    assert result.exit_code == 0
    assert "--demo" in result.output and "--interval" in result.output


def test_interval_below_five_seconds_is_refused() -> None:
    result = CliRunner().invoke(dashboard_cmd.dashboard, ["--demo", "--interval", "1"])
    assert result.exit_code == 2


async def test_demo_wiring() -> None:
    app = dashboard_cmd._demo_app(30.0)
    assert isinstance(app.quota, DemoQuotaService)
    assert app.options.interval == 30.0 and app.options.local_poll == 1.0
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.report is not None and app.report.plan == "pro"


async def test_live_wiring_without_a_key_shows_local_figures(paths: Paths) -> None:
    app = dashboard_cmd._live_app(None)
    assert isinstance(app.quota, ZaiQuotaService)
    assert app.options.interval == 60.0
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.report is not None and not app.report.api.ok
        assert app.api_failures == 1
    assert not paths.config_dir.exists()
