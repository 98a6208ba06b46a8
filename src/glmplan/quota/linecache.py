"""A few-seconds cache of the rendered status line, read with nothing but the standard library.

Claude Code runs `glmplan statusline` every few seconds; importing the quota model to render the
line costs about 100 ms here, while reading this file costs a few. The line is reused while it is
younger than `TTL` seconds, no older than the snapshot's refresh time, and while none of the files
it was computed from changed (compared by mtime and size). The path logic mirrors `Paths` (a
test keeps them equal) because importing `glmplan.paths` would pull in dataclasses; `os.path`
rather than pathlib for the same reason (ruff's PTH rules are off for this file).
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Mapping

NAME = "statusline-line.json"
TTL = 5.0  # seconds; the countdown shows minutes, so a line is at most 5 s behind
_DEPS = (
    ("cache", "quota-snapshot.json"),
    ("cache", "quota-failure.json"),
    ("config", "config.toml"),
    ("config", "credentials.toml"),
)


def _base(env: Mapping[str, str], override: str, xdg: str, default: str) -> str:
    if env.get(override):
        return env[override]
    home = env.get("HOME") or env.get("USERPROFILE") or os.path.expanduser("~")
    value = env.get(xdg, "")
    root = value if value and os.path.isabs(value) else os.path.join(home, default)
    return os.path.join(root, "glmplan")


def dirs(env: Mapping[str, str]) -> dict[str, str]:
    return {
        "cache": _base(env, "GLMPLAN_CACHE_DIR", "XDG_CACHE_HOME", ".cache"),
        "config": _base(env, "GLMPLAN_CONFIG_DIR", "XDG_CONFIG_HOME", ".config"),
    }


def _stamp(env: Mapping[str, str]) -> list[object]:
    where = dirs(env)
    stamp: list[object] = [bool(env.get("ZAI_API_KEY"))]
    for kind, name in _DEPS:
        try:
            info = os.stat(os.path.join(where[kind], name))
            stamp.append([info.st_mtime_ns, info.st_size])
        except OSError:
            stamp.append(None)
    return stamp


def lookup(env: Mapping[str, str], now: float | None = None) -> str | None:
    """The cached line, or None when it must be computed again."""
    path = os.path.join(dirs(env)["cache"], NAME)
    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
        line, until, stamp = doc["line"], float(doc["until"]), doc["stamp"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    current = time.time() if now is None else now
    if not isinstance(line, str) or current >= until or stamp != _stamp(env):
        return None
    return line


def store(env: Mapping[str, str], line: str, due: float | None, now: float | None = None) -> None:
    """Remember `line` for TTL seconds (less when the snapshot is `due` for a refresh sooner)."""
    current = time.time() if now is None else now
    until = current + TTL if due is None else min(current + TTL, due)
    directory = dirs(env)["cache"]
    tmp = os.path.join(directory, f".{NAME}.{os.getpid()}.tmp")
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"line": line, "until": until, "stamp": _stamp(env)}, fh)
        os.replace(tmp, os.path.join(directory, NAME))
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
