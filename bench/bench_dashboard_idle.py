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
from typing import TYPE_CHECKING

from glmplan.quota.model import ApiStatus, UsageReport

if TYPE_CHECKING:
    from textual.app import App

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


def corpus_app() -> App[None]:
    """The real dashboard: real log readers on the 200 MB corpus, a loopback quota server."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.support
    from glmplan.paths import Paths
    from glmplan.plan import Endpoints, Region
    from glmplan.quota import logs
    from glmplan.quota.service import ZaiQuotaService
    from glmplan.tui.app import create_app
    from glmplan.tui.options import Options
    from tests.support.quota_server import LEGACY_PAYLOAD, QuotaServer, Reply

    corpus = Path(__file__).resolve().parent / ".corpus" / "200M" / "claude"
    if not corpus.is_dir():
        sys.exit("no corpus: run `.venv/bin/python bench/gen_corpus.py --size 200M` first")
    home = Path(tempfile.mkdtemp())
    paths = Paths.from_env({"HOME": str(home), "CLAUDE_CONFIG_DIR": str(corpus)})
    server = QuotaServer(Reply.json(LEGACY_PAYLOAD)).start()
    service = ZaiQuotaService(
        paths,
        plan="pro",
        api_key="sk-bench-0000000000000",
        endpoints=Endpoints.for_region(Region.GLOBAL, server.base),
        events_provider=lambda: logs.collect(paths),
        watch=lambda: logs.watch_paths(paths),
    )
    return create_app(service, None, Options(interval=60.0))


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
    elif kind == "corpus":
        app = corpus_app()
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
    kinds = sys.argv[2].split(",") if len(sys.argv) > 2 else ["bare", "idle", "demo", "corpus"]
    for kind in kinds:
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
