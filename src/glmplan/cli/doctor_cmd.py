"""`glmplan doctor [--json]`: what is wrong with the setup, and how to fix it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import click

from glmplan.cli.render import render, style
from glmplan.doctor.model import Check, Level

_MARK = {Level.OK: ("✓", "green"), Level.WARN: ("!", "yellow"), Level.FAIL: ("✗", "red")}


@dataclass(frozen=True)
class DoctorResult:
    checks: tuple[Check, ...]

    @property
    def exit_code(self) -> int:
        return 1 if any(c.level is Level.FAIL for c in self.checks) else 0

    def to_json(self) -> Mapping[str, Any]:
        counts = {lvl.value: sum(c.level is lvl for c in self.checks) for lvl in Level}
        return {
            "ok": self.exit_code == 0,
            "summary": counts,
            "checks": [c.to_json() for c in self.checks],
        }

    def to_text(self, color: bool) -> str:
        lines = []
        for check in self.checks:
            mark, fg = _MARK[check.level]
            scope = f"[{check.tool}] " if check.tool else ""
            lines.append(f"{style(mark, color, fg=fg, bold=True)} {scope}{check.title}")
            if check.level is not Level.OK:
                if check.explanation:
                    lines.append(f"    {check.explanation}")
                if check.fix:
                    lines.append(f"    fix: {check.fix}")
        fails = sum(c.level is Level.FAIL for c in self.checks)
        warns = sum(c.level is Level.WARN for c in self.checks)
        lines.append(f"{fails} failed, {warns} warnings, {len(self.checks) - fails - warns} ok")
        return "\n".join(lines)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout.")
def doctor(as_json: bool) -> int:
    """Check the key, every tool's endpoint and model, shell overrides, file permissions."""
    from glmplan.doctor.run import run_doctor  # imports the quota client and psutil lazily
    from glmplan.paths import Paths

    paths = Paths.from_env()
    return render(DoctorResult(tuple(run_doctor(paths, paths.env))), as_json)
