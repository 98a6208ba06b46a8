"""A fork server for the real `glmplan` CLI, so hundreds of killed runs fit in the time budget.

Run as a script. It imports glmplan's command modules once, then for every JSON request on stdin
forks a child that runs `glmplan.cli.main.main(argv)` exactly as `python -m glmplan` would (its
own environment, stdin, stdout, stderr and exit status), and answers one JSON line per request:
`{"pid", "code", "killed", "ops", "seconds"}`.

Kill points, in the child only (nothing is added to glmplan's source):
- `kill_at: N` counts every file-system mutation the child starts (an os.open that may write, a
  fsync, a rename/replace, an unlink, a mkdir/rmdir, a chmod/chown) and SIGKILLs itself just
  before the N-th one runs;
- `kill_on: [op, text, n]` SIGKILLs it just before the n-th `op` (e.g. "replace") whose path
  arguments contain `text`;
- `kill_after: seconds` has this server SIGKILL the child after a delay (an asynchronous kill at
  any point, including inside a write), before the child is reaped, so the pid cannot be reused.
`count_file` receives the number of mutations a child that was not killed performed.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

import glmplan.cli.doctor_cmd
import glmplan.cli.restore_cmd
import glmplan.cli.setup_cmd
import glmplan.cli.status_cmd
import glmplan.cli.usage_cmd
import glmplan.installer.engine
import glmplan.installer.restore
import glmplan.tool_profiles  # noqa: F401  (imported once here, inherited by every fork)
from glmplan.cli.main import main

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_MUTATIONS = (
    "fsync",
    "replace",
    "rename",
    "unlink",
    "remove",
    "mkdir",
    "rmdir",
    "chmod",
    "fchmod",
    "fchown",
    "ftruncate",
)


class _Counter:
    def __init__(self, kill_at: int, kill_on: list[Any] | None) -> None:
        self.kill_at = kill_at
        self.kill_on = kill_on  # [op name, substring of its path arguments, nth match]
        self.matches = 0
        self.ops = 0

    def tick(self, name: str, args: tuple[Any, ...]) -> None:
        self.ops += 1
        if self.ops == self.kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        if not self.kill_on or name != self.kill_on[0]:
            return
        if self.kill_on[1] in " ".join(str(a) for a in args):
            self.matches += 1
            if self.matches == self.kill_on[2]:
                os.kill(os.getpid(), signal.SIGKILL)


def _instrument(counter: _Counter) -> None:
    real_open = os.open

    def counted_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & _WRITE_FLAGS:
            counter.tick("open", (path,))
        return real_open(path, flags, *args, **kwargs)

    os.open = counted_open
    for name in _MUTATIONS:
        setattr(os, name, _counted(counter, name, getattr(os, name)))


def _counted(counter: _Counter, name: str, real: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        counter.tick(name, args)
        return real(*args, **kwargs)

    return wrapper


def _child(request: dict[str, Any]) -> None:
    code = 99
    counter = _Counter(int(request.get("kill_at") or 0), request.get("kill_on"))
    try:
        os.environ.clear()
        os.environ.update(request["env"])
        os.chdir(request["env"]["HOME"])
        for fd, name, flags in (
            (0, request["stdin"], os.O_RDONLY),
            (1, request["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
            (2, request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
        ):
            opened = os.open(name, flags, 0o600)
            os.dup2(opened, fd)
            os.close(opened)
        sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
        _instrument(counter)
        try:
            main(list(request["argv"]))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
            if request.get("count_file"):
                with open(request["count_file"], "w", encoding="ascii") as fh:
                    fh.write(str(counter.ops))
        finally:
            os._exit(code)


def _wait(pid: int, kill_after: float | None) -> int:
    if kill_after is not None:
        deadline = time.monotonic() + kill_after
        while time.monotonic() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return status
            time.sleep(0.0005)
        os.kill(pid, signal.SIGKILL)  # not reaped yet: still our child, never a reused pid
    _, status = os.waitpid(pid, 0)
    return status


def serve() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:
            _child(request)
        status = _wait(pid, request.get("kill_after"))
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        answer = {
            "pid": pid,
            "code": os.waitstatus_to_exitcode(status),
            "killed": killed,
            "seconds": time.monotonic() - started,
        }
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()
