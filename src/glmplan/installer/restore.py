"""`glmplan restore`: put every file glmplan touched back (see `revert.py` for the rules).

Under the lock: settle any interrupted run, then per file plan a step, carry it out with the
atomic writer (compare-and-swap against the bytes just read), verify the result by hash, and
update the journal. After a successful restore a file's journal entry and backups are removed;
on a conflict they stay. A dry run reads only: no lock, no state dir, nothing written.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from glmplan.errors import ConflictError, GlmplanError
from glmplan.installer import store
from glmplan.installer.atomic import (
    atomic_write,
    check_writable,
    fsync_dir,
    read_target,
    sweep_temp_files,
)
from glmplan.installer.journal import FileEntry, Journal, load
from glmplan.installer.recovery import current_sha256, recover, remove_empty_dirs
from glmplan.installer.revert import (
    CONFLICT_SUFFIX,
    RestoreAction,
    RestoreFile,
    RestoreStep,
    plan_entry,
)
from glmplan.paths import Paths

__all__ = ["RestoreAction", "RestoreFile", "RestoreResult", "restore"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RestoreResult:
    files: tuple[RestoreFile, ...]
    recovered: tuple[str, ...] = ()
    dry_run: bool = False

    @property
    def exit_code(self) -> int:
        return 1 if any(f.action == "conflict" for f in self.files) else 0

    @property
    def changed(self) -> bool:
        return any(f.action not in ("unchanged", "conflict", "missing") for f in self.files)


def restore(
    paths: Paths, tools: Sequence[str] | None, *, force: bool, dry_run: bool
) -> RestoreResult:
    """Restore the files of `tools` (None: every file in the journal)."""
    selected = None if tools is None else frozenset(tools)
    if not paths.journal_file.exists():
        return RestoreResult((), dry_run=dry_run)
    if dry_run:
        entries = _select(load(paths), selected)
        return RestoreResult(
            tuple(plan_entry(paths, e, selected, force=force).result for e in entries),
            dry_run=True,
        )
    with store.locked(paths):
        recovered = tuple(recover(paths))
        journal = load(paths)
        for directory in {Path(e.resolved).parent for e in journal.entries}:
            sweep_temp_files(directory)
        results: list[RestoreFile] = []
        for selected_entry in _select(journal, selected):
            entry = journal.get(selected_entry.resolved) or selected_entry  # may have changed
            journal, result = _restore_one(paths, journal, entry, selected, force=force)
            results.append(result)
    return RestoreResult(tuple(results), recovered)


def _select(journal: Journal, tools: frozenset[str] | None) -> list[FileEntry]:
    return [e for e in journal.entries if tools is None or set(e.tools) & tools]


def _restore_one(
    paths: Paths, journal: Journal, entry: FileEntry, tools: frozenset[str] | None, *, force: bool
) -> tuple[Journal, RestoreFile]:
    try:
        step = plan_entry(paths, entry, tools, force=force)
        _execute(step)
    except GlmplanError as exc:
        log.error("restore of %s failed: %s", entry.path, exc)
        return journal, RestoreFile(entry.tool, entry.path, "conflict", (str(exc),))
    journal = journal.drop(entry.resolved) if step.keep is None else journal.put(step.keep)
    journal = _hand_over_dirs(journal, entry)
    store.save_journal(paths, journal)
    if step.keep is None:
        backups = list(entry.backups)
        if step.preserve_original and entry.backup is not None:
            store.keep_aside(paths, entry.backup)
            backups.remove(entry.backup)
        store.remove_backups(paths, backups)
    return journal, step.result


def _hand_over_dirs(journal: Journal, entry: FileEntry) -> Journal:
    """Directories this entry created that another glmplan file still fills go to that file's
    entry, so restoring it later removes them (a later run found them existing)."""
    for directory in (d for d in entry.created_dirs if Path(d).is_dir()):
        for other in journal.entries:
            inside = Path(other.resolved).is_relative_to(directory)
            if other.resolved != entry.resolved and inside and directory not in other.created_dirs:
                dirs = sorted({*other.created_dirs, directory}, key=lambda d: len(Path(d).parts))
                journal = journal.put(other.replace(created_dirs=tuple(dirs)))
    return journal


def _execute(step: RestoreStep) -> None:
    resolved = Path(step.entry.resolved)
    if step.conflict_copy is not None:
        _keep_beside(resolved, step.conflict_copy, holds_secret=step.entry.holds_secret)
    if step.delete:
        _delete(resolved, step.current_sha256)
        remove_empty_dirs(step.entry.created_dirs)
    elif step.new_data is not None:
        check_writable(resolved)
        atomic_write(
            resolved,
            step.new_data,
            expected_sha256=step.current_sha256,
            mode=step.mode,
        )
        if current_sha256(resolved) != step.verify_sha256:
            raise GlmplanError(f"{resolved} does not read back what restore wrote.")
    elif step.result.action == "missing":
        remove_empty_dirs(step.entry.created_dirs)


def _delete(resolved: Path, expected_sha256: str | None) -> None:
    check_writable(resolved)
    if current_sha256(resolved) != expected_sha256:
        raise ConflictError(f"{resolved} changed while restoring; it was left as it is.")
    resolved.unlink()
    fsync_dir(resolved.parent)


def _keep_beside(resolved: Path, data: bytes, *, holds_secret: bool) -> Path:
    """Write `data` as `<name>.glmplan-conflict` (or `.glmplan-conflict.N`), never overwriting."""
    base = resolved.with_name(resolved.name + CONFLICT_SUFFIX)
    candidate, n = base, 1
    while candidate.exists() or candidate.is_symlink():
        candidate = base.with_name(f"{base.name}.{n}")
        n += 1
    target = read_target(candidate)
    atomic_write(target.resolved, data, expected_sha256=None, holds_secret=holds_secret)
    return candidate
