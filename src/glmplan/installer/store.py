"""glmplan's state directory: the lock, the journal file and the backup copies.

The state dir and its backups dir are 0700, every file in them 0600. Nothing here is created by a
dry run: callers create the state dir only when they are about to write.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout

from glmplan.errors import GlmplanError
from glmplan.installer import journal as journal_mod
from glmplan.installer.atomic import atomic_write, fsync_dir, read_target, sweep_temp_files
from glmplan.installer.journal import Journal
from glmplan.paths import Paths

LOCK_TIMEOUT_SECONDS = 60.0


def ensure_state_dirs(paths: Paths) -> None:
    for directory in (paths.state_dir, paths.backup_dir):
        try:
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            directory.chmod(0o700)
        except OSError as exc:
            raise GlmplanError(
                f"Cannot create glmplan's state directory {directory}: {exc.strerror or exc}. "
                "Check HOME / XDG_STATE_HOME (or set GLMPLAN_STATE_DIR)."
            ) from exc


@contextlib.contextmanager
def locked(paths: Paths) -> Iterator[None]:
    """Hold glmplan's lock (one writer at a time across processes; re-entrant in a process)
    and sweep stale temp files."""
    ensure_state_dirs(paths)
    # One instance per path (is_singleton), so a caller may hold the lock around plan + apply.
    lock = FileLock(
        str(paths.lock_file),
        mode=0o600,
        is_singleton=True,
        preserve_lock_file=True,
        poll_interval=0.005,
    )
    try:
        lock.acquire(timeout=LOCK_TIMEOUT_SECONDS)
    except Timeout as exc:
        raise GlmplanError(
            f"Another glmplan is still running (lock {paths.lock_file} held for "
            f"{LOCK_TIMEOUT_SECONDS:.0f} s). Wait for it to finish, then run again."
        ) from exc
    try:
        sweep_temp_files(paths.state_dir)
        sweep_temp_files(paths.backup_dir)
        yield
    finally:
        lock.release()


def save_journal(paths: Paths, journal: Journal) -> None:
    """Write the journal atomically (0600); callers hold the lock, so no compare-and-swap."""
    ensure_state_dirs(paths)
    target = read_target(paths.journal_file)
    atomic_write(
        target.resolved,
        journal_mod.dumps(journal),
        expected_sha256=target.sha256,
        holds_secret=True,
        check_expected=False,
    )


def make_backup(paths: Paths, source: Path, data: bytes) -> str:
    """Copy `data` into a new timestamped backup file (0600, never overwritten); its name."""
    ensure_state_dirs(paths)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    name = f"{stamp}-{secrets.token_hex(4)}-{source.name}"
    path = paths.backup_dir / name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        fsync_dir(paths.backup_dir)
    except BaseException:  # a backup that may not be durable is no backup: never leave it
        with contextlib.suppress(OSError):
            path.unlink()
        raise
    return name


def backup_path(paths: Paths, name: str) -> Path:
    return paths.backup_dir / name


def read_backup(paths: Paths, name: str) -> bytes:
    try:
        return backup_path(paths, name).read_bytes()
    except OSError as exc:
        raise GlmplanError(
            f"The backup {backup_path(paths, name)} cannot be read ({exc.strerror or exc})."
        ) from exc


def remove_backups(paths: Paths, names: tuple[str, ...] | list[str]) -> None:
    for name in names:
        with contextlib.suppress(FileNotFoundError):
            backup_path(paths, name).unlink()


def kept_path(paths: Paths, name: str) -> Path:
    """Where the original of a file the user deleted is kept after restore (never swept)."""
    return paths.state_dir / "kept" / name


def keep_aside(paths: Paths, name: str) -> Path:
    target = kept_path(paths, name)
    target.parent.mkdir(mode=0o700, exist_ok=True)
    backup_path(paths, name).replace(target)
    fsync_dir(target.parent)
    return target
