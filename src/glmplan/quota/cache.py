"""The last good API snapshot, as JSON in glmplan's own cache dir (0600, atomic replace).

A missing, unreadable or corrupt cache is treated as absent: it is only an optimisation.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import TypedDict

from glmplan.paths import Paths
from glmplan.quota.model import ApiSnapshot, McpUsage, Source, Unit, Window

log = logging.getLogger(__name__)

CACHE_NAME = "quota-snapshot.json"
FAILURE_NAME = "quota-failure.json"
VERSION = 1


class _WindowJson(TypedDict):
    used: float | None
    limit: float | None
    unit: str
    percent: float | None
    window_start: str | None
    reset_at: str | None


class _McpJson(TypedDict):
    used: int | None
    limit: int | None
    reset_at: str | None
    by_tool: dict[str, int]


class _SnapshotJson(TypedDict):
    version: int
    fetched_at: str
    level: str | None
    five_hour: _WindowJson | None
    weekly: _WindowJson | None
    mcp: _McpJson | None


def cache_path(paths: Paths) -> Path:
    return paths.cache_dir / CACHE_NAME


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _window_json(window: Window | None) -> _WindowJson | None:
    if window is None:
        return None
    return _WindowJson(
        used=window.used,
        limit=window.limit,
        unit=window.unit.value,
        percent=window.percent,
        window_start=_iso(window.window_start),
        reset_at=_iso(window.reset_at),
    )


def to_json(snapshot: ApiSnapshot) -> _SnapshotJson:
    mcp = snapshot.mcp
    return _SnapshotJson(
        version=VERSION,
        fetched_at=snapshot.fetched_at.isoformat(),
        level=snapshot.level,
        five_hour=_window_json(snapshot.five_hour),
        weekly=_window_json(snapshot.weekly),
        mcp=None
        if mcp is None
        else _McpJson(
            used=mcp.used, limit=mcp.limit, reset_at=_iso(mcp.reset_at), by_tool=dict(mcp.by_tool)
        ),
    )


def save(paths: Paths, snapshot: ApiSnapshot) -> None:
    """Write atomically; failures are logged, never raised (the cache is an optimisation)."""
    _write(cache_path(paths), to_json(snapshot))


def save_failure(paths: Paths, kind: str, at: datetime) -> None:
    """The kind of the last failed refresh (never its message), for the status line."""
    _write(paths.cache_dir / FAILURE_NAME, {"kind": kind, "at": at.isoformat()})


def clear_failure(paths: Paths) -> None:
    with contextlib.suppress(OSError):
        (paths.cache_dir / FAILURE_NAME).unlink()


def load_failure(paths: Paths) -> str | None:
    """The kind of the last failed refresh, if the last refresh failed."""
    try:
        raw = json.loads((paths.cache_dir / FAILURE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    kind = raw.get("kind") if isinstance(raw, dict) else None
    return kind if isinstance(kind, str) else None


def _write(target: Path, doc: object) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        log.warning("could not write the quota cache %s: %s", target, exc)
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:  # mkstemp creates it 0600
            json.dump(doc, fh)
            fh.flush()
            os.fsync(fh.fileno())
        Path(tmp).replace(target)
    except OSError as exc:
        log.warning("could not write the quota cache %s: %s", target, exc)
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
    _sweep(target)


_STALE_TMP = 600.0  # seconds: our temp files older than this were left by a killed writer


def _sweep(target: Path) -> None:
    """Remove our own temp files for `target` left by a writer that was killed mid-write."""
    cutoff = time.time() - _STALE_TMP
    with contextlib.suppress(OSError):
        for leftover in target.parent.glob(f".{target.name}.*.tmp"):
            with contextlib.suppress(OSError):
                if leftover.stat().st_mtime < cutoff:
                    leftover.unlink()


def load(paths: Paths) -> ApiSnapshot | None:
    target = cache_path(paths)
    try:
        raw = json.loads(target.read_text(encoding="utf-8"))
        return from_json(raw)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        log.info("ignoring an unreadable quota cache %s: %s", target, exc)
        return None


def _time(value: object) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError("timestamp")
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("naive timestamp")
    return moment


def _opt_num(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError("number")
    return float(value)


def _opt_int(value: object) -> int | None:
    number = _opt_num(value)
    return None if number is None else int(number)


def _window(raw: object) -> Window | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise TypeError("window")
    return Window(
        used=_opt_num(raw["used"]),
        limit=_opt_num(raw["limit"]),
        unit=Unit(raw["unit"]),
        percent=_opt_num(raw["percent"]),
        window_start=_time(raw["window_start"]),
        reset_at=_time(raw["reset_at"]),
        source=Source.API,
    )


def _mcp(raw: object) -> McpUsage | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or not isinstance(raw["by_tool"], dict):
        raise TypeError("mcp")
    by_tool = {str(k): int(v) for k, v in raw["by_tool"].items() if _opt_int(v) is not None}
    return McpUsage(
        _opt_int(raw["used"]), _opt_int(raw["limit"]), _time(raw["reset_at"]), by_tool, Source.API
    )


def from_json(raw: object) -> ApiSnapshot:
    if not isinstance(raw, dict) or raw.get("version") != VERSION:
        raise ValueError("not a quota cache of this version")
    fetched = _time(raw["fetched_at"])
    level = raw["level"]
    if fetched is None or not (level is None or isinstance(level, str)):
        raise ValueError("fetched_at/level")
    return ApiSnapshot(
        fetched, level, _window(raw["five_hour"]), _window(raw["weekly"]), _mcp(raw["mcp"])
    )
