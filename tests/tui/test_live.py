"""Pure rules of the live dashboard: backoff, last good data, thresholds."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from glmplan.quota.model import ApiStatus
from glmplan.tui.live import crossed, keep_last_good, next_poll_delay, window_key
from tests.tui.fakes import NOW, report


def test_backoff_doubles_from_the_interval_and_is_capped() -> None:
    delays = [next_poll_delay(60.0, n) for n in range(7)]
    assert delays == [60.0, 60.0, 120.0, 240.0, 480.0, 600.0, 600.0]
    assert next_poll_delay(900.0, 3) == 900.0  # an interval above the cap is kept


def test_keep_last_good_after_a_failed_poll() -> None:
    good = report()
    failed = dataclasses.replace(
        good, five_hour=None, mcp=None, api=ApiStatus(False, None, "timed out")
    )
    kept = keep_last_good(good, failed)
    assert kept.five_hour == good.five_hour and kept.mcp == good.mcp
    assert kept.api == ApiStatus(False, good.api.fetched_at, "timed out", stale=True)
    assert kept.local == failed.local


def test_keep_last_good_leaves_good_reports_alone() -> None:
    good = report()
    newer = report(percent=40.0)
    assert keep_last_good(good, newer) is newer
    assert keep_last_good(None, newer) is newer


def test_thresholds_once_per_window() -> None:
    seen: set[tuple[str, float]] = set()
    hit, seen = crossed(report(percent=50.0), (80.0, 95.0), seen)
    assert hit is None and not seen
    hit, seen = crossed(report(percent=81.0), (80.0, 95.0), seen)
    assert hit == 80.0
    hit, seen = crossed(report(percent=90.0), (80.0, 95.0), seen)
    assert hit is None
    hit, seen = crossed(report(percent=99.0), (80.0, 95.0), seen)
    assert hit == 95.0
    later = report(percent=85.0)
    five = later.five_hour
    assert five is not None and five.reset_at is not None
    next_window = dataclasses.replace(
        later,
        five_hour=dataclasses.replace(
            five, window_start=five.reset_at, reset_at=five.reset_at + timedelta(hours=5)
        ),
    )
    assert window_key(next_window) != window_key(later)
    hit, seen = crossed(next_window, (80.0, 95.0), seen)
    assert hit == 80.0


def test_jumping_past_both_thresholds_notifies_the_higher_once() -> None:
    hit, seen = crossed(report(NOW, percent=97.0), (80.0, 95.0), set())
    assert hit == 95.0 and len(seen) == 2
