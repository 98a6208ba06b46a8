"""The one atomic-write helper (RELIABILITY.md, "Atomic write recipe") and its orphan sweep.

Every byte glmplan writes to a user's file, its journal or its backups goes through `atomic_write`:
temp file beside the target (O_EXCL, final mode set before any byte is written) → fsync →
compare-and-swap against the hash read at plan time → `os.replace` → fsync of the directory.
Any failure removes the temp file, so the target keeps its old bytes and mode.

Temp files are named `.<name>.<pid>-<random>.glmplan.tmp`. `sweep_temp_files` removes only files
matching that exact pattern whose writer pid is no longer alive, or that are older than
`STALE_AFTER_SECONDS` (in case the pid was reused). Callers sweep under glmplan's lock, so no
live glmplan writer can lose its temp file.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import re
import secrets
import stat
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from glmplan.errors import ConflictError, GlmplanError, UnsafeFileError

log = logging.getLogger(__name__)

TEMP_SUFFIX = ".glmplan.tmp"
STALE_AFTER_SECONDS = 600
_TEMP_RE = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)-(?P<token>[0-9a-f]{12})\.glmplan\.tmp$")
_WINDOWS_REPLACE_RETRY_SECONDS = 1.0


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Target:
    """A file as read at plan time: where it really lives, and what it held."""

    path: Path  # as given (may be a symlink)
    resolved: Path  # the real file we read and write
    data: bytes | None = field(repr=False)  # None when the file does not exist yet
    mode: int | None  # permission bits, None when missing

    @property
    def exists(self) -> bool:
        return self.data is not None

    @property
    def sha256(self) -> str | None:
        return None if self.data is None else sha256_bytes(self.data)


def resolve_target(path: Path) -> Path:
    """The real file behind `path`; refuses dangling links and unsafe files."""
    if path.is_symlink():
        resolved = Path(os.path.realpath(path))
        if not resolved.exists():
            raise UnsafeFileError(
                f"{path} is a symbolic link to {resolved}, which does not exist; "
                "glmplan will not write through a dangling link. Fix or remove the link."
            )
    else:
        resolved = Path(os.path.realpath(path.parent)) / path.name
    check_writable(resolved)
    return resolved


def check_writable(resolved: Path) -> None:
    """Refuse anything but a regular, single-linked file the user may write (missing is fine)."""
    try:
        st = resolved.lstat()
    except FileNotFoundError:
        return
    if not stat.S_ISREG(st.st_mode):
        raise UnsafeFileError(f"{resolved} is not a regular file; glmplan will not replace it.")
    if st.st_nlink > 1:
        raise UnsafeFileError(
            f"{resolved} has {st.st_nlink} hard links; replacing it would split them apart. "
            "Make it a single file (or a symbolic link) and run again."
        )
    # os.replace would silently defeat a read-only bit, and root passes os.access: check both.
    if not os.access(resolved, os.W_OK) or not st.st_mode & stat.S_IWUSR:
        raise UnsafeFileError(
            f"{resolved} is read-only (mode {stat.S_IMODE(st.st_mode):04o}) and glmplan "
            "respects that. Make it writable (chmod u+w) to let glmplan change it."
        )


def read_target(path: Path) -> Target:
    """Resolve and read `path` (bytes untouched); UnsafeFileError for files we won't write."""
    resolved = resolve_target(path)
    try:
        with resolved.open("rb") as fh:
            data = fh.read()
            mode = stat.S_IMODE(os.fstat(fh.fileno()).st_mode)
    except FileNotFoundError:
        return Target(path=path, resolved=resolved, data=None, mode=None)
    except OSError as exc:
        raise UnsafeFileError(f"{resolved} cannot be read: {exc.strerror or exc}") from exc
    return Target(path=path, resolved=resolved, data=data, mode=mode)


def current_umask() -> int:
    """The process umask; read from /proc where possible (setting it to read it races threads)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    old = os.umask(0o022)
    os.umask(old)
    return old


def final_mode(old_mode: int | None, *, holds_secret: bool) -> int:
    """The old mode (owner-only when holding the key); new files 0600 for the key, else by umask."""
    if old_mode is None:
        return 0o600 if holds_secret else 0o666 & ~current_umask()
    return old_mode & ~0o077 if holds_secret else old_mode


def atomic_write(
    resolved: Path,
    data: bytes,
    *,
    expected_sha256: str | None,
    holds_secret: bool = False,
    mode: int | None = None,
    check_expected: bool = True,
) -> None:
    """Replace the file at `resolved` (a symlink is written through) by `data`, atomically.

    `expected_sha256` is the hash read at plan time (None: the file must not exist yet); a
    mismatch raises ConflictError and keeps the other program's bytes. `mode` forces the final
    mode (restore); otherwise it follows `final_mode`.
    """
    resolved = resolve_target(resolved)  # callers may pass a link: write through it
    old = _stat_or_none(resolved)
    if mode is None:
        old_mode = None if old is None else stat.S_IMODE(old.st_mode)
        mode = final_mode(old_mode, holds_secret=holds_secret)
    tmp = resolved.parent / f".{resolved.name}.{os.getpid()}-{secrets.token_hex(6)}{TEMP_SUFFIX}"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise GlmplanError(
            f"Cannot create a temporary file in {resolved.parent}: {reason}"
        ) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            _set_mode_and_owner(fh.fileno(), mode, old)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if check_expected:
            _compare_and_swap(resolved, expected_sha256)
        _replace(tmp, resolved)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(resolved.parent)


def _stat_or_none(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except FileNotFoundError:
        return None


def _set_mode_and_owner(fd: int, mode: int, old: os.stat_result | None) -> None:
    if sys.platform.startswith("win"):
        return
    os.fchmod(fd, mode)
    if old is not None and (old.st_uid, old.st_gid) != (os.geteuid(), os.getegid()):
        with contextlib.suppress(PermissionError):  # only root may give a file away
            os.fchown(fd, old.st_uid, old.st_gid)
            os.fchmod(fd, mode)  # chown clears setuid/setgid bits


def _compare_and_swap(resolved: Path, expected_sha256: str | None) -> None:
    try:
        current: str | None = sha256_bytes(resolved.read_bytes())
    except FileNotFoundError:
        current = None
    if current != expected_sha256:
        what = (
            "created" if expected_sha256 is None else ("deleted" if current is None else "changed")
        )
        raise ConflictError(
            f"{resolved} was {what} by another program after glmplan read it; "
            "their version is kept and nothing was written. Run the command again."
        )


def _replace(tmp: Path, resolved: Path) -> None:
    if not sys.platform.startswith("win"):
        tmp.replace(resolved)
        return
    deadline = time.monotonic() + _WINDOWS_REPLACE_RETRY_SECONDS
    while True:  # a virus scanner or an editor may hold the file open for a moment
        try:
            tmp.replace(resolved)
            return
        except PermissionError:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.05)


def fsync_dir(directory: Path) -> None:
    """Make a rename or unlink in `directory` durable (a no-op on Windows)."""
    if sys.platform.startswith("win"):
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as exc:  # some file systems refuse fsync on directories
        if exc.errno not in (errno.EINVAL, errno.EBADF):
            raise
    finally:
        os.close(fd)


def is_our_temp_file(name: str) -> bool:
    return _TEMP_RE.match(name) is not None


def sweep_temp_files(directory: Path, *, now: float | None = None) -> list[Path]:
    """Remove our own stale temp files in `directory`; returns what was removed."""
    removed: list[Path] = []
    now = time.time() if now is None else now
    try:
        names = [p.name for p in directory.iterdir()]
    except OSError:
        return removed
    for name in names:
        match = _TEMP_RE.match(name)
        if match is None:
            continue
        path = directory / name
        try:
            st = path.lstat()
        except OSError:
            continue
        stale = now - st.st_mtime > STALE_AFTER_SECONDS or not _pid_alive(int(match["pid"]))
        if stat.S_ISREG(st.st_mode) and stale:
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
                log.info("removed stale temporary file %s", path)
    return removed


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform.startswith("win"):
        return True  # no cheap check: rely on the age rule
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
