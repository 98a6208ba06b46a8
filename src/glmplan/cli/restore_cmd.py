"""`glmplan restore` and `glmplan uninstall`."""

from __future__ import annotations

import shutil
from collections.abc import Sequence

import click

from glmplan import config
from glmplan.cli.render import progress, render
from glmplan.cli.results import FileRow, FilesResult
from glmplan.cli.settings import validate_tools
from glmplan.errors import UsageError
from glmplan.paths import Paths
from glmplan.tool_profiles import TOOL_IDS


def _pick_tools(tools: Sequence[str], all_tools: bool) -> list[str] | None:
    if tools and all_tools:
        raise UsageError("Name tools or pass --all, not both")
    if all_tools:
        return None
    if tools:
        return validate_tools(tools)
    if config.is_interactive():
        answer = click.prompt(
            f"Restore which tools? ({', '.join(TOOL_IDS)}, or 'all')", default="all"
        )
        return None if answer.strip() == "all" else validate_tools(answer.replace(",", " ").split())
    raise UsageError("Name the tools to restore, or pass --all")


def run_restore(
    paths: Paths, tools: list[str] | None, *, force: bool, dry_run: bool, yes: bool
) -> FilesResult:
    from glmplan.installer.restore import restore as engine_restore

    if not dry_run and not yes and config.is_interactive():
        preview = engine_restore(paths, tools, force=force, dry_run=True)
        for f in preview.files:
            progress(f"  {f.action:<13} {f.path}")
        if preview.files:
            click.confirm("Restore these files?", default=True, abort=True)
    result = engine_restore(paths, tools, force=force, dry_run=dry_run)
    rows = tuple(FileRow(f.tool, str(f.path), f.action, "; ".join(f.details)) for f in result.files)
    notes = () if rows else ("Nothing to restore: glmplan has not changed any file.",)
    return FilesResult("restore", rows, paths.home, dry_run, notes, exit_code=result.exit_code)


@click.command()
@click.argument("tools", nargs=-1)
@click.option("--all", "all_tools", is_flag=True, help="Restore every tool.")
@click.option("--dry-run", is_flag=True, help="Say what would be restored; write nothing.")
@click.option("--force", is_flag=True, help="Restore even edited files (current kept beside).")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout.")
def restore(
    tools: tuple[str, ...], all_tools: bool, dry_run: bool, force: bool, yes: bool, as_json: bool
) -> int:
    """Put every file glmplan touched back the way it was.

    Untouched files get their original bytes back; files you edited since keep your edits and
    only glmplan's keys are reverted.
    """
    paths = Paths.from_env()
    picked = _pick_tools(tools, all_tools)
    return render(run_restore(paths, picked, force=force, dry_run=dry_run, yes=yes), as_json)


@click.command()
@click.option("--dry-run", is_flag=True, help="Say what would be done; change nothing.")
@click.option("--force", is_flag=True, help="Restore even edited files (current kept beside).")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout.")
def uninstall(dry_run: bool, force: bool, yes: bool, as_json: bool) -> int:
    """`restore --all`, then remove glmplan's own config, key, state and cache."""
    paths = Paths.from_env()
    result = run_restore(paths, None, force=force, dry_run=dry_run, yes=yes)
    if result.exit_code != 0 or dry_run:
        return render(result, as_json)
    removed = []
    for directory in (paths.config_dir, paths.cache_dir, paths.state_dir):
        if directory.exists():
            shutil.rmtree(directory)
            removed.append(str(directory))
    note = ("Removed " + ", ".join(removed),) if removed else ()
    final = FilesResult("uninstall", result.rows, paths.home, False, (*result.notes, *note))
    return render(final, as_json)
