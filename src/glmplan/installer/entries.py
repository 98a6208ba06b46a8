"""Build a file's journal entry for a write, merging it with what earlier runs recorded.

The first original (and its backup) is kept until restore. A key that an earlier run set and
that still holds glmplan's value keeps its original "before"; a key the user changed in between
gets this run's backup (which holds the user's value) as its "before"; a stamped key the tool
rewrote in between still counts as glmplan's. When someone else wrote the file between glmplan's
runs the entry is no longer "clean", so restore will not put the first original back wholesale
(that would drop their edits) but revert key by key.
"""

from __future__ import annotations

import dataclasses
import secrets

from glmplan.installer.journal import Change, FileEntry
from glmplan.installer.planning import FilePlan, LeafChange


def merge_entry(
    old: FileEntry | None, plan: FilePlan, backup: str | None, new_sha: str, mode: int
) -> FileEntry:
    """The pending entry for writing `plan` (its `previous` is `old`, for rollback)."""
    fresh = [_change(c, backup) for c in plan.changes]
    if old is None or plan.old_sha256 is None:
        return _fresh_entry(old, plan, backup, new_sha, mode, fresh)
    return old.replace(
        backups=(*old.backups, *((backup,) if backup else ())),
        pre_sha256=plan.old_sha256,
        written_sha256=new_sha,
        written_mode=mode,
        holds_secret=old.holds_secret or plan.holds_secret,
        clean=old.clean and old.written_sha256 == plan.old_sha256,
        changes=_merge_changes(old.changes, plan.changes, fresh),
        created_parents=tuple(dict.fromkeys((*old.created_parents, *plan.created_parents))),
        state="pending",
        previous=old,
    )


def _fresh_entry(
    old: FileEntry | None,
    plan: FilePlan,
    backup: str | None,
    new_sha: str,
    mode: int,
    changes: list[Change],
) -> FileEntry:
    # `old` exists here only when its file was deleted since: its backups stay listed, so
    # they are kept until restore, but the new history starts from "did not exist".
    older_backups = old.backups if old is not None else ()
    return FileEntry(
        id=secrets.token_hex(6),
        tool=plan.tool,
        path=str(plan.path),
        resolved=str(plan.resolved),
        format=plan.format,
        existed_before=plan.old_sha256 is not None,
        original_sha256=plan.old_sha256,
        original_size=plan.old_size,
        original_mode=plan.old_mode,
        eol=plan.eol,
        bom=plan.bom,
        backup=backup,
        backups=(*older_backups, *((backup,) if backup else ())),
        pre_sha256=plan.old_sha256,
        written_sha256=new_sha,
        written_mode=mode,
        holds_secret=plan.holds_secret,
        clean=True,
        changes=tuple(changes),
        created_parents=plan.created_parents,
        created_dirs=tuple(str(d) for d in plan.created_dirs),
        state="pending",
        previous=old,
    )


def _change(c: LeafChange, backup: str | None) -> Change:
    return Change(
        path=c.path,
        tool=c.tool,
        before_present=c.before_present,
        before_backup=backup if c.before_present else None,
        after_sha256=c.after_sha256,
        secret=c.secret,
        stamped=c.stamped,
    )


def _merge_changes(
    old: tuple[Change, ...], planned: tuple[LeafChange, ...], fresh: list[Change]
) -> tuple[Change, ...]:
    merged = {c.path: c for c in old}
    for leaf, change in zip(planned, fresh, strict=True):
        earlier = merged.get(leaf.path)
        if earlier is not None and _still_ours(earlier, leaf):
            change = dataclasses.replace(
                change,
                before_present=earlier.before_present,
                before_backup=earlier.before_backup,
                secret=change.secret or earlier.secret,
            )
        merged[leaf.path] = change
    return tuple(merged.values())


def _still_ours(earlier: Change, leaf: LeafChange) -> bool:
    """The leaf holds what the earlier run wrote (a stamp the tool rewrote since counts)."""
    restamped = leaf.stamped and leaf.before_present and earlier.after_sha256 is not None
    return restamped or earlier.after_sha256 == leaf.before_sha256
