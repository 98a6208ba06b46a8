"""Key-by-key revert of a file someone changed after glmplan wrote it (pure).

A leaf glmplan set is reverted only while its value still hashes to what glmplan wrote; its old
value is read from the backup taken just before glmplan changed it (or the leaf is deleted if it
did not exist). A stamped leaf (one the tool rewrites itself, such as a timestamp) is reverted
whatever it holds, and left alone when it is gone. Parent objects glmplan created are deleted
when they end up empty. Anything else the user (or the tool itself) changed is kept and reported
as a conflict.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from glmplan import formats
from glmplan.errors import FormatError, GlmplanError
from glmplan.installer import store
from glmplan.installer.edits import Delete, Edit, JSONValue, KeyPath, Set
from glmplan.installer.journal import Change, FileEntry
from glmplan.installer.values import dotted, lookup, value_sha256
from glmplan.paths import Paths


@dataclass(frozen=True)
class KeyRevert:
    new_text: str
    reverted: tuple[str, ...]  # dotted key paths put back
    conflicts: tuple[Change, ...]  # changes we could not revert (the user's value is kept)
    reasons: tuple[str, ...]  # one line per conflict
    empty: bool  # the document is an empty object afterwards


def revert_keys(
    paths: Paths, entry: FileEntry, changes: Sequence[Change], text: str, doc: object
) -> KeyRevert:
    befores = _Befores(paths, entry)
    edits: list[Edit] = []
    reverted: list[KeyPath] = []
    conflicts: list[Change] = []
    reasons: list[str] = []
    for change in changes:
        current = lookup(doc, change.path)
        before = befores.value(change)
        current_sha = None if current is formats.MISSING else value_sha256(current)
        before_sha = None if before is formats.MISSING else value_sha256(before)
        if current_sha == before_sha:
            continue  # already back to what it was
        if change.stamped and current is formats.MISSING:
            continue  # removed with its object: a lone stamp is never put back
        if change.stamped or current_sha == change.after_sha256:
            edits.append(_undo_edit(change.path, before))
            reverted.append(change.path)
            continue
        conflicts.append(change)
        what = "removed" if current is formats.MISSING else "changed"
        reasons.append(f"kept {dotted(change.path)}: {what} since glmplan set it")
    new_text = formats.apply_edits(entry.format, text, edits, entry.path) if edits else text
    new_text = _drop_empty_parents(entry, new_text, reverted)
    new_doc = formats.parse(entry.format, new_text, entry.path)
    names = tuple(dotted(p) for p in reverted)
    return KeyRevert(new_text, names, tuple(conflicts), tuple(reasons), new_doc == {})


def _undo_edit(path: KeyPath, before: object) -> Edit:
    if before is formats.MISSING:
        return Delete(path)
    return Set(path, cast(JSONValue, before))


def _drop_empty_parents(entry: FileEntry, text: str, reverted: list[KeyPath]) -> str:
    """Delete the outermost created parents that hold nothing but other created parents.

    One Delete per outermost parent: deleting nested ones one by one would pass through
    states some formats cannot express (a TOML super-table left with no tables).
    """
    created = {
        p for p in entry.created_parents if any(r[: len(p)] == p and r != p for r in reverted)
    }
    doc = formats.parse(entry.format, text, entry.path)
    deletes: list[Edit] = []
    for parent in sorted(created, key=len):
        if any(parent[: len(d.path)] == d.path for d in deletes):
            continue  # inside one we already delete
        if _hollow(lookup(doc, parent), parent, created):
            deletes.append(Delete(parent))
    return formats.apply_edits(entry.format, text, deletes, entry.path) if deletes else text


def _hollow(value: object, path: KeyPath, created: set[KeyPath]) -> bool:
    """An object glmplan created that now holds only (hollow) objects glmplan created."""
    if not isinstance(value, dict):
        return False
    return all((*path, k) in created and _hollow(v, (*path, k), created) for k, v in value.items())


class _Befores:
    """Old values, read from the backups (each parsed once)."""

    def __init__(self, paths: Paths, entry: FileEntry) -> None:
        self._paths = paths
        self._entry = entry
        self._docs: dict[str, object] = {}

    def value(self, change: Change) -> object:
        if not change.before_present:
            return formats.MISSING
        if change.before_backup is None:
            raise GlmplanError(f"{self._entry.path}: the journal names no backup for a key.")
        value = lookup(self._doc(change.before_backup), change.path)
        if value is formats.MISSING:
            raise GlmplanError(
                f"{self._entry.path}: the backup {change.before_backup} lacks "
                f"{dotted(change.path)}, which the journal says it had; nothing was changed."
            )
        return value

    def _doc(self, name: str) -> object:
        if name not in self._docs:
            data = store.read_backup(self._paths, name)
            source = str(store.backup_path(self._paths, name))
            try:
                self._docs[name] = formats.parse(self._entry.format, data.decode("utf-8"), source)
            except (FormatError, UnicodeDecodeError) as exc:
                raise GlmplanError(f"The backup {source} cannot be read: {exc}") from exc
        return self._docs[name]
