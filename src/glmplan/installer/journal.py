"""The journal of every file glmplan wrote: what it was, what glmplan changed, where the backup is.

Stored as JSON at `paths.journal_file` (0600, written atomically). TypedDicts describe the JSON;
frozen dataclasses are what the rest of the installer sees. It never holds a secret value: every
change records only whether the key existed before, which backup holds the old value, and the
sha256 of what glmplan wrote.

An entry is "pending" from just before glmplan writes the file until the write is verified; it
then becomes "done". A pending entry carries the entry it replaced (`previous`), so an
interrupted run can be undone without losing earlier runs' history (see `recovery.py`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, NotRequired, TypedDict, cast

from glmplan.errors import GlmplanError
from glmplan.installer.edits import Format, KeyPath
from glmplan.paths import Paths

VERSION = 1
State = Literal["pending", "done"]


class ChangeJSON(TypedDict):
    path: list[str]
    tool: str
    before_present: bool
    before_backup: str | None
    after_sha256: str | None
    secret: bool
    stamped: NotRequired[bool]  # absent in journals written before it existed


class EntryJSON(TypedDict):
    id: str
    tool: str
    path: str
    resolved: str
    format: str
    existed_before: bool
    original_sha256: str | None
    original_size: int | None
    original_mode: int | None
    eol: str
    bom: bool
    backup: str | None
    backups: list[str]
    pre_sha256: str | None
    written_sha256: str
    written_mode: int
    holds_secret: bool
    clean: bool
    changes: list[ChangeJSON]
    created_parents: list[list[str]]
    created_dirs: list[str]
    state: str
    previous: EntryJSON | None


class JournalJSON(TypedDict):
    version: int
    entries: list[EntryJSON]


class JournalError(GlmplanError):
    """The journal cannot be read; we stop rather than forget what glmplan changed."""


@dataclass(frozen=True)
class Change:
    """One leaf glmplan set (after_sha256) or deleted (after_sha256 None)."""

    path: KeyPath
    tool: str
    before_present: bool
    before_backup: str | None  # the backup that holds the value before glmplan changed it
    after_sha256: str | None
    secret: bool
    stamped: bool = False  # the tool rewrites it itself: reverted whatever it holds, no conflict


@dataclass(frozen=True)
class FileEntry:
    id: str
    tool: str  # the tool that first configured this file
    path: str  # as the profile named it (may be a symlink)
    resolved: str  # the real file
    format: Format
    existed_before: bool
    original_sha256: str | None
    original_size: int | None
    original_mode: int | None
    eol: str  # "lf" | "crlf" | "none" of the original
    bom: bool
    backup: str | None  # the FIRST original, kept until restore
    backups: tuple[str, ...]  # every backup this file has (removed after restore)
    pre_sha256: str | None  # the file just before the latest write
    written_sha256: str
    written_mode: int
    holds_secret: bool
    clean: bool  # nobody else wrote the file between glmplan's runs: exact restore is safe
    changes: tuple[Change, ...]
    created_parents: tuple[KeyPath, ...]
    created_dirs: tuple[str, ...]  # shallowest first
    state: State
    previous: FileEntry | None = None

    @property
    def tools(self) -> tuple[str, ...]:
        seen = dict.fromkeys([self.tool, *(c.tool for c in self.changes)])
        return tuple(seen)

    def replace(self, **changes: object) -> FileEntry:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Journal:
    entries: tuple[FileEntry, ...] = ()

    def get(self, resolved: str) -> FileEntry | None:
        return next((e for e in self.entries if e.resolved == resolved), None)

    def put(self, entry: FileEntry) -> Journal:
        kept = tuple(e for e in self.entries if e.resolved != entry.resolved)
        return Journal((*kept, entry))

    def drop(self, resolved: str) -> Journal:
        return Journal(tuple(e for e in self.entries if e.resolved != resolved))


# -- JSON edge -----------------------------------------------------------------------------------


def _change_to_json(c: Change) -> ChangeJSON:
    return ChangeJSON(
        path=list(c.path),
        tool=c.tool,
        before_present=c.before_present,
        before_backup=c.before_backup,
        after_sha256=c.after_sha256,
        secret=c.secret,
        stamped=c.stamped,
    )


def entry_to_json(e: FileEntry) -> EntryJSON:
    raw = {f.name: getattr(e, f.name) for f in dataclasses.fields(e)}
    raw.update(
        format=e.format.value,
        backups=list(e.backups),
        changes=[_change_to_json(c) for c in e.changes],
        created_parents=[list(p) for p in e.created_parents],
        created_dirs=list(e.created_dirs),
        previous=None if e.previous is None else entry_to_json(e.previous),
    )
    return cast(EntryJSON, raw)


def _change_from_json(raw: ChangeJSON) -> Change:
    return Change(
        path=tuple(str(k) for k in raw["path"]),
        tool=str(raw["tool"]),
        before_present=bool(raw["before_present"]),
        before_backup=raw["before_backup"],
        after_sha256=raw["after_sha256"],
        secret=bool(raw["secret"]),
        stamped=bool(raw.get("stamped", False)),
    )


def entry_from_json(raw: EntryJSON) -> FileEntry:
    state = raw["state"]
    if state not in ("pending", "done"):
        raise ValueError(f"unknown state {state!r}")
    previous = raw.get("previous")
    return FileEntry(
        **{k: raw[k] for k in _SCALAR_FIELDS},  # type: ignore[literal-required]
        format=Format(raw["format"]),
        backups=tuple(raw["backups"]),
        changes=tuple(_change_from_json(c) for c in raw["changes"]),
        created_parents=tuple(tuple(p) for p in raw["created_parents"]),
        created_dirs=tuple(raw["created_dirs"]),
        state=cast(State, state),
        previous=None if previous is None else entry_from_json(previous),
    )


_SCALAR_FIELDS = [
    "id",
    "tool",
    "path",
    "resolved",
    "existed_before",
    "original_sha256",
    "original_size",
    "original_mode",
    "eol",
    "bom",
    "backup",
    "pre_sha256",
    "written_sha256",
    "written_mode",
    "holds_secret",
    "clean",
]


def dumps(journal: Journal) -> bytes:
    doc = JournalJSON(version=VERSION, entries=[entry_to_json(e) for e in journal.entries])
    return (json.dumps(doc, indent=2, sort_keys=True) + "\n").encode("utf-8")


def loads(data: bytes, source: str) -> Journal:
    try:
        doc = json.loads(data.decode("utf-8"))
        if not isinstance(doc, dict) or doc.get("version") != VERSION:
            raise ValueError("not a glmplan journal of a version this glmplan understands")
        entries = tuple(entry_from_json(raw) for raw in doc["entries"])
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise JournalError(
            f"The journal {source} is damaged ({exc}). glmplan will not guess what it changed. "
            "Move the file aside to start a fresh journal; the backups it names are in "
            "the 'backups' folder beside it."
        ) from exc
    return Journal(entries)


def load(paths: Paths) -> Journal:
    try:
        data = paths.journal_file.read_bytes()
    except FileNotFoundError:
        return Journal()
    return loads(data, str(paths.journal_file))


# -- queries for `status` ------------------------------------------------------------------------


@dataclass(frozen=True)
class ConfiguredFile:
    tool: str
    path: str
    resolved: str
    format: Format
    missing: bool  # the file is gone
    changed_since_setup: bool  # its bytes differ from what glmplan wrote
    pending: bool  # a run was interrupted while writing it


def configured_files(paths: Paths, tool: str | None = None) -> list[ConfiguredFile]:
    """Files glmplan wrote (for `tool`, or all), and whether each changed since; reads only."""
    result: list[ConfiguredFile] = []
    for entry in load(paths).entries:
        if tool is not None and tool not in entry.tools:
            continue
        try:
            current: str | None = hashlib.sha256(Path(entry.resolved).read_bytes()).hexdigest()
        except OSError:
            current = None
        result.append(
            ConfiguredFile(
                tool=entry.tool if tool is None else tool,
                path=entry.path,
                resolved=entry.resolved,
                format=entry.format,
                missing=current is None,
                changed_since_setup=current is not None and current != entry.written_sha256,
                pending=entry.state == "pending",
            )
        )
    return result
