"""`glmplan setup`: configure coding tools for the plan (plan all files first, then write)."""

from __future__ import annotations

import os
from collections.abc import Sequence

import click

from glmplan import config
from glmplan.cli.render import progress, render
from glmplan.cli.results import FileRow, FilesResult
from glmplan.cli.settings import SetupRequest, read_key, resolve_settings, validate_tools
from glmplan.errors import UsageError
from glmplan.installer.edits import FileSpec
from glmplan.installer.fs import RealFileView
from glmplan.paths import Paths
from glmplan.tool_profiles import PROFILES, TOOL_IDS
from glmplan.tool_profiles.base import FileView, SetupSettings


def choose_tools(
    names: Sequence[str], all_tools: bool, paths: Paths, fs: FileView
) -> tuple[list[str], list[FileRow]]:
    """(tools to configure, rows for the tools skipped and why)."""
    if names and all_tools:
        raise UsageError("Name tools or pass --all, not both")
    wanted = validate_tools(names) if names else list(TOOL_IDS)
    chosen: list[str] = []
    skipped: list[FileRow] = []
    for tool in wanted:
        profile = PROFILES.get(tool)
        if profile is None:
            skipped.append(FileRow(tool, None, "skipped", "not supported by this glmplan yet"))
        elif names or all_tools or profile.detect(paths, fs).found:
            chosen.append(tool)
        else:
            skipped.append(
                FileRow(
                    tool, None, "skipped", "not detected (name it, or pass --all, to set it up)"
                )
            )
    return chosen, skipped


def plan_specs(
    tools: Sequence[str], settings: SetupSettings, paths: Paths, fs: FileView
) -> dict[str, list[FileSpec]]:
    return {tool: PROFILES[tool].plan(settings, paths, fs) for tool in tools}


@click.command()
@click.argument("tools", nargs=-1)
@click.option(
    "--all", "all_tools", is_flag=True, help="Configure all seven tools, detected or not."
)
@click.option("--plan", type=click.Choice(["lite", "pro", "max"]), help="Your plan (stored).")
@click.option("--region", type=click.Choice(["global", "china"]), help="api.z.ai or bigmodel.cn.")
@click.option("--api-base", metavar="URL", help="Replace scheme+host of every endpoint.")
@click.option("--model", metavar="ID", help="Main model (default glm-4.5).")
@click.option("--fast-model", metavar="ID", help="Small/fast model (default glm-4.5-air).")
@click.option("--mcp/--no-mcp", default=None, help="Also configure Z.ai's MCP servers.")
@click.option("--api-key-stdin", is_flag=True, help="Read the API key from one line of stdin.")
@click.option("--statusline", is_flag=True, help="Set Claude Code's statusLine to glmplan's.")
@click.option("--dry-run", is_flag=True, help="Show a diff per file (key masked); write nothing.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout.")
def setup(
    tools: tuple[str, ...],
    all_tools: bool,
    plan: str | None,
    region: str | None,
    api_base: str | None,
    model: str | None,
    fast_model: str | None,
    mcp: bool | None,
    api_key_stdin: bool,
    statusline: bool,
    dry_run: bool,
    yes: bool,
    as_json: bool,
) -> int:
    """Configure TOOLS (default: every detected tool) for the GLM Coding Plan.

    \b
    Examples:
      echo "$KEY" | glmplan setup claude-code --plan pro --api-key-stdin
      glmplan setup --all --dry-run
    """
    from glmplan.installer.engine import apply_run, plan_run

    paths = Paths.from_env()
    fs = RealFileView(paths)
    chosen, skipped = choose_tools(tools, all_tools, paths, fs)
    request = SetupRequest(
        plan, region, api_base, model, fast_model, mcp, api_key_stdin, statusline
    )
    key, key_source = read_key(paths, api_key_stdin, os.environ)
    settings, stored = resolve_settings(request, paths, key, os.environ)
    if not chosen:
        result = FilesResult(
            "setup", tuple(skipped), paths.home, dry_run, _nothing_note(), exit_code=1
        )
        return render(result, as_json)
    run = plan_run(plan_specs(chosen, settings, paths, fs), paths, (key,))
    rows = [FileRow(f.tool, str(f.path), f.action, f.purpose, f.diff) for f in run.files]
    warnings = tuple(w for f in run.files for w in f.warnings)
    if dry_run:
        return render(FilesResult("setup", (*rows, *skipped), paths.home, True, warnings), as_json)
    if run.changed and not yes and config.is_interactive():
        _confirm(rows)
    apply_run(run, paths)  # with nothing to write it still settles an interrupted earlier run
    config.save_settings(paths, stored)
    if key_source != "stored":
        config.save_key(paths, key)
    restart = _running(chosen) if run.changed else {}
    result = FilesResult("setup", (*rows, *skipped), paths.home, False, warnings, restart)
    return render(result, as_json)


def _nothing_note() -> tuple[str, ...]:
    return (
        "No coding tool was detected. Name the tools to set up (e.g. `glmplan setup claude-code`) "
        "or pass --all to configure all seven.",
    )


def _confirm(rows: Sequence[FileRow]) -> None:
    for row in rows:
        if row.action != "unchanged":
            progress(f"  {row.action:<9} {row.path}")
    click.confirm("Write these files (each is backed up first)?", default=True, abort=True)


def _running(tools: Sequence[str]) -> dict[str, tuple[int, ...]]:
    from glmplan.installer.detect import running_processes

    names = {t: PROFILES[t].PROCESS_NAMES for t in tools}
    found = running_processes(names)
    return {
        PROFILES[t].DISPLAY_NAME: tuple(p.pid for p in procs) for t, procs in found.items() if procs
    }
