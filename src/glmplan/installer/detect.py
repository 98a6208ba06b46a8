"""Which tools are installed (through each profile's `detect`) and which are running (psutil).

psutil is imported inside `running_processes` only: `glmplan --help` must not import it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePath

from glmplan.paths import Paths
from glmplan.tool_profiles.base import Detection, FileView, ToolProfile

_RUNTIMES = ("node", "nodejs", "bun", "deno")


@dataclass(frozen=True)
class RunningProcess:
    pid: int
    name: str


def detect_all(
    profiles: Mapping[str, ToolProfile], paths: Paths, fs: FileView
) -> dict[str, Detection]:
    return {tool: profile.detect(paths, fs) for tool, profile in profiles.items()}


def _part_matches(part: str, name: str) -> bool:
    stem = part.removesuffix(".js").removesuffix(".mjs").removesuffix(".exe")
    return stem == name or stem.startswith(name + "-")


def matches(argv: list[str], proc_name: str, names: Iterable[str]) -> bool:
    """True when a process is one of `names`: the binary itself, or a JS runtime running it.

    Only argv[0] and, for node/bun/deno, the script argument are looked at, so an editor that
    merely has `~/.claude/settings.json` open does not count.
    """
    wanted = tuple(names)
    exe = PurePath(argv[0]).name if argv else proc_name
    if any(_part_matches(exe, n) or _part_matches(proc_name, n) for n in wanted):
        return True
    runtime = exe.removesuffix(".exe")
    if runtime not in _RUNTIMES and proc_name not in _RUNTIMES:
        return False
    script = next((a for a in argv[1:] if not a.startswith("-")), None)
    if script is None:
        return False
    return any(_part_matches(part, n) for part in PurePath(script).parts for n in wanted)


def running_processes(
    process_names: Mapping[str, tuple[str, ...]],
) -> dict[str, list[RunningProcess]]:
    """tool id → its running processes (our own process excluded)."""
    import psutil  # heavy import, only when the process list is wanted

    found: dict[str, list[RunningProcess]] = {tool: [] for tool in process_names}
    me = os.getpid()
    for proc in psutil.process_iter(["pid", "name", "cmdline"]):
        info = proc.info
        if info.get("pid") == me:
            continue
        argv = [str(a) for a in (info.get("cmdline") or [])]
        name = str(info.get("name") or "")
        for tool, names in process_names.items():
            if names and matches(argv, name, names):
                found[tool].append(RunningProcess(int(info["pid"]), name))
                break
    return found
