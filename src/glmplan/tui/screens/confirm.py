"""A modal that shows a diff (key already masked) and asks for confirmation before applying it."""

from __future__ import annotations

from rich.syntax import Syntax
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static


class ConfirmDiff(ModalScreen[bool]):
    BINDINGS = [  # noqa: RUF012  Textual reads this class attribute
        Binding("y", "answer(True)", "Apply"),
        Binding("n,escape", "answer(False)", "Cancel"),
    ]

    def __init__(self, title: str, diff: str, verb: str) -> None:
        super().__init__()
        self.title_text = title
        self.diff = diff
        self.verb = verb

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Label(self.title_text, id="confirm-title")
            with VerticalScroll(id="confirm-diff"):
                if self.diff.strip():
                    yield Static(Syntax(self.diff, "diff", theme="ansi_dark", word_wrap=False))
                else:
                    yield Static("Nothing to change: the files are already as requested.")
            with Horizontal(id="confirm-buttons"):
                yield Button(f"{self.verb} (y)", variant="warning", id="confirm-yes")
                yield Button("Cancel (n)", id="confirm-no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
