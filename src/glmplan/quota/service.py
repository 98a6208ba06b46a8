"""`ZaiQuotaService`: the quota API first, local logs for the per-tool split and as the fallback.

It keeps the last good snapshot (in memory and in the cache) so that a failed refresh never
loses figures: they are shown as stale, with their age.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from glmplan.paths import Paths
from glmplan.plan import Endpoints
from glmplan.quota import cache
from glmplan.quota.api import QuotaApiError, QuotaClient, Timeouts
from glmplan.quota.compose import compose
from glmplan.quota.model import ApiSnapshot, ApiStatus, UsageEvent, UsageReport

log = logging.getLogger(__name__)


class EventScan(Protocol):
    """What `glmplan.quota.logs.collect` returns: the events and how many records were skipped."""

    @property
    def events(self) -> Sequence[UsageEvent]: ...

    @property
    def skipped(self) -> int: ...


EventsProvider = Callable[[], Sequence[UsageEvent] | EventScan]
NO_KEY = "No API key: set ZAI_API_KEY or run `glmplan setup` (showing local figures)."


class Mode(enum.StrEnum):
    AUTO = "auto"  # API figures, local logs for the split and as the fallback
    API = "api"  # API figures only
    LOCAL = "local"  # local logs only, no network and no cache


def _utcnow() -> datetime:
    return datetime.now(UTC)


class ZaiQuotaService:
    def __init__(
        self,
        paths: Paths,
        *,
        plan: str | None,
        api_key: str | None,
        endpoints: Endpoints | None,
        events_provider: EventsProvider | None = None,
        clock: Callable[[], datetime] = _utcnow,
        mode: Mode = Mode.AUTO,
        timeouts: Timeouts | None = None,
        watch: Callable[[], list[Path]] | None = None,
    ) -> None:
        self._paths = paths
        self._plan = plan
        self._key = api_key
        self._client = QuotaClient(endpoints.base, timeouts) if endpoints else None
        self._events_provider = events_provider
        self._clock = clock
        self._mode = mode
        self._watch = watch
        self._events: tuple[UsageEvent, ...] = ()
        self._skipped_events = 0
        self._fresh: ApiSnapshot | None = None
        self._cached: ApiSnapshot | None = None
        self._cache_loaded = False
        self._skipped_rows = 0
        self._status = ApiStatus(ok=False, fetched_at=None, error=None)

    # -- QuotaService -------------------------------------------------------------------------
    def refresh_local(self) -> None:
        if self._mode is Mode.API or self._events_provider is None:
            return
        got = self._events_provider()
        if isinstance(got, Sequence):
            self._events, self._skipped_events = tuple(got), 0
        else:
            self._events, self._skipped_events = tuple(got.events), got.skipped

    def refresh_api(self) -> ApiStatus:
        if self._mode is Mode.LOCAL:
            self._status = ApiStatus(False, None, "not queried (--source local)")
            return self._status
        if not self._key or self._client is None:
            return self._failed(NO_KEY if not self._key else "No quota endpoint configured.")
        try:
            result = self._client.fetch(self._key, now=self._clock())
        except QuotaApiError as exc:
            log.info("quota refresh failed: %s", exc)
            cache.save_failure(self._paths, exc.kind.value, self._clock())
            return self._failed(str(exc))
        self._fresh = result.snapshot
        self._skipped_rows = result.skipped
        cache.save(self._paths, result.snapshot)
        cache.clear_failure(self._paths)
        self._status = ApiStatus(True, result.snapshot.fetched_at, None)
        return self._status

    def report(self, now: datetime) -> UsageReport:
        snapshot = self.last_good()
        status = self._status
        if self._fresh is None and snapshot is not None and status.error is None:
            status = ApiStatus(False, snapshot.fetched_at, "not refreshed (cached figures)", True)
        return compose(
            plan=self._plan,
            snapshot=snapshot,
            status=status,
            events=self._events if self._mode is not Mode.API else (),
            now=now,
            local_fallback=self._mode is not Mode.API,
            skipped_rows=self._skipped_rows,
            skipped_events=self._skipped_events,
        )

    def watch_paths(self) -> list[Path]:
        return self._watch() if self._watch else []

    # -- helpers ------------------------------------------------------------------------------
    def last_good(self) -> ApiSnapshot | None:
        """This process's last good answer, else the cached one (never in `local` mode)."""
        if self._mode is Mode.LOCAL:
            return None
        if self._fresh is not None:
            return self._fresh
        if not self._cache_loaded:
            self._cached = cache.load(self._paths)
            self._cache_loaded = True
        return self._cached

    @property
    def status(self) -> ApiStatus:
        return self._status

    def _failed(self, error: str) -> ApiStatus:
        last = self.last_good()
        stale = last is not None
        self._status = ApiStatus(False, last.fetched_at if last else None, error, stale)
        return self._status
