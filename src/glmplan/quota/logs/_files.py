"""Sources that are one JSON document rewritten whole (Cline and Roo task files): re-parsed when
their identity (inode, size, mtime) changes, skipped otherwise."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from glmplan.quota.logs._common import Hit
from glmplan.quota.logs.index import Refresh, SourceState

# (parsed JSON, source path, cutoff) -> (hits, malformed entries)
Parser = Callable[[object, Path, float], tuple[list[Hit], int]]

MAX_BYTES = 256 << 20  # a task file larger than this is not a task file


def refresh_whole(
    path: Path, prev: SourceState | None, cutoff: float, tool: str, parse: Parser
) -> Refresh:
    try:
        st = path.stat()
    except OSError:
        return Refresh(None)
    ident = (st.st_ino, st.st_size, st.st_mtime_ns)
    if prev is not None and (prev.ino, prev.size, prev.mtime_ns) == ident:
        return Refresh(prev)
    state = SourceState(tool, *ident)
    if st.st_mtime < cutoff or st.st_size > MAX_BYTES:
        return Refresh(state, skipped=int(st.st_size > MAX_BYTES))
    try:
        data = path.read_bytes()
        doc = json.loads(data)
    except OSError:
        return Refresh(None, skipped=1)
    except ValueError:  # half-written or corrupt: keep what we had, retry when it changes
        return Refresh(SourceState(tool, *ident, hits=prev.hits if prev else ()), len(data), 1)
    hits, skipped = parse(doc, path, cutoff)
    return Refresh(SourceState(tool, *ident, hits=tuple(hits)), len(data), skipped)
