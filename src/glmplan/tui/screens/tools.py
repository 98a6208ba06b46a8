"""The Tools screen (`t`): detection and configuration of the seven tools; set up or restore one."""

from __future__ import annotations

import logging

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from glmplan.plan import EndpointKind
from glmplan.tui.messages import ToolActionDone, ToolRowsReady
from glmplan.tui.screens.confirm import ConfirmDiff
from glmplan.tui.services import ToolRow, ToolsService

logger = logging.getLogger(__name__)

# (label, width): fixed so the columns stay put while rows are reloaded.
COLUMNS = (
    ("tool", 12),
    ("detected", 8),
    ("configured", 22),
    ("endpoint", 30),
    ("running", 7),
)
YES = Text("✓", style="bold green")
NO = Text("–", style="dim")


def endpoint_cell(kind: EndpointKind) -> Text:
    if kind is EndpointKind.GENERAL:
        return Text(kind.value, style="bold red")
    if kind is EndpointKind.NONE:
        return NO
    return Text(kind.value, style="green" if kind is EndpointKind.CODING_PLAN else "yellow")


def row_cells(row: ToolRow) -> tuple[str | Text, ...]:
    configured = YES if row.configured else NO
    if row.configured and row.changed:
        configured = Text.assemble(("✓", "bold green"), (" changed since setup", "yellow"))
    running = str(row.running) if row.running else "–"
    return (row.name, YES if row.detected else NO, configured, endpoint_cell(row.endpoint), running)


class ToolsScreen(Screen[None]):
    BINDINGS = [  # noqa: RUF012  Textual reads this class attribute
        Binding("escape", "app.pop_screen", "Back"),
        Binding("s", "setup", "Set up"),
        Binding("x", "restore", "Restore"),
    ]

    def __init__(self, tools: ToolsService | None) -> None:
        super().__init__()
        self.tools = tools
        self.rows: list[ToolRow] = []

    def compose(self) -> ComposeResult:
        yield Static("Tools · select one, then s to set up or x to restore", id="tools-title")
        table: DataTable[str | Text] = DataTable(id="tools-table", cursor_type="row")
        table.border_title = "Coding tools"
        yield table
        yield Static(id="tools-detail")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in COLUMNS:
            table.add_column(label, key=label, width=width)
        if self.tools is None:
            self.query_one("#tools-detail", Static).update(
                "Tool detection is not available in this session."
            )
            return
        self.load_rows()

    @work(thread=True, exclusive=True, group="tool-rows")
    def load_rows(self) -> None:
        assert self.tools is not None
        self.post_message(ToolRowsReady(self.tools.rows()))

    def on_tool_rows_ready(self, message: ToolRowsReady) -> None:
        self.rows = message.rows
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        for row in self.rows:
            table.add_row(*row_cells(row), key=row.tool)
        table.move_cursor(row=min(cursor, max(0, len(self.rows) - 1)))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = self._selected()
        if row is not None:
            note = row.detail or ("detected" if row.detected else "not detected")
            self.query_one("#tools-detail", Static).update(f"{row.name}: {note}")

    def _selected(self) -> ToolRow | None:
        index = self.query_one(DataTable).cursor_row
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def action_setup(self) -> None:
        self._start("setup")

    def action_restore(self) -> None:
        self._start("restore")

    def _start(self, verb: str) -> None:
        row = self._selected()
        if row is not None and self.tools is not None:
            self.preview(row, verb)

    @work(thread=True, group="tool-action")
    def preview(self, row: ToolRow, verb: str) -> None:
        assert self.tools is not None
        get = self.tools.preview_setup if verb == "setup" else self.tools.preview_restore
        try:
            diff = get(row.tool)
        except Exception as exc:
            logger.exception("preview of %s for %s failed", verb, row.tool)
            self.post_message(ToolActionDone(f"{row.name}: {exc}", error=True))
            return
        title = f"{'Set up' if verb == 'setup' else 'Restore'} {row.name}: changes to apply"
        screen = ConfirmDiff(title, diff, "Set up" if verb == "setup" else "Restore")
        self.app.call_from_thread(
            self.app.push_screen, screen, lambda yes: self._confirmed(row, verb, bool(yes))
        )

    def _confirmed(self, row: ToolRow, verb: str, yes: bool) -> None:
        if yes:
            self.apply(row, verb)

    @work(thread=True, group="tool-action")
    def apply(self, row: ToolRow, verb: str) -> None:
        assert self.tools is not None
        run = self.tools.apply_setup if verb == "setup" else self.tools.apply_restore
        try:
            self.post_message(ToolActionDone(run(row.tool)))
        except Exception as exc:
            logger.exception("%s of %s failed", verb, row.tool)
            self.post_message(ToolActionDone(f"{row.name}: {exc}", error=True))

    def on_tool_action_done(self, message: ToolActionDone) -> None:
        self.notify(message.message, severity="error" if message.error else "information")
        self.load_rows()
