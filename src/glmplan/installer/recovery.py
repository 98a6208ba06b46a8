"""Crash recovery (RELIABILITY 16): finish or undo a run that was killed mid-way.

Every write is preceded by a journal entry in state "pending" that records the file's hash
before (`pre_sha256`) and the hash glmplan meant to write (`written_sha256`). At the start of the
next run or restore, under the lock, each pending entry is settled by looking at the file:

- it still hashes to `pre_sha256` (killed after the backup/journal, before the write): the step
  never happened, so the entry goes back to what it was before (`previous`, or dropped), and the
  backup and empty directories made for that step are removed;
- it hashes to `written_sha256` (killed after the write, before "done"): the write completed, so
  the entry is marked done;
- anything else (someone wrote the file meanwhile): the entry is marked done but not "clean", so
  restore will only revert keys that still hold glmplan's values, and this is reported.

A run killed after its backup but before its journal entry leaves a backup no entry names; it is
removed here too. `apply_run` settles pending entries even when it has nothing to write.
"""

from __future__ import annotations

import contextlib
import logging
import re
from pathlib import Path

from glmplan.installer import store
from glmplan.installer.atomic import sha256_bytes, sweep_temp_files
from glmplan.installer.journal import FileEntry, Journal, load
from glmplan.paths import Paths

log = logging.getLogger(__name__)


def current_sha256(path: str | Path) -> str | None:
    try:
        return sha256_bytes(Path(path).read_bytes())
    except FileNotFoundError:
        return None


def current_mode(path: str | Path, default: int) -> int:
    try:
        return Path(path).stat().st_mode & 0o7777
    except OSError:
        return default


def recover(paths: Paths) -> list[str]:
    """Settle every pending entry (caller holds the lock); a note per entry settled."""
    journal = load(paths)
    notes: list[str] = []
    for entry in journal.entries:
        if entry.state != "pending":
            continue
        sweep_temp_files(Path(entry.resolved).parent)  # the killed run's temp file, if any
        journal, note = _settle(paths, journal, entry)
        notes.append(note)
        log.warning("%s", note)
    if notes:
        store.save_journal(paths, journal)
    sweep_unreferenced_backups(paths, journal)
    return notes


_BACKUP_NAME = re.compile(r"^\d{8}T\d{12}Z-[0-9a-f]{8}-.+$")


def referenced_backups(journal: Journal) -> set[str]:
    names: set[str] = set()
    for entry in journal.entries:
        e: FileEntry | None = entry
        while e is not None:
            names.update(b for b in (e.backup, *e.backups) if b)
            names.update(c.before_backup for c in e.changes if c.before_backup)
            e = e.previous
    return names


def sweep_unreferenced_backups(paths: Paths, journal: Journal) -> list[str]:
    """Remove backups no journal entry names: made by a run killed before its journal entry
    was saved (the write-ahead order is backup, then journal). Callers hold the lock, so no
    live run is between those two steps."""
    try:
        files = list(paths.backup_dir.iterdir())
    except FileNotFoundError:
        return []
    named = referenced_backups(journal)
    removed: list[str] = []
    for path in files:
        if path.name in named or not _BACKUP_NAME.match(path.name) or not path.is_file():
            continue
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed.append(path.name)
            log.info("removed backup %s left by an interrupted run", path)
    return removed


def _settle(paths: Paths, journal: Journal, entry: FileEntry) -> tuple[Journal, str]:
    current = current_sha256(entry.resolved)
    if current == entry.written_sha256:
        done = entry.replace(
            state="done",
            previous=None,
            written_mode=current_mode(entry.resolved, entry.written_mode),
        )
        return journal.put(done), f"{entry.path}: an interrupted run had written it; recorded."
    if current == entry.pre_sha256:
        undo_step(paths, entry)
        restored = journal.drop(entry.resolved)
        if entry.previous is not None:
            restored = restored.put(entry.previous)
        return restored, f"{entry.path}: an interrupted run never wrote it; its step was undone."
    done = entry.replace(state="done", previous=None, clean=False)
    return journal.put(done), (
        f"{entry.path}: changed by another program while a glmplan run was interrupted; "
        "left as it is (restore will revert only glmplan's own keys)."
    )


def undo_step(paths: Paths, entry: FileEntry) -> None:
    """Remove the backup and empty directories that the pending step of `entry` created."""
    previous = entry.previous
    kept_backups = set(previous.backups) if previous else set()
    store.remove_backups(paths, [b for b in entry.backups if b not in kept_backups])
    kept_dirs = set(previous.created_dirs) if previous else set()
    remove_empty_dirs([d for d in entry.created_dirs if d not in kept_dirs])


def remove_empty_dirs(dirs: list[str] | tuple[str, ...]) -> None:
    """Remove directories glmplan created, deepest first, only while they are empty."""
    for directory in reversed(dirs):
        with contextlib.suppress(OSError):
            Path(directory).rmdir()
