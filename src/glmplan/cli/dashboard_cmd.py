"""`glmplan dashboard [--demo] [--interval SECONDS]`: the live quota dashboard (Textual).

Textual, watchdog and the log readers are imported inside the command so that `glmplan --help`
stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from glmplan.tui.app import GlmplanApp


@click.command("dashboard")
@click.option("--demo", is_flag=True, help="Run on built-in simulated data: no key, no network.")
@click.option(
    "--interval",
    type=click.FloatRange(min=5.0),
    default=None,
    metavar="SECONDS",
    help="Seconds between quota API polls (default: the configured interval, 60).",
)
def dashboard(demo: bool, interval: float | None) -> int:
    """The live quota dashboard: shared 5-hour quota, countdown, MCP searches, per-tool usage."""
    app = _demo_app(interval) if demo else _live_app(interval)
    app.run()
    return 0


def _demo_app(interval: float | None) -> GlmplanApp:
    from glmplan.tui.app import create_app  # textual: imported only when the dashboard runs
    from glmplan.tui.demo import DEMO_KEY_HINT, DemoQuotaService, DemoToolsService
    from glmplan.tui.options import Options
    from glmplan.tui.services import Account

    options = Options(
        interval=interval or 60.0,
        watch_paths=(),
        account=Account(region="global", masked_key=DEMO_KEY_HINT),
        local_poll=1.0,
    )
    return create_app(DemoQuotaService(), DemoToolsService(), options)


def _live_app(interval: float | None) -> GlmplanApp:
    from glmplan import config
    from glmplan.paths import Paths
    from glmplan.plan import Endpoints
    from glmplan.quota import logs  # the log readers: imported only when the dashboard runs
    from glmplan.quota.service import ZaiQuotaService
    from glmplan.secrets import mask
    from glmplan.tui.app import create_app
    from glmplan.tui.options import Options
    from glmplan.tui.services import Account

    paths = Paths.from_env()
    settings = config.load_settings(paths)
    key = config.load_key(paths, paths.env)
    api_base = paths.get("GLMPLAN_API_BASE") or settings.api_base
    service = ZaiQuotaService(
        paths,
        plan=settings.plan.value if settings.plan else None,
        api_key=key,
        endpoints=Endpoints.for_region(settings.region, api_base),
        events_provider=lambda: logs.collect(paths),
        watch=lambda: logs.watch_paths(paths),
    )
    low, high = settings.thresholds
    options = Options(
        interval=interval or float(settings.interval),
        account=Account(region=settings.region.value, masked_key=mask(key) if key else None),
        thresholds=(float(low), float(high)),
    )
    from glmplan.tools_service import EngineToolsService  # the installer, for the Tools screen

    return create_app(service, EngineToolsService(paths), options)
