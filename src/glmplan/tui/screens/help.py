"""The help screen (`?`): keys and what each figure means."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = (
    ("r", "refresh now: local logs and the quota API"),
    ("t", "tools: detection, set up or restore a coding tool"),
    ("?", "this help"),
    ("escape", "back"),
    ("q", "quit"),
)
FIGURES = (
    (
        "Shared 5-hour quota",
        "the official percent from Z.ai's quota API, and the prompts counted "
        "in your tools' local logs against the plan's approximate limit; every tool shares it.",
    ),
    (
        "Refresh",
        "time left until the 5-hour window resets; the weekly window if your plan has one.",
    ),
    ("MCP web searches", "this month's web search, web reader and zread calls."),
    (
        "API ok / stale / local estimate",
        "live API figures; the last good ones after a failed poll "
        "(retried with backoff); or only what the local logs say.",
    ),
)


def help_table() -> Group:
    keys = Table.grid(padding=(0, 3))
    keys.add_column(style="bold", no_wrap=True)
    keys.add_column()
    for key, text in KEYS:
        keys.add_row(key, text)
    figures = [Text.assemble("\n", (name, "bold"), "\n", text) for name, text in FIGURES]
    return Group(keys, *figures)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark", "dismiss", "close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box") as box:
            box.border_title = "glmplan dashboard · help"
            box.border_subtitle = "escape to close"
            yield Static(help_table(), id="help-text")
