"""The persistent incremental index: what each log source has already given us.

Stored as one JSON file, `<cache_dir>/logs-index.json` (mode 0600), written atomically and only
when something changed. JSON rather than SQLite because the index is small (a few hundred bytes
per source plus the last 8 days of events), is always read and written whole in well under a
millisecond or two, needs no schema migrations, and stays readable when a user reports a wrong
count. Per source (a JSONL transcript, a JSON task file, or a SQLite database) it remembers the
identity (inode, size, mtime), how far it was read (byte offset of the last complete line, or
the last rowid per table) and the events seen in the last 8 days. A missing, unreadable or
malformed index is rebuilt from the logs (with a warning), never fatal.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from glmplan.quota.logs._common import Hit, hits_from_json

log = logging.getLogger(__name__)

INDEX_NAME = "logs-index.json"
VERSION = 1


@dataclass(frozen=True)
class SourceState:
    """What was read from one source so far."""

    tool: str
    ino: int
    size: int
    mtime_ns: int
    offset: int = 0  # JSONL: byte offset just past the last complete line
    tail: str = ""  # JSONL: hex of the bytes just before `offset`, to notice a rewritten file
    cursors: Mapping[str, int] = field(default_factory=dict)  # SQLite: table -> last rowid
    hits: tuple[Hit, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "tool": self.tool,
            "ino": self.ino,
            "size": self.size,
            "mtime_ns": self.mtime_ns,
            "offset": self.offset,
            "tail": self.tail,
            "cursors": dict(self.cursors),
            "hits": self.hits,
        }

    @classmethod
    def from_json(cls, raw: object) -> SourceState | None:
        if not isinstance(raw, dict):
            return None
        ints = [raw.get(k) for k in ("ino", "size", "mtime_ns", "offset")]
        cursors, hits, tool = raw.get("cursors"), raw.get("hits"), raw.get("tool")
        tail = raw.get("tail", "")
        if not isinstance(tool, str) or not isinstance(tail, str):
            return None
        if not all(type(v) is int for v in ints):
            return None
        if not isinstance(cursors, dict) or not isinstance(hits, list):
            return None
        if not all(isinstance(k, str) and type(v) is int for k, v in cursors.items()):
            return None
        good = hits_from_json(hits)
        if good is None:
            return None
        ino, size, mtime_ns, offset = (int(v) for v in ints)  # type: ignore[arg-type]
        return cls(tool, ino, size, mtime_ns, offset, tail, dict(cursors), good)


def index_path(cache_dir: Path) -> Path:
    return cache_dir / INDEX_NAME


# A long-lived process (the dashboard) reloads the index it wrote itself on every refresh: keep
# the parsed copy while the file's identity is the one we saw.
_MEMO: dict[str, tuple[tuple[int, int, int], dict[str, SourceState]]] = {}


def _ident(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return st.st_ino, st.st_size, st.st_mtime_ns


def load_index(path: Path) -> dict[str, SourceState]:
    """The saved states by source path; empty (and a warning) when missing is not the reason."""
    try:
        ident = _ident(path)
        memo = _MEMO.get(str(path))
        if memo is not None and memo[0] == ident:
            return dict(memo[1])
        raw = json.loads(path.read_bytes())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("log index %s unreadable (%s); rebuilding it from the logs", path, exc)
        return {}
    states = _parse(path, raw)
    _MEMO[str(path)] = (ident, dict(states))
    return states


def _parse(path: Path, raw: object) -> dict[str, SourceState]:
    sources = raw.get("sources") if isinstance(raw, dict) else None
    if not isinstance(raw, dict) or raw.get("version") != VERSION or not isinstance(sources, dict):
        log.warning("log index %s has an unknown shape; rebuilding it from the logs", path)
        return {}
    states: dict[str, SourceState] = {}
    for key, value in sources.items():
        state = SourceState.from_json(value)
        if state is None:
            log.warning("log index %s: bad entry for %s; re-reading that source", path, key)
            continue
        states[key] = state
    return states


def save_index(path: Path, states: Mapping[str, SourceState]) -> None:
    """Write the index atomically (0600). Failure only costs a slower next refresh."""
    body = {"version": VERSION, "sources": {k: s.to_json() for k, s in sorted(states.items())}}
    data = json.dumps(body, separators=(",", ":")).encode()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        _replace_file(path, data)
        _MEMO[str(path)] = (_ident(path), dict(states))
    except OSError as exc:
        log.warning("cannot write log index %s: %s", path, exc)


def _replace_file(path: Path, data: bytes) -> None:
    """Temp file (0600, O_EXCL) beside the index, then `os.replace`: readers see the old or the
    new index, never half of one. Unlike `installer.atomic.atomic_write` (for users' files) there
    is no fsync: this is a cache, a lost or torn one is rebuilt from the logs, and two fsyncs cost
    more than the rest of a warm refresh."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class Refresh:
    """What one reader returns for one source: its new state (None: the source is gone)."""

    state: SourceState | None
    bytes_read: int = 0
    skipped: int = 0
