"""The main screen's per-tool table: configured, running, prompts and searches, last activity."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.widgets import DataTable

from glmplan.quota.model import ToolUsage, UsageReport
from glmplan.tui.format import display_name, relative, tool_ids
from glmplan.tui.services import ToolRow

# (label, width): fixed widths keep the columns still while rows come and go.
COLUMNS = (
    ("tool", 12),
    ("configured", 12),
    ("running", 7),
    ("prompts", 7),
    ("searches", 8),
    ("last activity", 13),
)
DASH = "–"


def configured_cell(row: ToolRow | None) -> Text:
    if row is None:
        return Text("?", style="dim")
    if row.configured and row.changed:
        return Text.assemble(("✓", "bold green"), (" (changed)", "yellow"))
    if row.configured:
        return Text("✓", style="bold green")
    return Text(DASH, style="dim")


def table_rows(
    report: UsageReport, tools: list[ToolRow] | None, now: datetime
) -> list[tuple[str | Text, ...]]:
    """One row per tool that is detected, configured or seen in the logs; busiest first."""
    by_id = {row.tool: row for row in tools or []}
    shown = [t for t in tool_ids() if t in report.local.by_tool or _visible(by_id.get(t))]
    shown += [t for t in report.local.by_tool if t not in shown]
    order = {tool: index for index, tool in enumerate(shown)}
    shown.sort(key=lambda t: (-_prompts(report.local.by_tool.get(t)), order[t]))
    return [_row(t, by_id.get(t), report.local.by_tool.get(t), now, tools is None) for t in shown]


def _visible(row: ToolRow | None) -> bool:
    return row is not None and (row.detected or row.configured)


def _prompts(usage: ToolUsage | None) -> int:
    return usage.prompts if usage else -1


def _row(
    tool: str, row: ToolRow | None, usage: ToolUsage | None, now: datetime, unknown: bool
) -> tuple[str | Text, ...]:
    name = row.name if row else display_name(tool)
    running = DASH if row is None or not row.running else str(row.running)
    configured = configured_cell(None if unknown else row)
    if usage is None:
        return (name, configured, running, DASH, DASH, DASH)
    last = relative(usage.last_activity, now)
    return (name, configured, running, str(usage.prompts), str(usage.web_searches), last)


class UsageTable(DataTable[str | Text]):
    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="none", zebra_stripes=True, show_cursor=False)
        self.border_title = "Tools"

    def on_mount(self) -> None:
        for label, width in COLUMNS:
            self.add_column(label, key=label, width=width)

    def show(self, report: UsageReport, tools: list[ToolRow] | None, now: datetime) -> None:
        rows = table_rows(report, tools, now)
        self.clear()
        for row in rows:
            self.add_row(*row)
        if not rows:
            self.border_subtitle = "no tool activity in this window yet"
        else:
            self.border_subtitle = ""
