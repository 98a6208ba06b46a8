"""The refresh panel: a countdown to the 5-hour reset, ticking every second; the weekly window."""

from __future__ import annotations

from datetime import datetime, tzinfo

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Digits, Static

from glmplan.quota.model import UsageReport, Window
from glmplan.tui.format import clock, countdown, day_and_clock, window_bounds

NO_RESET = "-:--:--"


def weekly_line(weekly: Window | None, tz: tzinfo | None) -> str:
    if weekly is None:
        return ""
    percent = f"{weekly.percent:.0f} %" if weekly.percent is not None else "?"
    reset = f" · resets {day_and_clock(weekly.reset_at, tz)}" if weekly.reset_at else ""
    return f"weekly {percent}{reset}"


class RefreshPanel(Vertical):
    """`tick(now)` is the only per-second work in the dashboard: it touches two small widgets."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Refresh"
        self.reset_at: datetime | None = None
        self._shown = ""

    def compose(self) -> ComposeResult:
        yield Digits(NO_RESET, id="countdown-digits")
        yield Static(NO_RESET, id="countdown-text")
        yield Static(id="countdown-reset")
        yield Static(id="countdown-weekly")

    def show(self, report: UsageReport, tz: tzinfo | None) -> None:
        _start, self.reset_at = window_bounds(report)
        reset = self.query_one("#countdown-reset", Static)
        if self.reset_at is None:
            reset.update("no active window · starts with your next prompt")
        else:
            source = "" if report.five_hour and report.five_hour.reset_at else " (estimate)"
            reset.update(f"resets {clock(self.reset_at, tz)} local{source}")
        self.query_one("#countdown-weekly", Static).update(weekly_line(report.weekly, tz))

    def tick(self, now: datetime) -> None:
        text = NO_RESET
        if self.reset_at is not None:
            text = countdown((self.reset_at - now).total_seconds())
        if text != self._shown:
            self._shown = text
            self.query_one(Digits).update(text)
            self.query_one("#countdown-text", Static).update(text, layout=False)  # fixed size
