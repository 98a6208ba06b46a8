"""The result type of every doctor check."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Level(enum.StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True)
class Check:
    id: str  # stable name, e.g. "endpoint", "env-override"
    tool: str | None  # a tool id, or None for an overall check
    level: Level
    title: str
    explanation: str = ""
    fix: str = ""

    def to_json(self) -> dict[str, str | None]:
        return {
            "id": self.id,
            "tool": self.tool,
            "status": self.level.value,
            "title": self.title,
            "explanation": self.explanation or None,
            "fix": self.fix or None,
        }
