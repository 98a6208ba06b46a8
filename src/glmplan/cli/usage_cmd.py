"""`glmplan usage` (one-shot report) and `glmplan statusline` (one line for Claude Code).

`statusline` answers from the cache only and never waits on the network: when the cache is older
than the poll interval it starts one detached `usage --json --source api` to refresh it. Its
imports stay small (no textual, psutil or watchdog; local logs are not read).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import click

from glmplan import config
from glmplan.cli.errors import register_secret
from glmplan.cli.render import render
from glmplan.paths import Paths
from glmplan.plan import Endpoints
from glmplan.quota import report as rep
from glmplan.quota.model import UsageReport
from glmplan.quota.statusline import main as statusline_main

if TYPE_CHECKING:
    from glmplan.quota.service import Mode, ZaiQuotaService

log = logging.getLogger(__name__)

_STDIN_MAX = 256 * 1024
_STDIN_WAIT = 0.2  # seconds: Claude Code writes its JSON at once; never hang on an open pipe


@dataclass
class UsageResult:  # not frozen: render's Result protocol declares a settable exit_code
    report: UsageReport
    exit_code: int = 0

    def to_json(self) -> Mapping[str, Any]:
        return rep.to_json(self.report)

    def to_text(self, color: bool) -> str:
        return rep.to_text(self.report)


def build_service(
    paths: Paths, environ: Mapping[str, str], mode: Mode, api_base: str | None = None
) -> ZaiQuotaService:
    # Imported here: the API client (http.client, ssl) is not needed by `statusline`.
    from glmplan.quota.service import Mode, ZaiQuotaService

    stored = config.load_settings(paths)
    key = config.load_key(paths, environ) if mode is not Mode.LOCAL else None
    if key:
        register_secret(key)
    raw_base = api_base or environ.get("GLMPLAN_API_BASE") or stored.api_base
    return ZaiQuotaService(
        paths,
        plan=stored.plan.value if stored.plan else None,
        api_key=key,
        endpoints=Endpoints.for_region(stored.region, raw_base),
        events_provider=_events_provider(paths),
        mode=mode,
        watch=lambda: _watch_paths(paths),
    )


def _events_provider(paths: Paths) -> Callable[[], Any]:
    def collect() -> Any:
        from glmplan.quota import logs  # the local log readers (the other half of the engine)

        return logs.collect(paths)

    return collect


def _watch_paths(paths: Paths) -> list[Any]:
    from glmplan.quota import logs

    return logs.watch_paths(paths)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout.")
@click.option(
    "--source",
    type=click.Choice(["auto", "api", "local"]),
    default="auto",
    show_default=True,
    help="api: the quota API only; local: the tools' logs only (no network).",
)
@click.option(
    "--api-base",
    metavar="URL",
    help="Scheme and host of the quota API (env GLMPLAN_API_BASE; default: the stored region's).",
)
def usage(as_json: bool, source: str, api_base: str | None) -> int:
    """One-shot report of the shared quota: 5-hour window, weekly, MCP calls, per-tool prompts.

    Figures come from Z.ai's quota API when it answers (else its last cached answer, marked
    stale) and from the coding tools' local logs for the per-tool split.
    """
    from glmplan.quota.service import Mode

    mode = Mode(source)
    paths = Paths.from_env()
    service = build_service(paths, os.environ, mode, api_base)
    service.refresh_local()
    status = service.refresh_api()
    result = service.report(datetime.now(UTC))
    failed = mode is Mode.API and not status.ok
    return render(UsageResult(result, exit_code=1 if failed else 0), as_json)


@click.command()
def statusline() -> int:
    """One short line for Claude Code's statusLine, from cached figures (never waits).

    \b
    Set it up with `glmplan setup claude-code --statusline`, or in settings.json:
      "statusLine": {"type": "command", "command": "glmplan statusline"}
    """
    return statusline_main()
