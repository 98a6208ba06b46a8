"""The statusline's refresh throttle: at most one per interval, none while one runs."""

from __future__ import annotations

import os
import time

from glmplan.paths import Paths
from glmplan.quota import refresher


def write_pid(paths: Paths, pid: int, age: float) -> None:
    path = refresher.pid_path(paths)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(str(pid))
    stamp = time.time() - age
    os.utime(path, (stamp, stamp))


def test_recent_spawn_blocks_another(paths: Paths) -> None:
    write_pid(paths, 999_999_999, age=5)
    assert refresher._recent(refresher.pid_path(paths), 60, time.time())


def test_running_child_blocks_until_stuck(paths: Paths) -> None:
    write_pid(paths, os.getpid(), age=120)  # alive (this process), older than one interval
    assert refresher._recent(refresher.pid_path(paths), 60, time.time())
    write_pid(paths, os.getpid(), age=600)  # alive but older than 5 intervals: stuck, ignored
    assert not refresher._recent(refresher.pid_path(paths), 60, time.time())


def test_finished_child_after_interval_allows_a_new_one(paths: Paths) -> None:
    write_pid(paths, 999_999_999, age=120)
    assert not refresher._recent(refresher.pid_path(paths), 60, time.time())


def test_missing_or_garbage_pid_file(paths: Paths) -> None:
    assert not refresher._recent(refresher.pid_path(paths), 60, time.time())
    write_pid(paths, 1, age=0)
    refresher.pid_path(paths).write_text("not a pid")
    assert not refresher._recent(refresher.pid_path(paths), 60, time.time())


def test_refresh_argv_never_holds_a_key() -> None:
    assert refresher.REFRESH_ARGS == ("-m", "glmplan", "usage", "--json", "--source", "api")
