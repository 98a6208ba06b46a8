"""Real watchdog observers: the watcher itself, and the dashboard updating from a log write."""

from __future__ import annotations

import dataclasses
import threading
from datetime import timedelta
from pathlib import Path

from textual.pilot import Pilot

from glmplan.paths import Paths
from glmplan.plan import Endpoints, Region
from glmplan.quota import logs
from glmplan.quota.model import ToolUsage
from glmplan.quota.service import ZaiQuotaService
from glmplan.tui.app import GlmplanApp
from glmplan.tui.watch import LogWatcher, watch_target
from glmplan.tui.widgets.usage_table import UsageTable
from tests.quota.logs.claude_lines import NOW as CLAUDE_NOW
from tests.quota.logs.claude_lines import user
from tests.tui.fakes import Clock, FakeQuota
from tests.tui.harness import make_app, settle

WAIT = 5.0  # generous bound for an event to arrive on a loaded machine


def test_watch_target_for_missing_directory_is_its_nearest_parent_flat(tmp_path: Path) -> None:
    assert watch_target(tmp_path) == (tmp_path, True)
    (tmp_path / "f.db").write_text("")
    assert watch_target(tmp_path / "f.db") == (tmp_path, False)
    assert watch_target(tmp_path / "a" / "b") == (tmp_path, False)


def test_a_write_is_reported_and_reads_are_not(tmp_path: Path) -> None:
    log = tmp_path / "session.jsonl"
    log.write_text("one\n")
    fired = threading.Event()
    watcher = LogWatcher([tmp_path], fired.set, debounce=0.05)
    watcher.start()
    try:
        log.read_text()  # opening to read must not count as a change
        assert not fired.wait(0.5)
        with log.open("a") as fh:
            fh.write("two\n")
        assert fired.wait(WAIT)
    finally:
        watcher.stop()


def test_a_directory_created_later_is_picked_up(tmp_path: Path) -> None:
    wanted = tmp_path / "projects" / "p1"
    fired = threading.Event()
    watcher = LogWatcher([wanted], fired.set, debounce=0.05)
    watcher.start()
    try:
        wanted.mkdir(parents=True)  # the parent-level event arms the new recursive watch
        assert fired.wait(WAIT)
        fired.clear()
        (wanted / "s.jsonl").write_text("x\n")
        assert fired.wait(WAIT)
    finally:
        watcher.stop()


class LineCountQuota(FakeQuota):
    """`refresh_local` counts the lines of a file: each line is one Claude Code prompt."""

    def __init__(self, log: Path) -> None:
        super().__init__(paths=[log.parent])
        self.log = log

    def refresh_local(self) -> None:
        super().refresh_local()
        lines = len(self.log.read_text().splitlines())
        usage = ToolUsage("claude-code", lines, 0, self.current.generated_at)
        local = dataclasses.replace(
            self.current.local, prompts=lines, by_tool={"claude-code": usage}
        )
        self.current = dataclasses.replace(self.current, local=local)


def prompts_shown(app: GlmplanApp, tool: str = "Claude Code") -> str | None:
    table = app.main.query_one(UsageTable)
    for index in range(table.row_count):
        row = table.get_row_at(index)
        if str(row[0]) == tool:
            return str(row[3])
    return None


async def wait_for(pilot: Pilot[None], app: GlmplanApp, wanted: str) -> bool:
    for _ in range(int(WAIT / 0.05)):
        if prompts_shown(app) == wanted:
            return True
        await pilot.pause(0.05)
    return False


async def test_an_appended_line_updates_the_table(tmp_path: Path) -> None:
    log = tmp_path / "logs" / "session.jsonl"
    log.parent.mkdir()
    log.write_text("a\nb\n")
    app = make_app(LineCountQuota(log), watch_paths=None)  # watch what the service says
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert prompts_shown(app) == "2"
        assert app.live
        with log.open("a") as fh:
            fh.write("c\n")
        assert await wait_for(pilot, app, "3")


async def test_a_real_claude_code_transcript(paths: Paths) -> None:
    """The real log reader and quota service (no key: local estimate) behind the dashboard."""
    project = paths.home / ".claude" / "projects" / "-home-u-proj"
    project.mkdir(parents=True)
    transcript = project / "s-1.jsonl"
    transcript.write_text(user("u1", "first", minutes_ago=30) + user("u2", "second", 20))
    clock = Clock(CLAUDE_NOW)
    service = ZaiQuotaService(
        paths,
        plan="pro",
        api_key=None,
        endpoints=Endpoints.for_region(Region.GLOBAL),
        events_provider=lambda: logs.collect(paths, now=clock()),
        clock=clock,
        watch=lambda: logs.watch_paths(paths),
    )
    app = make_app(service, clock=clock, watch_paths=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert prompts_shown(app) == "2"
        clock.now = CLAUDE_NOW + timedelta(seconds=5)
        with transcript.open("a") as fh:
            fh.write(user("u3", "third", minutes_ago=0))
        assert await wait_for(pilot, app, "3")
        assert app.report is not None and not app.report.api.ok  # no key: local figures only
