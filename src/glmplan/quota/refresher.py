"""The statusline's background refresh: one detached `glmplan usage --json --source api` at a time.

The child gets the key only through its environment (or reads the stored credentials itself);
never through argv. A pid file, written under a non-blocking lock, keeps it to one at a time and
at most one spawn per poll interval.
"""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

from filelock import FileLock, Timeout

from glmplan.paths import Paths

log = logging.getLogger(__name__)

PID_NAME = "refresh.pid"
LOCK_NAME = "refresh.lock"
REFRESH_ARGS = ("-m", "glmplan", "usage", "--json", "--source", "api")
_STUCK_FACTOR = 5  # a child older than this many intervals is considered gone


def pid_path(paths: Paths) -> Path:
    return paths.cache_dir / PID_NAME


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform.startswith("win"):
        return True  # os.kill(pid, 0) would terminate it there; the age bound decides instead
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _recent(path: Path, interval: float, now: float) -> bool:
    """A refresh was started less than an interval ago, or is still running (and not stuck)."""
    try:
        age = now - path.stat().st_mtime
        pid = int(path.read_text(encoding="ascii").strip() or "0")
    except (OSError, ValueError):
        return False
    if age < interval:
        return True
    return age < interval * _STUCK_FACTOR and _alive(pid)


def spawn_refresh(paths: Paths, environ: Mapping[str, str], interval: float) -> int | None:
    """Start a detached refresh unless one is recent or running; its pid, else None."""
    directory = paths.cache_dir
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        with FileLock(str(directory / LOCK_NAME), timeout=0):
            if _recent(pid_path(paths), interval, time.time()):
                return None
            pid = _start(dict(environ))
            _write_pid(pid_path(paths), pid)
            return pid
    except Timeout:
        return None
    except OSError as exc:
        log.info("could not start a background quota refresh: %s", exc)
        return None


def _start(env: dict[str, str]) -> int:
    windows = sys.platform.startswith("win")
    flags = 0
    if windows:
        flags = getattr(subprocess, "DETACHED_PROCESS", 0) | getattr(
            subprocess, "CREATE_NEW_PROCESS_GROUP", 0
        )
    proc = subprocess.Popen(
        [sys.executable, *REFRESH_ARGS],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        close_fds=True,
        env=env,
        start_new_session=not windows,
        creationflags=flags,
    )
    return proc.pid


def _write_pid(path: Path, pid: int) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(str(pid), encoding="ascii")
        tmp.replace(path)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
