"""The main screen: header, quota and refresh panels, MCP and chart panels, tools table, status."""

from __future__ import annotations

from datetime import datetime, tzinfo

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer

from glmplan.quota.model import UsageReport
from glmplan.tui.services import Account, ToolRow
from glmplan.tui.widgets.chart import PromptChart
from glmplan.tui.widgets.countdown import RefreshPanel
from glmplan.tui.widgets.header import HeaderBar
from glmplan.tui.widgets.mcp import McpPanel
from glmplan.tui.widgets.quota import QuotaPanel
from glmplan.tui.widgets.status import StatusLine
from glmplan.tui.widgets.usage_table import UsageTable

# Below either size the layout drops the big digits and the panel padding.
COMPACT_WIDTH = 100
COMPACT_HEIGHT = 30
TALL_HEIGHT = 38  # from here on the chart grows


class MainScreen(Screen[None]):
    def __init__(self, account: Account, thresholds: tuple[float, float]) -> None:
        super().__init__()
        self.account = account
        self.thresholds = thresholds

    def compose(self) -> ComposeResult:
        yield HeaderBar(self.account, id="header")
        with Horizontal(id="top-row", classes="panel-row"):
            yield QuotaPanel(self.thresholds, id="quota")
            yield RefreshPanel(id="refresh")
        with Horizontal(id="mid-row", classes="panel-row"):
            yield McpPanel(self.thresholds, id="mcp")
            yield PromptChart(id="chart")
        yield UsageTable(id="usage")
        yield StatusLine(id="status")
        yield Footer()

    def on_resize(self, event: events.Resize) -> None:
        compact = event.size.width < COMPACT_WIDTH or event.size.height < COMPACT_HEIGHT
        self.set_class(compact, "-compact")
        self.set_class(event.size.height >= TALL_HEIGHT, "-tall")
        chart = self.query_one(PromptChart)
        chart.border_title = "Prompts / 15 min" if compact else "Prompts this window (15 min)"

    def show(
        self,
        report: UsageReport,
        tools: list[ToolRow] | None,
        now: datetime,
        tz: tzinfo | None,
        live: bool,
    ) -> None:
        self.query_one(HeaderBar).show(report, now, live)
        self.query_one(QuotaPanel).show(report, tz)
        refresh = self.query_one(RefreshPanel)
        refresh.show(report, tz)
        refresh.tick(now)
        self.query_one(McpPanel).show(report.mcp, report.local.web_searches, tz)
        self.query_one(PromptChart).show(report, tz)
        self.query_one(UsageTable).show(report, tools, now)

    def show_status(self, text: str, error: bool) -> None:
        self.query_one(StatusLine).show(text, error)

    def tick(self, now: datetime) -> None:
        self.query_one(RefreshPanel).tick(now)
        self.query_one(HeaderBar).tick(now)
