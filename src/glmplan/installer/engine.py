"""Apply a planned run: back up → journal (pending) → atomic write → verify → journal (done).

Everything happens under glmplan's lock. If any file fails, every file this run already wrote is
put back (bytes and mode), the journal returns to its state before the run, and a GlmplanError
says what failed. `plan_run` (in `planning.py`) is re-exported here: a dry run is just a plan.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from dataclasses import dataclass
from pathlib import Path

from glmplan.errors import ConflictError, GlmplanError
from glmplan.installer import store
from glmplan.installer.atomic import (
    atomic_write,
    check_writable,
    final_mode,
    sha256_bytes,
    sweep_temp_files,
)
from glmplan.installer.entries import merge_entry
from glmplan.installer.journal import Journal, load
from glmplan.installer.planning import Action, FilePlan, RunPlan, missing_dirs, plan_run
from glmplan.installer.recovery import current_mode, current_sha256, recover, remove_empty_dirs
from glmplan.paths import Paths

__all__ = ["FilePlan", "FileResult", "RunPlan", "RunResult", "apply_run", "plan_run"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileResult:
    tool: str
    path: Path
    action: Action
    backup: Path | None = None  # where the file's original is kept until restore


@dataclass(frozen=True)
class RunResult:
    files: tuple[FileResult, ...]
    recovered: tuple[str, ...] = ()  # notes about an earlier interrupted run that was settled

    @property
    def changed(self) -> bool:
        return any(f.action != "unchanged" for f in self.files)


@dataclass(frozen=True)
class _Step:
    """What one file looked like before this run wrote it (enough to put it back)."""

    plan: FilePlan
    before: bytes | None
    before_mode: int | None
    backup: str | None


def apply_run(plan: RunPlan, paths: Paths) -> RunResult:
    """Write every changed file of `plan`; all or nothing."""
    changed = [f for f in plan.files if f.changed]
    if not changed:  # idempotent re-run: no state dir, no journal churn
        files = tuple(FileResult(f.tool, f.path, f.action) for f in plan.files)
        return RunResult(files, _settle_pending(paths))
    with store.locked(paths):
        recovered = recover(paths)
        for directory in {f.resolved.parent for f in changed}:
            sweep_temp_files(directory)
        journal = _write_all(paths, load(paths), changed)
    backups = {f.resolved: _first_backup(journal, f) for f in changed}
    return RunResult(
        tuple(
            FileResult(f.tool, f.path, f.action, _backup_path(paths, backups.get(f.resolved)))
            for f in plan.files
        ),
        tuple(recovered),
    )


def _settle_pending(paths: Paths) -> tuple[str, ...]:
    """Finish an interrupted run even when this one has nothing to write."""
    if not paths.journal_file.exists():
        return ()
    if all(e.state == "done" for e in load(paths).entries):
        return ()
    with store.locked(paths):
        return tuple(recover(paths))


def _first_backup(journal: Journal, plan: FilePlan) -> str | None:
    entry = journal.get(str(plan.resolved))
    return None if entry is None else entry.backup


def _prune(journal: Journal, written: list[FilePlan]) -> tuple[Journal, list[str]]:
    """Drop backups no change needs any more (the first original always stays until restore).

    Only in the journal that ends a successful run: until then a rollback may need the old
    journal, which can name them. The files go once that journal is saved.
    """
    unused: list[str] = []
    for plan in written:
        entry = journal.get(str(plan.resolved))
        if entry is None:
            continue
        needed = {entry.backup, *(c.before_backup for c in entry.changes)}
        unused += [b for b in entry.backups if b not in needed]
        journal = journal.put(entry.replace(backups=tuple(b for b in entry.backups if b in needed)))
    return journal, unused


def _backup_path(paths: Paths, name: str | None) -> Path | None:
    return None if name is None else store.backup_path(paths, name)


def _write_all(paths: Paths, journal: Journal, changed: list[FilePlan]) -> Journal:
    before_run = journal
    steps: list[_Step] = []
    failed = changed[0].path
    try:
        for file_plan in changed:
            failed = file_plan.path
            journal = _write_one(paths, journal, file_plan, steps, last=file_plan is changed[-1])
    except BaseException as exc:
        if isinstance(exc, ConflictError) and steps and steps[-1].plan.path == failed:
            # The compare-and-swap aborted before the rename: the file holds the other
            # program's bytes, never ours, so there is nothing of this file to roll back.
            aborted = steps.pop()
            if aborted.backup is not None:
                store.remove_backups(paths, [aborted.backup])
        written = sum(1 for s in steps if s.plan.path != failed)
        problems = _rollback(paths, before_run, steps)
        if problems:
            raise GlmplanError(
                f"Writing {failed} failed: {exc}\nRolling back also failed for: "
                + "; ".join(problems)
                + "\nThe journal keeps these files; `glmplan restore` can put them back."
            ) from exc
        if not isinstance(exc, Exception):
            raise
        error = ConflictError if isinstance(exc, ConflictError) else GlmplanError
        raise error(
            f"Writing {failed} failed: {exc}\nNothing was changed: every file this run had "
            f"already written ({written}) was rolled back to what it was."
        ) from exc
    return journal


def _write_one(
    paths: Paths, journal: Journal, plan: FilePlan, steps: list[_Step], *, last: bool
) -> Journal:
    before, before_mode = _read_unchanged(plan)
    plan = _with_current_dirs(plan)
    backup = None if before is None else store.make_backup(paths, plan.resolved, before)
    steps.append(_Step(plan, before, before_mode, backup))
    new_sha = sha256_bytes(plan.new_data)
    mode = final_mode(plan.old_mode, holds_secret=plan.holds_secret)
    entry = merge_entry(journal.get(str(plan.resolved)), plan, backup, new_sha, mode)
    journal = journal.put(entry)
    store.save_journal(paths, journal)  # write-ahead: the entry is "pending" from here
    for directory in plan.created_dirs:
        directory.mkdir(exist_ok=True)
    atomic_write(
        plan.resolved,
        plan.new_data,
        expected_sha256=plan.old_sha256,
        holds_secret=plan.holds_secret,
    )
    if current_sha256(plan.resolved) != new_sha:
        raise GlmplanError(f"{plan.resolved} does not read back what glmplan wrote.")
    done = entry.replace(
        state="done", previous=None, written_mode=current_mode(plan.resolved, mode)
    )
    journal = journal.put(done)
    unused: list[str] = []
    if last:
        journal, unused = _prune(journal, [s.plan for s in steps])
    store.save_journal(paths, journal)
    store.remove_backups(paths, unused)
    log.info("wrote %s (backup %s)", plan.resolved, backup)
    return journal


def _with_current_dirs(plan: FilePlan) -> FilePlan:
    """Directories missing now, not just at plan time: settling an interrupted run under the
    lock may have removed empty directories that run had created."""
    if plan.action != "created":
        return plan
    wanted = {*plan.created_dirs, *missing_dirs(plan.resolved.parent)}
    dirs = tuple(sorted(wanted, key=lambda d: len(d.parts)))
    return plan if dirs == plan.created_dirs else dataclasses.replace(plan, created_dirs=dirs)


def _read_unchanged(plan: FilePlan) -> tuple[bytes | None, int | None]:
    """The file's bytes and mode now, refusing if they differ from what was planned against."""
    check_writable(plan.resolved)
    try:
        data: bytes | None = plan.resolved.read_bytes()
    except FileNotFoundError:
        data = None
    if (None if data is None else sha256_bytes(data)) != plan.old_sha256:
        raise ConflictError(
            f"{plan.resolved} changed after glmplan read it; their version is kept. "
            "Run the command again."
        )
    return data, None if data is None else current_mode(plan.resolved, 0o600)


def _rollback(paths: Paths, before_run: Journal, steps: list[_Step]) -> list[str]:
    """Put back every file of this run; the journal returns to `before_run` (minus failures)."""
    journal = before_run
    problems: list[str] = []
    for step in reversed(steps):
        try:
            _undo(step)
        except (OSError, GlmplanError) as exc:
            problems.append(f"{step.plan.resolved} ({exc})")
            log.error("rollback of %s failed: %s", step.plan.resolved, exc)
            continue
        if step.backup is not None:
            store.remove_backups(paths, [step.backup])
    if problems:
        current = load(paths)  # keep the pending entries of files we could not put back
        for step in steps:
            entry = current.get(str(step.plan.resolved))
            if entry is not None and any(str(step.plan.resolved) in p for p in problems):
                journal = journal.put(entry)
    with contextlib.suppress(OSError, GlmplanError):
        store.save_journal(paths, journal)
    return problems


def _undo(step: _Step) -> None:
    plan = step.plan
    now = current_sha256(plan.resolved)
    if now == plan.old_sha256:
        remove_empty_dirs(tuple(str(d) for d in plan.created_dirs))
        return  # never written
    if now != sha256_bytes(plan.new_data):
        raise GlmplanError("it was changed by another program meanwhile; left as it is")
    if step.before is None:
        plan.resolved.unlink()
        remove_empty_dirs(tuple(str(d) for d in plan.created_dirs))
        return
    atomic_write(plan.resolved, step.before, expected_sha256=now, mode=step.before_mode)
