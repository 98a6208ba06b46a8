"""Everything the dashboard is configured with, besides its services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from glmplan.tui.services import Account

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Options:
    clock: Clock = utc_now
    interval: float = 60.0  # seconds between API polls while the API answers
    watch_paths: tuple[Path, ...] | None = None  # None: ask the quota service
    account: Account = field(default_factory=Account)
    thresholds: tuple[float, float] = (80.0, 95.0)  # percent: warning, critical
    tz: tzinfo | None = None  # None: the system's local time zone
    local_poll: float | None = None  # also re-read local data every N seconds (demo)
