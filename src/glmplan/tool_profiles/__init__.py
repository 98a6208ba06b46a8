"""One module per tool, behind the `ToolProfile` protocol; `PROFILES` is the registry."""

from __future__ import annotations

from glmplan.tool_profiles import claude_code
from glmplan.tool_profiles.base import ToolProfile

PROFILES: dict[str, ToolProfile] = {
    "claude-code": claude_code,
}

TOOL_IDS: tuple[str, ...] = (
    "claude-code",
    "roo-code",
    "kilo-code",
    "cline",
    "opencode",
    "crush",
    "goose",
)
