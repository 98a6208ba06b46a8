"""Decide, for one journal entry, what restore does to its file (pure: reads, never writes).

- untouched since glmplan wrote it (and nobody wrote it between glmplan's runs): the first
  original back, byte for byte, with its mode; or the file removed if glmplan created it;
- changed since: only the leaves that still hash to what glmplan wrote are reverted (their old
  value comes from the backup), parents glmplan created are deleted when left empty, and every
  other edit stays; keys the user changed are listed as conflicts;
- no longer parses: left alone and reported, or with `force` the original comes back and the
  current content is kept beside it as `<name>.glmplan-conflict`;
- missing: reported, never recreated.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from glmplan import formats
from glmplan.errors import FormatError, GlmplanError
from glmplan.installer import store
from glmplan.installer.atomic import sha256_bytes
from glmplan.installer.journal import Change, FileEntry
from glmplan.installer.recovery import current_mode
from glmplan.installer.revert_keys import KeyRevert, revert_keys
from glmplan.paths import Paths

RestoreAction = Literal["restored", "removed", "reverted-keys", "conflict", "missing", "unchanged"]
CONFLICT_SUFFIX = ".glmplan-conflict"


@dataclass(frozen=True)
class RestoreFile:
    tool: str
    path: str
    action: RestoreAction
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class RestoreStep:
    """What to do to one file; `restore.py` carries it out (unless dry run)."""

    entry: FileEntry
    result: RestoreFile
    current_sha256: str | None
    new_data: bytes | None = field(default=None, repr=False)  # write these bytes
    mode: int | None = None  # with this mode (None: keep the current mode)
    verify_sha256: str | None = None  # what the file must hash to afterwards
    delete: bool = False  # remove the file instead
    conflict_copy: bytes | None = field(
        default=None, repr=False
    )  # keep beside as .glmplan-conflict
    keep: FileEntry | None = None  # the entry that stays in the journal (None: dropped)
    preserve_original: bool = False  # move the original's backup aside instead of removing it


def plan_entry(
    paths: Paths, entry: FileEntry, tools: frozenset[str] | None, *, force: bool
) -> RestoreStep:
    full = tools is None or set(entry.tools) <= tools
    tool = (
        entry.tool if tools is None or entry.tool in tools else sorted(set(entry.tools) & tools)[0]
    )
    resolved = Path(entry.resolved)
    try:
        current = resolved.read_bytes()
    except FileNotFoundError:
        return _missing(paths, entry, tool, tools)
    sha = sha256_bytes(current)
    if full and entry.clean and sha == entry.written_sha256:
        return _exact(paths, entry, tool, sha)
    try:
        text = current.decode("utf-8")
        doc = formats.parse(entry.format, text, entry.path)
    except (FormatError, UnicodeDecodeError) as exc:
        reason = f"it no longer parses ({exc})"
        if force and full:
            return _force_original(paths, entry, tool, current, reason)
        return RestoreStep(entry, _conflict(entry, tool, reason, force=force), sha, keep=entry)
    return _revert_keys(paths, entry, tool, tools, current, doc, force=force)


def _missing(
    paths: Paths, entry: FileEntry, tool: str, tools: frozenset[str] | None
) -> RestoreStep:
    if not entry.existed_before:
        details: tuple[str, ...] = ("already gone (glmplan had created it)",)
    else:
        kept = store.kept_path(paths, entry.backup) if entry.backup else None
        details = ("the file is gone; glmplan does not recreate it",)
        if kept is not None:
            details += (f"its original is kept at {kept}",)
    result = RestoreFile(tool, entry.path, "missing", details)
    keep = None if tools is None else _without_tools(entry, tools)
    preserve = entry.existed_before and entry.backup is not None
    return RestoreStep(entry, result, None, keep=keep, preserve_original=preserve)


def _exact(paths: Paths, entry: FileEntry, tool: str, sha: str) -> RestoreStep:
    if not entry.existed_before:
        return RestoreStep(
            entry,
            RestoreFile(tool, entry.path, "removed", ("glmplan had created it",)),
            sha,
            delete=True,
        )
    original = _original(paths, entry)
    return RestoreStep(
        entry,
        RestoreFile(tool, entry.path, "restored", ("original bytes and mode",)),
        sha,
        new_data=original,
        mode=entry.original_mode,
        verify_sha256=entry.original_sha256,
    )


def _original(paths: Paths, entry: FileEntry) -> bytes:
    if entry.backup is None:
        raise GlmplanError(f"{entry.path}: the journal names no backup of the original.")
    data = store.read_backup(paths, entry.backup)
    if sha256_bytes(data) != entry.original_sha256:
        raise GlmplanError(
            f"{entry.path}: its backup {store.backup_path(paths, entry.backup)} is damaged "
            "(hash differs from the journal); nothing was changed."
        )
    return data


def _force_original(
    paths: Paths, entry: FileEntry, tool: str, current: bytes, reason: str
) -> RestoreStep:
    copy = f"{Path(entry.resolved).name}{CONFLICT_SUFFIX}"
    details = (reason, f"--force: your current version is kept as {copy}")
    sha = sha256_bytes(current)
    if not entry.existed_before:
        return RestoreStep(
            entry,
            RestoreFile(tool, entry.path, "removed", details),
            sha,
            delete=True,
            conflict_copy=current,
        )
    return RestoreStep(
        entry,
        RestoreFile(tool, entry.path, "restored", details),
        sha,
        new_data=_original(paths, entry),
        mode=entry.original_mode,
        verify_sha256=entry.original_sha256,
        conflict_copy=current,
    )


def _conflict(entry: FileEntry, tool: str, reason: str, *, force: bool) -> RestoreFile:
    hint = (
        "left as it is; fix it, or run restore --force to put the original back "
        f"and keep this version as <name>{CONFLICT_SUFFIX}"
    )
    return RestoreFile(
        tool, entry.path, "conflict", (reason, hint if not force else "left as it is")
    )


def _without_tools(entry: FileEntry, tools: frozenset[str]) -> FileEntry | None:
    remaining = tuple(c for c in entry.changes if c.tool not in tools)
    return entry.replace(changes=remaining, clean=False) if remaining else None


def _revert_keys(
    paths: Paths,
    entry: FileEntry,
    tool: str,
    tools: frozenset[str] | None,
    current: bytes,
    doc: object,
    *,
    force: bool,
) -> RestoreStep:
    full = tools is None or set(entry.tools) <= tools
    mine = [c for c in entry.changes if tools is None or c.tool in tools]
    kr = revert_keys(paths, entry, mine, current.decode("utf-8"), doc)
    if kr.conflicts and force and full:
        return _force_original(paths, entry, tool, current, "; ".join(kr.reasons))
    details = tuple(f"reverted {k}" for k in kr.reverted) + kr.reasons
    if kr.conflicts and not force:
        details += ("restore --force puts the original back and keeps your version beside it",)
    if full and not kr.conflicts and not entry.existed_before and kr.empty:
        result = RestoreFile(tool, entry.path, "removed", details)
        return RestoreStep(entry, result, sha256_bytes(current), delete=True)
    others = tuple(c for c in entry.changes if c not in mine)
    return _key_step(
        entry,
        RestoreFile(tool, entry.path, "reverted-keys", details),
        current,
        kr,
        others,
        full=full,
    )


def _key_step(
    entry: FileEntry,
    result: RestoreFile,
    current: bytes,
    kr: KeyRevert,
    others: tuple[Change, ...],
    *,
    full: bool,
) -> RestoreStep:
    """Write the reverted text; the entry stays for conflicts and other tools' keys."""
    sha = sha256_bytes(current)
    new_data = kr.new_text.encode("utf-8", "surrogatepass")
    remaining = (*kr.conflicts, *others)
    keep = None
    if remaining:
        clean = entry.clean and sha == entry.written_sha256  # still only glmplan wrote it
        keep = entry.replace(changes=remaining, written_sha256=sha256_bytes(new_data), clean=clean)
    if kr.conflicts:
        result = dataclasses.replace(result, action="conflict")
    if new_data == current:
        if not kr.conflicts:
            result = dataclasses.replace(result, action="unchanged")
        return RestoreStep(entry, result, sha, keep=keep)
    mode = None
    loosen = full and not kr.conflicts and entry.original_mode is not None
    if loosen and current_mode(entry.resolved, -1) == entry.written_mode:
        mode = entry.original_mode  # nobody chose another mode since: give back the original
    return RestoreStep(
        entry,
        result,
        sha,
        new_data=new_data,
        mode=mode,
        verify_sha256=sha256_bytes(new_data),
        keep=keep,
    )
