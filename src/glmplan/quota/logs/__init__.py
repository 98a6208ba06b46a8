"""The local half of the quota engine: every tool's logs, read incrementally, as `UsageEvent`s.

`collect(paths)` loads the index (`index.py`), asks each reader module for its sources and what is
new in each, saves the index if anything changed, and returns the events of the last 8 days.
Readers (one module per log format, see each docstring for its prompt rule and evidence):
`claude_code` (JSONL transcripts), `opencode` (opencode.db and current Kilo's kilo.db),
`cline` (SDK sessions and legacy VS Code tasks), `roo` (Roo Code and legacy Kilo tasks),
`crush` (per-project crush.db via projects.json), `goose` (sessions.db).
Logs are only ever read; a source that cannot be read is skipped and counted, never fatal.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from glmplan.paths import Paths
from glmplan.quota.logs import claude_code, cline, crush, goose, opencode, roo
from glmplan.quota.logs._common import RETENTION
from glmplan.quota.logs.index import Refresh, SourceState, index_path, load_index, save_index
from glmplan.quota.model import EventKind, UsageEvent

log = logging.getLogger(__name__)

__all__ = ["LogScan", "collect", "watch_paths"]


class Reader(Protocol):
    __name__: str

    def discover(self, paths: Paths) -> list[str]: ...

    def refresh(self, path: str, prev: SourceState | None, cutoff: float) -> Refresh: ...

    def watch_dirs(self, paths: Paths) -> list[Path]: ...


READERS: tuple[Reader, ...] = (claude_code, opencode, cline, roo, crush, goose)


@dataclass(frozen=True)
class LogScan:
    """Events of the last 8 days (oldest first), and what reading them cost."""

    events: tuple[UsageEvent, ...]
    skipped: int  # malformed lines/rows/files and unreadable sources
    bytes_read: int  # log bytes read by this call (0 when nothing changed)


def collect(paths: Paths, now: datetime | None = None) -> LogScan:
    """Read what is new in every tool's logs and return the last 8 days of events."""
    now = now or datetime.now(UTC)
    cutoff = now.timestamp() - RETENTION.total_seconds()
    ipath = index_path(paths.cache_dir)
    old = load_index(ipath)
    new: dict[str, SourceState] = {}
    skipped = bytes_read = 0
    for reader in READERS:
        try:
            found = reader.discover(paths)
        except OSError as exc:  # e.g. a directory we may not list
            log.warning("cannot list the logs of %s: %s", reader.__name__, exc)
            skipped += 1
            continue
        for key in found:
            if key in new:
                continue
            try:
                result = reader.refresh(key, old.get(key), cutoff)
            except OSError as exc:
                log.warning("cannot read %s: %s", key, exc)
                result = Refresh(old.get(key), skipped=1)
            skipped += result.skipped
            bytes_read += result.bytes_read
            if result.state is not None:
                new[key] = _pruned(result.state, cutoff)
    if new != old:
        save_index(ipath, new)
    return LogScan(_events(new, cutoff), skipped, bytes_read)


def watch_paths(paths: Paths) -> list[Path]:
    """Directories whose changes mean new log data, whether they exist yet or not: the dashboard's
    watcher watches the nearest existing parent of a missing one until it appears, so a tool
    installed while the dashboard runs shows up live."""
    found: list[Path] = []
    for reader in READERS:
        for directory in reader.watch_dirs(paths):
            if directory not in found:
                found.append(directory)
    return found


def _pruned(state: SourceState, cutoff: float) -> SourceState:
    if all(hit.ts >= cutoff for hit in state.hits):
        return state
    return replace(state, hits=tuple(hit for hit in state.hits if hit.ts >= cutoff))


_KINDS = {kind.value: kind for kind in EventKind}


def _events(states: dict[str, SourceState], cutoff: float) -> tuple[UsageEvent, ...]:
    seen: set[tuple[str, str]] = set()
    rows: list[tuple[float, str, str, str | None]] = []
    for state in states.values():
        tool = state.tool
        for hit in state.hits:
            ident = (tool, hit.key)
            if hit.ts >= cutoff and ident not in seen:
                seen.add(ident)
                rows.append((hit.ts, tool, hit.kind, hit.mcp))
    rows.sort()
    if len(_MADE) > 200_000:
        _MADE.clear()
    return tuple([_MADE.get(row) or _make(row) for row in rows])


# A long-lived process (the dashboard) turns the same hits into events on every refresh: keep them.
_MADE: dict[tuple[float, str, str, str | None], UsageEvent] = {}


def _make(row: tuple[float, str, str, str | None]) -> UsageEvent:
    ts, tool, kind, mcp = row
    event = _MADE[row] = UsageEvent(datetime.fromtimestamp(ts, UTC), tool, _KINDS[kind], mcp)
    return event
