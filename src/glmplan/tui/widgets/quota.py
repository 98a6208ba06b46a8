"""The shared 5-hour quota panel: gauge, local prompt estimate, burn rate and projection."""

from __future__ import annotations

from datetime import tzinfo

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from glmplan.plan import PLANS, PlanName
from glmplan.quota.model import Source, UsageReport, Window
from glmplan.tui.format import clock, number, quota_fraction, window_bounds
from glmplan.tui.widgets.gauge import Gauge


def approx_limit(plan: str | None) -> int | None:
    try:
        return PLANS[PlanName(plan)].prompts_per_5h if plan else None
    except ValueError:
        return None


def gauge_label(fraction: float | None, source: Source, stale: bool) -> str:
    if fraction is None:
        return "no data yet"
    percent = f"{fraction * 100:.0f} %"
    if source is Source.API:
        return f"{percent} (API, stale)" if stale else f"{percent} (API)"
    return f"~{percent} (local)"


def prompts_line(report: UsageReport) -> str:
    limit = approx_limit(report.plan)
    prompts = report.local.prompts
    local = f"~{prompts:,} of ~{limit:,} prompts" if limit else f"{prompts:,} prompts"
    return f"{local} (local estimate)"


def window_line(report: UsageReport, tz: tzinfo | None) -> str:
    start, reset = window_bounds(report)
    span = (
        f"window {clock(start, tz)}–{clock(reset, tz)}" if start and reset else "no active window"
    )
    api = _api_amount(report.five_hour)
    return f"{span} · API {api}" if api else span


def _api_amount(five: Window | None) -> str:
    if five is None or five.source is not Source.API or five.used is None or not five.limit:
        return ""
    return f"{_compact(five.used)} of {_compact(five.limit)} {five.unit.value}"


def _compact(value: float) -> str:
    for size, suffix in ((1e9, " G"), (1e6, " M"), (1e3, " k")):
        if abs(value) >= size * 10:
            return f"{value / size:.1f}".rstrip("0").rstrip(".") + suffix
    return number(value)


def burn_line(report: UsageReport, tz: tzinfo | None) -> str:
    burn = report.burn_per_hour
    if burn is None:
        return "burn rate: not enough data yet"
    five = report.five_hour
    # Without local prompts the service's burn rate is in percent of the quota per hour.
    by_percent = five is not None and five.percent is not None and not report.local.prompts
    unit = "%/h" if by_percent else ""
    rate = f"burn {burn:.1f} {unit}" if unit else f"burn {burn:.0f} prompts/h"
    if report.projected_exhaustion is not None:
        return f"{rate} · limit reached ~{clock(report.projected_exhaustion, tz)} at this pace"
    _start, reset = window_bounds(report)
    limit = approx_limit(report.plan)
    if reset is None or not limit or unit:
        return rate
    hours = max(0.0, (reset - report.generated_at).total_seconds() / 3600)
    expected = report.local.prompts + burn * hours
    return f"{rate} · ~{expected:,.0f} by the reset at this pace"


class QuotaPanel(Vertical):
    def __init__(self, thresholds: tuple[float, float], id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Shared 5-hour quota"
        self._thresholds = thresholds

    def compose(self) -> ComposeResult:
        yield Gauge(thresholds=self._thresholds, id="quota-gauge")
        yield Static(id="quota-prompts")
        yield Static(id="quota-burn")
        yield Static(id="quota-window")

    def show(self, report: UsageReport, tz: tzinfo | None) -> None:
        fraction, source = quota_fraction(report, approx_limit(report.plan))
        self.query_one(Gauge).set(fraction, gauge_label(fraction, source, report.api.stale))
        self.query_one("#quota-prompts", Static).update(prompts_line(report))
        self.query_one("#quota-burn", Static).update(burn_line(report, tz))
        self.query_one("#quota-window", Static).update(window_line(report, tz))
