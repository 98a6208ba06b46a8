"""Draining the JSON Claude Code writes to a statusLine command's stdin (never blocking)."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from typing import IO

_STDIN_MAX = 256 * 1024
_STDIN_WAIT = 0.2  # seconds: Claude Code writes its JSON at once; never hang on an open pipe


def read_claude_input(stream: IO[str]) -> bytes:
    """Drain Claude Code's JSON from stdin without ever blocking on a TTY or an idle pipe."""
    with contextlib.suppress(Exception):
        if stream.isatty():
            return b""
        try:
            fd = stream.fileno()
        except (io.UnsupportedOperation, AttributeError, ValueError):
            return stream.read(_STDIN_MAX).encode()  # an in-memory stream (tests) never blocks
        return _read_fd(fd)
    return b""


def _read_fd(fd: int) -> bytes:
    import select

    chunks: list[bytes] = []
    size = 0
    while size < _STDIN_MAX:
        if sys.platform.startswith("win"):
            break  # select() only takes sockets there; Claude's JSON is optional
        ready, _, _ = select.select([fd], [], [], _STDIN_WAIT)
        if not ready:
            break
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)
