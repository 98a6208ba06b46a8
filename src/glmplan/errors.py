"""Exceptions that carry a message fit for the user. The CLI maps them to exit codes."""

from __future__ import annotations

from pathlib import Path


class GlmplanError(Exception):
    """A failure the message explains (exit 1)."""

    exit_code = 1


class UsageError(GlmplanError):
    """Bad usage: unknown tool, missing key without a TTY, bad option value (exit 2)."""

    exit_code = 2


class FormatError(GlmplanError):
    """A user's file could not be parsed. Always names the file, line and column (1-based)."""

    def __init__(self, path: Path | str, line: int, col: int, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.col = col
        self.reason = message
        super().__init__(f"{self.path}:{line}:{col}: {message}")


class UnsafeFileError(GlmplanError):
    """A file glmplan refuses to write: dangling symlink, hard link, read-only, not regular."""


class ConflictError(GlmplanError):
    """Another program changed a file between our read and our write (compare-and-swap)."""
