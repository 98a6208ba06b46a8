"""Builders shared by the dashboard tests."""

from __future__ import annotations

import dataclasses
from datetime import UTC

from textual.pilot import Pilot

from glmplan.quota.model import QuotaService
from glmplan.tui.app import GlmplanApp, create_app
from glmplan.tui.options import Options
from glmplan.tui.services import Account, ToolsService
from tests.tui.fakes import Clock, FakeQuota


def make_app(
    quota: QuotaService | None = None,
    tools: ToolsService | None = None,
    clock: Clock | None = None,
    **options: object,
) -> GlmplanApp:
    opts = Options(
        clock=clock or Clock(),
        watch_paths=(),
        account=Account("global", "…x9Qa"),
        tz=UTC,
    )
    opts = dataclasses.replace(opts, **options)  # type: ignore[arg-type]
    return create_app(quota or FakeQuota(), tools, opts)


async def settle(pilot: Pilot[None]) -> None:
    """Let workers finish and their messages reach the widgets."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()
