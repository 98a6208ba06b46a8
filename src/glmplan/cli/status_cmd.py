"""`glmplan status`: per tool, how it was detected, whether glmplan configured it, its endpoint."""

from __future__ import annotations

import click

from glmplan.cli.render import render
from glmplan.cli.results import StatusResult, ToolStatus
from glmplan.installer.fs import RealFileView
from glmplan.paths import Paths
from glmplan.plan import EndpointKind, classify_endpoint
from glmplan.tool_profiles import PROFILES


def configured_state(paths: Paths, tool: str) -> str:
    """yes / no / changed (a file glmplan wrote was edited since)."""
    from glmplan.installer.journal import configured_files

    files = configured_files(paths, tool)
    if not files:
        return "no"
    return "changed" if any(f.changed_since_setup or f.missing for f in files) else "yes"


def collect_status(paths: Paths, with_processes: bool = True) -> list[ToolStatus]:
    fs = RealFileView(paths)
    running: dict[str, list[int]] = {}
    if with_processes:
        from glmplan.installer.detect import running_processes

        procs = running_processes({t: p.PROCESS_NAMES for t, p in PROFILES.items()})
        running = {t: [p.pid for p in found] for t, found in procs.items()}
    rows = []
    for tool, profile in PROFILES.items():
        detection = profile.detect(paths, fs)
        state = profile.inspect(paths, fs)
        kind = classify_endpoint(state.endpoint)
        configured = configured_state(paths, tool)
        relevant = detection.found or configured != "no" or state.endpoint is not None
        notes = list(state.notes) if relevant else []
        if kind is EndpointKind.GENERAL:
            notes.insert(0, "uses Z.ai's GENERAL API: billed to your balance, not the plan")
        rows.append(
            ToolStatus(
                tool=tool,
                name=profile.DISPLAY_NAME,
                detected=detection.found,
                how=detection.how,
                configured=configured,
                endpoint=state.endpoint,
                endpoint_kind=kind.value,
                model=state.model,
                key=state.key,
                running=tuple(running.get(tool, ())),
                notes=tuple(dict.fromkeys(notes)),
            )
        )
    return rows


@click.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout.")
def status(as_json: bool) -> int:
    """Show each tool: detected, configured by glmplan, endpoint, model, key (masked), running."""
    paths = Paths.from_env()
    return render(StatusResult(tuple(collect_status(paths)), paths.home), as_json)
