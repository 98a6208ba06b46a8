"""What the dashboard needs from the rest of glmplan, as protocols and frozen data.

The lead implements `ToolsService` over the real installer; the demo and the tests use fakes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from glmplan.plan import EndpointKind


@dataclass(frozen=True)
class ToolRow:
    """One coding tool as the Tools screen shows it."""

    tool: str  # tool id, e.g. "claude-code"
    name: str  # display name, e.g. "Claude Code"
    detected: bool
    configured: bool  # configured by glmplan
    changed: bool  # configured by glmplan and edited since
    endpoint: EndpointKind
    running: int  # running processes of the tool
    detail: str = ""  # how it was detected, or a short note


class ToolsService(Protocol):
    """Detection, setup and restore of tools, seen from the dashboard.

    Every method may do I/O: the dashboard calls them from worker threads. Diffs and messages must
    already have the API key masked (glmplan.secrets.mask).
    """

    def rows(self) -> list[ToolRow]:
        """All seven tools, in display order."""

    def preview_setup(self, tool: str) -> str:
        """The unified diff `setup` would write for `tool` (nothing is written)."""

    def apply_setup(self, tool: str) -> str:
        """Set the tool up; returns a one-line message for the user."""

    def preview_restore(self, tool: str) -> str:
        """The unified diff `restore` would write for `tool` (nothing is written)."""

    def apply_restore(self, tool: str) -> str:
        """Restore the tool's files; returns a one-line message for the user."""


@dataclass(frozen=True)
class Account:
    """Header facts the usage report does not carry."""

    region: str | None = None
    masked_key: str | None = None  # already masked with glmplan.secrets.mask
