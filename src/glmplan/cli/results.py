"""Results of `setup`, `status` and `restore`, each renderable as text or JSON."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from glmplan.cli.render import style
from glmplan.secrets import mask


def short(path: Path | str | None, home: Path) -> str:
    if path is None:
        return "-"
    text = str(path)
    prefix = str(home)
    return "~" + text[len(prefix) :] if text == prefix or text.startswith(prefix + "/") else text


@dataclass(frozen=True)
class FileRow:
    tool: str
    path: str | None
    action: str  # created | modified | unchanged | skipped | restored | removed | ...
    reason: str = ""
    diff: str = ""

    def to_json(self, with_diff: bool) -> dict[str, Any]:
        row: dict[str, Any] = {
            "tool": self.tool,
            "path": self.path,
            "action": self.action,
            "reason": self.reason or None,
        }
        if with_diff:
            row["diff"] = self.diff
        return row


_ACTION_COLORS = {
    "created": "green",
    "modified": "yellow",
    "restored": "green",
    "removed": "green",
    "reverted-keys": "yellow",
    "conflict": "red",
    "missing": "red",
    "skipped": "bright_black",
}


@dataclass(frozen=True)
class FilesResult:
    """`setup` and `restore`: one row per file (or skipped tool)."""

    command: str
    rows: tuple[FileRow, ...]
    home: Path
    dry_run: bool = False
    notes: tuple[str, ...] = ()
    restart: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    exit_code: int = 0

    @property
    def changed(self) -> bool:
        return any(r.action not in ("unchanged", "skipped") for r in self.rows)

    def to_json(self) -> Mapping[str, Any]:
        return {
            "command": self.command,
            "changed": self.changed and not self.dry_run,
            "dry_run": self.dry_run,
            "files": [r.to_json(self.dry_run) for r in self.rows],
            "restart": [{"tool": t, "pids": list(p)} for t, p in self.restart.items()],
            "notes": list(self.notes),
        }

    def to_text(self, color: bool) -> str:
        lines: list[str] = []
        for row in self.rows:
            if self.dry_run and row.diff:
                lines.append(row.diff.rstrip("\n"))
            action = style(f"{row.action:<13}", color, fg=_ACTION_COLORS.get(row.action))
            where = short(row.path, self.home) if row.path else ""
            sep = "  · " if where else ""
            reason = f"{sep}{row.reason}" if row.reason else ""
            lines.append(f"{row.tool:<12} {action} {where}{reason}".rstrip())
        if self.dry_run:
            lines.append("Dry run: nothing was written.")
        for tool, pids in self.restart.items():
            joined = ", ".join(str(p) for p in pids)
            lines.append(f"Restart {tool} (running as pid {joined}) to pick up the new settings.")
        lines.extend(self.notes)
        return "\n".join(lines)


@dataclass(frozen=True)
class ToolStatus:
    tool: str
    name: str
    detected: bool
    how: tuple[str, ...]
    configured: str  # yes | no | changed
    endpoint: str | None
    endpoint_kind: str
    model: str | None
    key: str | None
    running: tuple[int, ...]
    notes: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "tool": self.tool,
            "name": self.name,
            "detected": self.detected,
            "how": list(self.how),
            "configured": self.configured,
            "endpoint": self.endpoint,
            "endpoint_kind": self.endpoint_kind,
            "model": self.model,
            "key": mask(self.key) if self.key else None,
            "running": list(self.running),
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class StatusResult:
    tools: tuple[ToolStatus, ...]
    home: Path
    exit_code: int = 0

    def to_json(self) -> Mapping[str, Any]:
        return {"tools": [t.to_json() for t in self.tools]}

    def to_text(self, color: bool) -> str:
        lines = []
        for t in self.tools:
            head = style(t.name, color, bold=True)
            detected = "detected" if t.detected else "not detected"
            lines.append(f"{head}: {detected}; configured by glmplan: {t.configured}")
            for how in t.how:
                lines.append(f"    {how}")
            if t.endpoint or t.model or t.key:
                kind = t.endpoint_kind
                if kind.startswith("general"):
                    kind = style(kind.upper(), color, fg="red", bold=True)
                lines.append(f"    endpoint: {t.endpoint or '-'} [{kind}]")
                lines.append(f"    model: {t.model or '-'}   key: {mask(t.key) if t.key else '-'}")
            if t.running:
                lines.append(f"    running: pid {', '.join(str(p) for p in t.running)}")
            for note in t.notes:
                lines.append(style(f"    ! {note}", color, fg="yellow"))
        return "\n".join(lines)
