"""A watchdog observer on the tools' log directories that posts one coalesced change notice.

Directories that do not exist yet are not watched recursively from their parent (that could be the
whole home directory): the nearest existing parent is watched flat until they appear.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

logger = logging.getLogger(__name__)

# Reading a log opens it; reacting to opens (or closes without a write) would loop forever.
WRITE_EVENTS = frozenset({"created", "modified", "moved", "deleted", "closed"})
DEBOUNCE_SECONDS = 0.25


def watch_target(path: Path) -> tuple[Path, bool] | None:
    """(directory to watch, recursive?) for a wanted path, or None when nothing exists above it."""
    if path.is_dir():
        return path, True
    if path.exists():
        return path.parent, False
    for parent in path.parents:
        if parent.is_dir():
            return parent, False
    return None


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: LogWatcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in WRITE_EVENTS:
            self.watcher.kick()


class LogWatcher:
    """Calls `on_change` (from a timer thread) at most once per `debounce` seconds of activity.

    The first event arms a timer; later events within the delay ride along, so a log written to
    continuously still produces a notice every `debounce` seconds instead of never.
    """

    def __init__(
        self,
        paths: Iterable[Path],
        on_change: Callable[[], None],
        debounce: float = DEBOUNCE_SECONDS,
    ) -> None:
        self.wanted = sorted(set(paths))
        self.on_change = on_change
        self.debounce = debounce
        self._observer: object | None = None
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()
        self._scheduled: set[tuple[Path, bool]] = set()
        self._handler = _Handler(self)

    @property
    def watching(self) -> bool:
        return bool(self._scheduled)

    def start(self) -> None:
        observer = Observer()
        observer.daemon = True
        self._observer = observer
        self._schedule_all()
        observer.start()

    def stop(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        observer = self._observer
        if observer is not None:
            observer.stop()  # type: ignore[attr-defined]
            observer.join(timeout=2)  # type: ignore[attr-defined]
        self._observer = None

    def kick(self) -> None:
        with self._lock:
            if self._timer is not None:
                return
            self._timer = threading.Timer(self.debounce, self._fire)
            self._timer.daemon = True
            self._timer.start()

    def _fire(self) -> None:
        with self._lock:
            self._timer = None
        if self._schedule_all():  # a missing directory appeared: its content is news too
            logger.debug("now watching new log directories")
        self.on_change()

    def _schedule_all(self) -> bool:
        """Schedule every wanted path not yet watched at its best target; True if any is new."""
        observer = self._observer
        if observer is None:
            return False
        added = False
        for path in self.wanted:
            target = watch_target(path)
            if target is None or target in self._scheduled:
                continue
            try:
                observer.schedule(self._handler, str(target[0]), recursive=target[1])  # type: ignore[attr-defined]
            except OSError as exc:  # e.g. inotify watch limit reached
                logger.warning("cannot watch %s: %s", target[0], exc)
                continue
            self._scheduled.add(target)
            added = True
        return added
