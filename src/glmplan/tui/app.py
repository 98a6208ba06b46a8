"""The dashboard app. `create_app` is the factory used by the CLI, the demo and the tests.

Threads: local log refreshes, API polls and tool detection run in thread workers; results come
back as messages. The only per-second work is the countdown tick.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from typing import ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.notifications import SeverityLevel
from textual.timer import Timer

from glmplan.quota.model import ApiStatus, QuotaService, UsageReport
from glmplan.tui.format import window_bounds
from glmplan.tui.live import crossed, keep_last_good, next_poll_delay
from glmplan.tui.messages import ApiPolled, LogsChanged, ReportReady, ToolRowsReady
from glmplan.tui.options import Options
from glmplan.tui.screens.help import HelpScreen
from glmplan.tui.screens.main import MainScreen
from glmplan.tui.screens.tools import ToolsScreen
from glmplan.tui.services import ToolRow, ToolsService
from glmplan.tui.watch import LogWatcher
from glmplan.tui.widgets.status import status_text

logger = logging.getLogger(__name__)


class GlmplanApp(App[None]):
    CSS_PATH = "glmplan.tcss"
    TITLE = "glmplan"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "refresh", "refresh"),
        Binding("t", "tools", "tools"),
        Binding("question_mark", "help", "help", key_display="?"),
        Binding("q", "quit", "quit"),
    ]

    def __init__(
        self, quota: QuotaService, tools: ToolsService | None = None, options: Options | None = None
    ) -> None:
        super().__init__()
        self.quota = quota
        self.tools = tools
        self.options = opts = options or Options()
        self.clock = opts.clock
        self.tz = opts.tz
        self.report: UsageReport | None = None
        self.tool_rows: list[ToolRow] | None = None
        self.api_failures = 0
        self.retry_in: float | None = None  # seconds to the next API try, after a failure
        self.notified: set[tuple[str, float]] = set()
        self.watcher: LogWatcher | None = None
        self._poll_timer: Timer | None = None
        self._local_lock = threading.Lock()  # guards the two flags below
        self._local_running = False
        self._local_pending = False
        self._service_lock = threading.Lock()  # refresh_local and report run one at a time

    def get_default_screen(self) -> MainScreen:
        return MainScreen(self.options.account, self.options.thresholds)

    @property
    def main(self) -> MainScreen:
        """The main screen; NoMatches once it is gone (late worker results during shutdown)."""
        stack = self.screen_stack
        if not stack or not isinstance(stack[0], MainScreen):
            raise NoMatches("the main screen is not mounted")
        return stack[0]

    def on_ready(self) -> None:
        """Start the watcher, timers and workers once the main screen is composed."""
        self._start_watcher()
        self.set_interval(1.0, self.tick)
        if self.options.local_poll:
            self.set_interval(self.options.local_poll, self.request_local)
        self.request_local()
        self.poll_api()
        if self.tools is not None:
            self.load_tool_rows()

    def on_unmount(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()

    def _start_watcher(self) -> None:
        wanted = self.options.watch_paths
        paths = list(wanted) if wanted is not None else self.quota.watch_paths()
        if not paths:
            return
        self.watcher = LogWatcher(paths, self._logs_changed)
        try:
            self.watcher.start()
        except OSError as exc:
            logger.warning("cannot watch the log directories: %s; polling every 5 s", exc)
            self.watcher = None
            self.set_interval(5.0, self.request_local)

    def _logs_changed(self) -> None:
        self.post_message(LogsChanged())  # called from the watcher's timer thread

    @property
    def live(self) -> bool:
        return bool(self.options.local_poll) or (self.watcher is not None and self.watcher.watching)

    # -- local logs ------------------------------------------------------------------------------
    def request_local(self) -> None:
        """Refresh from the local logs; while one refresh runs, further requests coalesce."""
        with self._local_lock:
            if self._local_running:
                self._local_pending = True
                return
            self._local_running = True
        self._local_worker()

    @work(thread=True, group="local", exit_on_error=False)
    def _local_worker(self) -> None:
        while True:
            with self._local_lock:
                self._local_pending = False
            self._refresh_local_once()
            with self._local_lock:
                if not self._local_pending:
                    self._local_running = False
                    return

    def _refresh_local_once(self) -> None:
        try:
            with self._service_lock:
                self.quota.refresh_local()
                report = self.quota.report(self.clock())
        except Exception as exc:
            logger.exception("local refresh failed")
            self.call_from_thread(
                self.notify, f"Reading local logs failed: {exc}", severity="error"
            )
            return
        self.post_message(ReportReady(report))

    def on_logs_changed(self, _message: LogsChanged) -> None:
        self.request_local()

    # -- quota API -------------------------------------------------------------------------------
    @work(thread=True, group="api", exclusive=True, exit_on_error=False)
    def poll_api(self) -> None:
        try:
            status = self.quota.refresh_api()
        except Exception as exc:
            logger.exception("quota API refresh raised")
            status = ApiStatus(ok=False, fetched_at=None, error=f"{type(exc).__name__}: {exc}")
        with self._service_lock:
            report = self.quota.report(self.clock())
        self.post_message(ApiPolled(status))
        self.post_message(ReportReady(report))

    def on_api_polled(self, message: ApiPolled) -> None:
        self.api_failures = 0 if message.status.ok else self.api_failures + 1
        if self._poll_timer is not None:
            self._poll_timer.stop()
        delay = next_poll_delay(self.options.interval, self.api_failures)
        self._poll_timer = self.set_timer(delay, self.poll_api)
        self.retry_in = delay if self.api_failures else None
        self._show_status()
        self.request_local()  # a cheap safety net for changes the watcher could not see

    # -- tools -----------------------------------------------------------------------------------
    @work(thread=True, group="tools", exclusive=True, exit_on_error=False)
    def load_tool_rows(self) -> None:
        if self.tools is not None:
            self.post_message(ToolRowsReady(self.tools.rows()))

    def on_tool_rows_ready(self, message: ToolRowsReady) -> None:
        self.tool_rows = message.rows
        self._show()

    # -- UI --------------------------------------------------------------------------------------
    def on_report_ready(self, message: ReportReady) -> None:
        self.report = keep_last_good(self.report, message.report)
        self._show()
        self._check_thresholds(self.report)

    def _show(self) -> None:
        if self.report is None:
            return
        try:
            self.main.show(self.report, self.tool_rows, self.clock(), self.tz, self.live)
        except NoMatches:  # a late worker result during shutdown
            return
        self._show_status()

    def _show_status(self) -> None:
        with contextlib.suppress(NoMatches):  # a late worker result during shutdown
            self.main.show_status(*status_text(self.report, self.retry_in, self.tz))

    def _check_thresholds(self, report: UsageReport) -> None:
        hit, self.notified = crossed(report, self.options.thresholds, self.notified)
        if hit is not None:
            severity: SeverityLevel = "error" if hit >= max(self.options.thresholds) else "warning"
            self.notify(
                f"The shared 5-hour quota passed {hit:.0f} %.",
                title="GLM Coding Plan quota",
                severity=severity,
                timeout=10,
            )

    def tick(self) -> None:
        now = self.clock()
        try:
            self.main.tick(now)
        except NoMatches:  # shutting down: the widgets went before the timer
            return
        if self.report is None:
            return
        _start, reset = window_bounds(self.report)
        if reset is not None and self.report.generated_at < reset <= now:
            self.request_local()  # the window just reset: recount
            self.poll_api()

    def action_refresh(self) -> None:
        self.request_local()
        self.poll_api()
        if self.tools is not None:
            self.load_tool_rows()
        self.notify("Refreshing…", timeout=1.5)

    def action_tools(self) -> None:
        if not isinstance(self.screen, ToolsScreen):
            self.push_screen(ToolsScreen(self.tools))

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())


def create_app(
    quota: QuotaService, tools: ToolsService | None = None, options: Options | None = None
) -> GlmplanApp:
    """The one way to build the dashboard (CLI, demo, tests, snapshots)."""
    return GlmplanApp(quota, tools, options)
