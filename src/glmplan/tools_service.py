"""The dashboard's Tools screen over the real engine: the same code paths as the CLI commands.

Setup from the dashboard uses the stored plan, region, models and key (from an earlier
`glmplan setup` in a terminal); it never prompts.
"""

from __future__ import annotations

from glmplan import config
from glmplan.cli.settings import SetupRequest, resolve_settings
from glmplan.cli.setup_cmd import plan_specs
from glmplan.cli.status_cmd import collect_status
from glmplan.errors import GlmplanError
from glmplan.installer.engine import RunPlan, apply_run, plan_run
from glmplan.installer.fs import RealFileView
from glmplan.installer.restore import restore
from glmplan.paths import Paths
from glmplan.plan import EndpointKind
from glmplan.secrets import redact
from glmplan.tui.services import ToolRow

_NO_REQUEST = SetupRequest(None, None, None, None, None, None, False, False)


class EngineToolsService:
    def __init__(self, paths: Paths) -> None:
        self.paths = paths

    def rows(self) -> list[ToolRow]:
        return [
            ToolRow(
                tool=s.tool,
                name=s.name,
                detected=s.detected,
                configured=s.configured != "no",
                changed=s.configured == "changed",
                endpoint=EndpointKind(s.endpoint_kind),
                running=len(s.running),
                detail="; ".join(s.notes or s.how),
            )
            for s in collect_status(self.paths)
        ]

    def _run_plan(self, tool: str) -> tuple[RunPlan, str]:
        stored = config.load_settings(self.paths)
        key = config.load_key(self.paths, self.paths.env)
        if stored.plan is None or key is None:
            raise GlmplanError(
                "Run `glmplan setup` once in a terminal first: it stores your plan and key."
            )
        settings, _ = resolve_settings(_NO_REQUEST, self.paths, key, self.paths.env)
        fs = RealFileView(self.paths)
        specs = plan_specs([tool], settings, self.paths, fs)
        return plan_run(specs, self.paths, (key,)), key

    def preview_setup(self, tool: str) -> str:
        try:
            run, key = self._run_plan(tool)
        except GlmplanError as exc:
            return str(exc)
        diffs = [f.diff for f in run.files if f.changed]
        return redact("\n".join(diffs), [key]) if diffs else "Already set up: nothing to change."

    def apply_setup(self, tool: str) -> str:
        try:
            run, _ = self._run_plan(tool)
            if not run.changed:
                return f"{tool}: already set up, nothing written."
            apply_run(run, self.paths)
        except GlmplanError as exc:
            return f"{tool}: {exc}"
        return f"{tool}: set up ({len([f for f in run.files if f.changed])} files written)."

    def preview_restore(self, tool: str) -> str:
        result = restore(self.paths, [tool], force=False, dry_run=True)
        if not result.files:
            return "glmplan has not changed any file of this tool."
        return "\n".join(
            f"{f.action:<13} {f.path}" + (f"  ({'; '.join(f.details)})" if f.details else "")
            for f in result.files
        )

    def apply_restore(self, tool: str) -> str:
        try:
            result = restore(self.paths, [tool], force=False, dry_run=False)
        except GlmplanError as exc:
            return f"{tool}: {exc}"
        if not result.files:
            return f"{tool}: nothing to restore."
        conflicts = [f.path for f in result.files if f.action == "conflict"]
        if conflicts:
            return f"{tool}: restored with conflicts in {', '.join(conflicts)} (your edits kept)."
        return f"{tool}: restored {len(result.files)} file(s)."
