"""MCP web searches this month: used / limit gauge, reset date, and the split per MCP tool."""

from __future__ import annotations

from datetime import tzinfo

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from glmplan.quota.model import McpUsage, Source
from glmplan.tui.format import MCP_SHORT, date, number
from glmplan.tui.widgets.gauge import Gauge


def mcp_label(mcp: McpUsage | None, local_searches: int, tz: tzinfo | None) -> str:
    if mcp is None or mcp.used is None:
        return f"{local_searches:,} seen in local logs"
    if mcp.source is Source.LOCAL and not mcp.limit:
        reset = f" · resets {date(mcp.reset_at, tz)}" if mcp.reset_at else ""
        return f"{number(mcp.used)} in local logs{reset}"
    limit = f" / {number(mcp.limit)}" if mcp.limit else ""
    reset = f" · resets {date(mcp.reset_at, tz)}" if mcp.reset_at else ""
    return f"{number(mcp.used)}{limit}{reset}"


def split_line(mcp: McpUsage | None) -> str:
    if mcp is None or not mcp.by_tool:
        return "search · reader · zread: no API figures yet"
    names = [*MCP_SHORT, *(k for k in mcp.by_tool if k not in MCP_SHORT)]
    parts = [f"{MCP_SHORT.get(k, k)} {mcp.by_tool.get(k, 0):,}" for k in names]
    suffix = "" if mcp.source is Source.API else " (local)"
    return " · ".join(parts) + suffix


class McpPanel(Vertical):
    def __init__(self, thresholds: tuple[float, float], id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "MCP web searches (month)"
        self._thresholds = thresholds

    def compose(self) -> ComposeResult:
        yield Gauge(thresholds=self._thresholds, id="mcp-gauge")
        yield Static(id="mcp-split")
        yield Static(id="mcp-local")

    def show(self, mcp: McpUsage | None, local_searches: int, tz: tzinfo | None) -> None:
        fraction = None
        if mcp is not None and mcp.used is not None and mcp.limit:
            fraction = mcp.used / mcp.limit
        self.query_one(Gauge).set(fraction, mcp_label(mcp, local_searches, tz))
        self.query_one("#mcp-split", Static).update(split_line(mcp))
        local = f"{local_searches:,} web searches in local logs this window"
        self.query_one("#mcp-local", Static).update(local)
