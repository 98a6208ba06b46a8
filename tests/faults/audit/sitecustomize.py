"""Loaded by every Python process started with this directory on PYTHONPATH (the CLI, and every
Python child it starts, since they inherit the environment): records the process's own argv and
the argv of every process it starts, one JSON line each, in $GLMPLAN_AUDIT_LOG."""

from __future__ import annotations

import json
import os
import sys

_LOG = os.environ.get("GLMPLAN_AUDIT_LOG")
_SPAWN_EVENTS = {"subprocess.Popen", "os.exec", "os.posix_spawn", "os.spawn", "os.system"}


def _record(kind: str, argv: object) -> None:
    if not _LOG:
        return
    line = json.dumps({"pid": os.getpid(), "kind": kind, "argv": argv}, default=repr)
    with open(_LOG, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")


def _hook(event: str, args: tuple[object, ...]) -> None:
    if event in _SPAWN_EVENTS:
        _record(event, [repr(a) for a in args[:2]])


if _LOG:
    _record("self", list(sys.orig_argv))
    sys.addaudithook(_hook)
