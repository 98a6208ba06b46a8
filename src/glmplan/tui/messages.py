"""Messages from worker and watcher threads to the UI (small dataclasses, posted thread-safely)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from glmplan.quota.model import ApiStatus, UsageReport
from glmplan.tui.services import ToolRow


@dataclass
class ReportReady(Message):
    """A fresh report after a local or API refresh."""

    report: UsageReport


@dataclass
class ApiPolled(Message):
    """The outcome of one API poll, for the backoff schedule."""

    status: ApiStatus


@dataclass
class LogsChanged(Message):
    """The watcher saw writes under a watched path (already coalesced)."""


@dataclass
class ToolRowsReady(Message):
    rows: list[ToolRow]


@dataclass
class ToolActionDone(Message):
    """A setup/restore finished; `message` is shown as a notification."""

    message: str
    error: bool = False
