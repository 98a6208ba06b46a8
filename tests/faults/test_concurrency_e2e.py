"""RELIABILITY 15 end to end: concurrent glmplan processes serialise through the lock, and a
third party writing a file between glmplan's read and its replace keeps its bytes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from glmplan.cli.settings import SetupRequest, resolve_settings
from glmplan.cli.setup_cmd import plan_specs
from glmplan.errors import ConflictError, GlmplanError
from glmplan.installer.engine import apply_run, plan_run
from glmplan.installer.fs import RealFileView
from glmplan.paths import Paths

from .harness import KEY, journal_of, our_temp_files, populate, unreferenced_backups, user_files

TOOLS = ("claude-code", "opencode", "crush", "goose")
ROUNDS = 3


def _start(*args: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "glmplan", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    assert proc.stdin is not None
    proc.stdin.write(KEY + "\n")
    proc.stdin.close()
    return proc


def _all_succeed(procs: list[subprocess.Popen[str]]) -> None:
    results = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in procs]
    for proc in procs:
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    assert [code for code, _ in results] == [0] * len(procs), results


@pytest.mark.slow
def test_concurrent_setups_of_different_tools_all_land(isolated_home: Path) -> None:
    populate(isolated_home, TOOLS)
    orig = user_files(isolated_home)
    for _ in range(ROUNDS):
        _all_succeed(
            [_start("setup", tool, "--plan", "pro", "--yes", "--api-key-stdin") for tool in TOOLS]
        )
        now = user_files(isolated_home)
        changed = {rel for rel in now if orig.get(rel) != now[rel]}
        journal = journal_of(isolated_home)
        journaled = {str(Path(e.resolved).relative_to(isolated_home)) for e in journal.entries}
        assert journaled == changed
        assert {t for e in journal.entries for t in e.tools} == set(TOOLS)
        assert all(e.state == "done" for e in journal.entries)
        assert our_temp_files(isolated_home) == []
        _all_succeed([_start("restore", tool, "--yes") for tool in TOOLS])
        assert user_files(isolated_home) == orig
        assert journal_of(isolated_home).entries == ()
        assert unreferenced_backups(isolated_home) == []


def _fd_path(fd: int) -> str:
    return os.readlink(f"/proc/self/fd/{fd}")


def _race_each_file(home: Path, paths: Paths, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """For each file of a real two-tool run: another program rewrites it while glmplan's temp
    copy is being flushed (after glmplan read it, before its replace). Their bytes must stay,
    every other file must be rolled back and no temp file or backup left. Returns the files
    whose abort was not reported as a plain conflict with the journal back as it was."""
    tools = ("claude-code", "goose")
    populate(home, tools)
    request = SetupRequest("pro", None, None, None, None, None, True, False)
    settings, _ = resolve_settings(request, paths, KEY, {})
    run = plan_run(plan_specs(tools, settings, paths, RealFileView(paths)), paths)
    targets = [f.resolved for f in run.files if f.changed]
    assert len(targets) >= 4
    orig = user_files(home)
    real_fsync = os.fsync
    misreported: list[str] = []
    for victim in targets:
        theirs = b'{"written": "by another program"}\n'

        def racing(fd: int, victim: Path = victim, theirs: bytes = theirs) -> None:
            name = os.path.basename(_fd_path(fd))
            now = victim.read_bytes() if victim.exists() else None
            if name.startswith(f".{victim.name}.") and now != theirs:
                victim.write_bytes(theirs)  # created or rewritten by someone else
            real_fsync(fd)

        with monkeypatch.context() as patch:
            patch.setattr(os, "fsync", racing)
            fresh = plan_run(plan_specs(tools, settings, paths, RealFileView(paths)), paths)
            with pytest.raises(GlmplanError, match="another program") as raised:
                apply_run(fresh, paths)
        rel = str(victim.relative_to(home))
        assert victim.read_bytes() == theirs
        expected = {k: v for k, v in orig.items() if k != rel}
        assert {k: v for k, v in user_files(home).items() if k != rel} == expected
        assert our_temp_files(home) == []
        if not isinstance(raised.value, ConflictError) or journal_of(home).entries:
            misreported.append(rel)
        shutil.rmtree(paths.state_dir)  # start the next victim from a clean state
        if rel in orig:
            (home / rel).write_bytes(orig[rel][0])
        else:
            victim.unlink()
    return misreported


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to name an fd")
def test_third_party_write_between_read_and_replace_keeps_their_bytes(
    isolated_home: Path, paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    _race_each_file(isolated_home, paths, monkeypatch)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to name an fd")
def test_compare_and_swap_abort_is_a_clean_conflict(
    isolated_home: Path, paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _race_each_file(isolated_home, paths, monkeypatch) == []
