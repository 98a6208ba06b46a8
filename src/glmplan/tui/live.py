"""Pure rules of the live dashboard: API backoff, keeping the last good data, threshold alerts."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from glmplan.quota.model import ApiStatus, Source, UsageReport
from glmplan.tui.format import quota_fraction, window_bounds
from glmplan.tui.widgets.quota import approx_limit

BACKOFF_CAP_SECONDS = 600.0


def next_poll_delay(interval: float, failures: int, cap: float = BACKOFF_CAP_SECONDS) -> float:
    """`interval` while the API answers; after n failures in a row, interval × 2^(n-1), capped."""
    if failures <= 0:
        return interval
    return float(min(max(cap, interval), interval * 2.0 ** (failures - 1)))


def _has_api_data(report: UsageReport) -> bool:
    return any(
        part is not None and part.source is Source.API
        for part in (report.five_hour, report.weekly, report.mcp)
    )


def keep_last_good(previous: UsageReport | None, new: UsageReport) -> UsageReport:
    """When a poll failed and the new report lost the API figures, keep the previous ones, stale."""
    if new.api.ok or previous is None or _has_api_data(new) or not _has_api_data(previous):
        return new
    api = ApiStatus(ok=False, fetched_at=previous.api.fetched_at, error=new.api.error, stale=True)
    return dataclasses.replace(
        new,
        plan=new.plan or previous.plan,
        five_hour=previous.five_hour,
        weekly=previous.weekly,
        mcp=previous.mcp,
        api=api,
    )


def window_key(report: UsageReport) -> str:
    start, reset = window_bounds(report)
    anchor = reset or start
    return anchor.isoformat() if anchor else "none"


def crossed(
    report: UsageReport, thresholds: Iterable[float], already: set[tuple[str, float]]
) -> tuple[float | None, set[tuple[str, float]]]:
    """The highest threshold newly crossed in this window (or None), and the updated memory."""
    fraction, _source = quota_fraction(report, approx_limit(report.plan))
    if fraction is None:
        return None, already
    key = window_key(report)
    reached = sorted(t for t in thresholds if fraction * 100 >= t)
    fresh = [t for t in reached if (key, t) not in already]
    if not fresh:
        return None, already
    return fresh[-1], already | {(key, t) for t in reached}
