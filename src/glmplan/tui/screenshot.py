"""Render the demo dashboard to an SVG (the README screenshot).

    .venv/bin/python -m glmplan.tui.screenshot docs/dashboard.svg [WIDTH HEIGHT]

The demo clock is frozen so the picture is the same on every run (the local time zone is UTC).
"""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from glmplan.tui.app import create_app
from glmplan.tui.demo import DEMO_KEY_HINT, DemoQuotaService, DemoToolsService
from glmplan.tui.options import Options
from glmplan.tui.services import Account

START = datetime(2026, 11, 27, 14, 26, 15, tzinfo=UTC)


class _Frozen:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


async def render(target: Path, size: tuple[int, int]) -> None:
    clock = _Frozen()
    options = Options(clock=clock, watch_paths=(), account=Account("global", DEMO_KEY_HINT), tz=UTC)
    app = create_app(DemoQuotaService(clock), DemoToolsService(), options)
    async with app.run_test(size=size) as pilot:
        clock.now = START + timedelta(seconds=40)
        for _ in range(3):
            await pilot.pause()
            await app.workers.wait_for_complete()
        app.request_local()
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.save_screenshot(filename=target.name, path=str(target.parent))


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else Path("docs/dashboard.svg")
    size = (int(argv[1]), int(argv[2])) if len(argv) >= 3 else (100, 30)
    asyncio.run(render(target, size))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
