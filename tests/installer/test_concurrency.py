"""RELIABILITY 15: glmplan's lock serialises whole read-modify-write runs across processes."""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

import pytest

from glmplan.installer import store
from glmplan.installer.edits import FileSpec, Format, Set
from glmplan.installer.engine import apply_run, plan_run
from glmplan.installer.journal import load
from glmplan.paths import Paths


def increment(target: str, times: int) -> None:
    # What is under test is the lock, not durability: fsync (~5 ms each on a busy disk, eight
    # per run) would make 800 runs take a minute. The child process is ours to patch.
    os.fsync = lambda fd: None
    paths = Paths.from_env()  # the child inherits the test's isolated HOME
    path = Path(target)
    for _ in range(times):
        with store.locked(paths):  # re-entrant: apply_run takes the same lock inside
            value = json.loads(path.read_text())["n"]
            spec = FileSpec(path=path, format=Format.JSON, edits=(Set(("n",), value + 1),))
            apply_run(plan_run({"counter": [spec]}, paths), paths)


@pytest.mark.parametrize(
    ("processes", "increments"),
    [(2, 15), pytest.param(4, 200, marks=pytest.mark.slow, id="4x200")],
)
def test_locked_increments_from_several_processes_all_survive(
    paths: Paths, tmp_path: Path, processes: int, increments: int
) -> None:
    target = tmp_path / "counter.json"
    target.write_text('{\n  "n": 0\n}\n')
    ctx = multiprocessing.get_context("fork")
    workers = [
        ctx.Process(target=increment, args=(str(target), increments)) for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert [w.exitcode for w in workers] == [0] * processes
    assert json.loads(target.read_text()) == {"n": processes * increments}
    (entry,) = load(paths).entries
    assert entry.state == "done"
    assert len(list(paths.backup_dir.iterdir())) == 1  # only the first original is kept
