"""The status line above the footer: the last error, or notes about the data."""

from __future__ import annotations

from datetime import tzinfo

from textual.widgets import Static

from glmplan.quota.model import UsageReport
from glmplan.tui.format import clock, short_duration


def status_text(
    report: UsageReport | None, retry_in: float | None, tz: tzinfo | None
) -> tuple[str, bool]:
    """(text, is_error)."""
    if report is None:
        return "reading local logs and asking the quota API…", False
    api = report.api
    if not api.ok and api.error:
        kept = f" · showing data from {clock(api.fetched_at, tz)}" if api.fetched_at else ""
        retry = f" · retry in {short_duration(retry_in)}" if retry_in is not None else ""
        return f"✗ {api.error}{kept}{retry}", True
    notes = list(report.notes)
    if report.local.skipped:
        notes.append(f"{report.local.skipped} unreadable log lines skipped")
    if notes:
        return " · ".join(notes), False
    return f"all good · updated {clock(report.generated_at, tz)}", False


class StatusLine(Static):
    def show(self, text: str, error: bool) -> None:
        self.set_class(error, "-error")
        self.update(text)
