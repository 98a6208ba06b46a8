"""CPU time and peak RSS of the dashboard left alone for a while (headless, real timers/watcher).

    .venv/bin/python bench/bench_dashboard_idle.py [SECONDS]

Three runs, each in its own process: `bare` (an empty Textual app, for reference), `idle`
(a quota service whose data never changes, a real watchdog observer on an empty temp dir, API
polls every 60 s) and `demo` (the built-in demo, a new prompt every few seconds, local refresh
every second). CPU is measured after a 5 s start-up.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from glmplan.quota.model import ApiStatus, UsageReport

STARTUP = 5.0


class Still:
    """A quota service whose figures never change (what an idle evening looks like)."""

    def __init__(self, watch: Path) -> None:
        from glmplan.tui.demo import DemoQuotaService

        demo = DemoQuotaService()
        demo.refresh_api()
        self.frozen = demo.report(datetime.now(UTC))
        self.watch = watch

    def refresh_local(self) -> None:
        return None

    def refresh_api(self) -> ApiStatus:
        return self.frozen.api

    def report(self, now: datetime) -> UsageReport:
        return self.frozen

    def watch_paths(self) -> list[Path]:
        return [self.watch]


def child(kind: str, seconds: float) -> None:
    from glmplan.tui.app import create_app
    from glmplan.tui.demo import DemoQuotaService, DemoToolsService
    from glmplan.tui.options import Options

    watch = Path(tempfile.mkdtemp())
    if kind == "bare":  # reference: an empty Textual app with no timers
        from textual.app import App

        app: App[None] = App()
    elif kind == "demo":
        app = create_app(
            DemoQuotaService(), DemoToolsService(), Options(watch_paths=(), local_poll=1.0)
        )
    else:
        paths = None if kind == "idle" else ()
        app = create_app(Still(watch), None, Options(watch_paths=paths))
    marks: dict[str, float] = {}

    def usage() -> float:
        ru = resource.getrusage(resource.RUSAGE_SELF)
        return ru.ru_utime + ru.ru_stime

    def start() -> None:
        marks["cpu0"], marks["t0"] = usage(), time.monotonic()
        app.set_timer(seconds, stop)

    def stop() -> None:
        marks["cpu1"], marks["t1"] = usage(), time.monotonic()
        app.exit()

    app.call_later(lambda: app.set_timer(STARTUP, start))
    app.run(headless=True, size=(100, 30))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cpu = marks["cpu1"] - marks["cpu0"]
    wall = marks["t1"] - marks["t0"]
    print(
        json.dumps(
            {
                "kind": kind,
                "wall_s": round(wall, 1),
                "cpu_s": round(cpu, 3),
                "cpu_percent": round(100 * cpu / wall, 2),
                "peak_rss_mb": round(peak_mb, 1),
            }
        )
    )


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 60.0
    for kind in ("bare", "idle", "demo"):
        out = subprocess.run(
            [sys.executable, __file__, "--child", kind, str(seconds)],
            capture_output=True,
            text=True,
            check=True,
        )
        print(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], float(sys.argv[3]))
    else:
        main()
