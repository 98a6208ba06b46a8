"""One module per tool, behind the `ToolProfile` protocol; `PROFILES` is the registry."""

from __future__ import annotations

from glmplan.tool_profiles import (
    claude_code,
    cline,
    crush,
    goose,
    kilo_code,
    opencode,
    roo_code,
)
from glmplan.tool_profiles.base import ToolProfile

PROFILES: dict[str, ToolProfile] = {
    "claude-code": claude_code,
    "roo-code": roo_code,
    "kilo-code": kilo_code,
    "cline": cline,
    "opencode": opencode,
    "crush": crush,
    "goose": goose,
}

TOOL_IDS: tuple[str, ...] = tuple(PROFILES)
