"""RELIABILITY 18 and 19: with a canary key, every command shows only its masked form.

Every command runs as a real `python -m glmplan` process. A `sitecustomize` on PYTHONPATH (see
`audit/`) makes every Python process of the run, including the statusline's detached refresh,
log its own argv and the argv of each process it starts, so "no child gets the key in argv" is
checked for every child, not only the ones still alive to show a /proc cmdline.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import time
from pathlib import Path

import pytest

from glmplan.paths import Paths
from tests.support.cli import CliRun, run_glmplan
from tests.support.quota_server import LEGACY_PAYLOAD, QuotaServer, require_auth

from .harness import EXISTING, KEY, MASKED, populate

AUDIT_DIR = Path(__file__).with_name("audit")
ALL_TOOLS = tuple(sorted({tool for tool, _fmt, _text in EXISTING.values()}))


def _run(env: dict[str, str], *args: str, stdin: str = "") -> CliRun:
    run = run_glmplan(*args, stdin=stdin, env=env)
    assert KEY not in run.out and KEY not in run.err, args
    return run


def _wait_gone(pid_file: Path, seconds: float = 20) -> None:
    """Wait for the statusline's background refresh to finish (it writes the cache)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(int(pid_file.read_text()), 0)
        except (FileNotFoundError, ValueError, ProcessLookupError):
            return
        time.sleep(0.05)


def _files_holding(root: Path, needle: bytes) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


@pytest.fixture
def canary_env(tmp_path: Path) -> dict[str, str]:
    return {
        "PYTHONPATH": str(AUDIT_DIR),
        "GLMPLAN_AUDIT_LOG": str(tmp_path / "audit.jsonl"),
    }


def _every_command(env: dict[str, str], home: Path) -> list[CliRun]:
    stdin = KEY + "\n"
    setup = ("setup", "--all", "--plan", "pro", "--api-key-stdin")
    runs = [
        _run(env, *setup, "--dry-run", stdin=stdin),
        _run(env, *setup, "--dry-run", "--json", stdin=stdin),
        _run(env, *setup, "--yes", "--json", stdin=stdin),
        _run(env, *setup, "--yes", stdin=stdin),  # second run: unchanged
        _run(env, "statusline"),  # empty cache: starts the background refresh
        _run(env, "status"),
        _run(env, "status", "--json"),
        _run(env, "usage"),
        _run(env, "usage", "--json"),
        _run(env, "doctor"),
        _run(env, "doctor", "--json"),
    ]
    _wait_gone(Paths.from_env({"HOME": str(home)}).cache_dir / "refresh.pid")
    runs.append(_run(env, "restore", "--all", "--yes", "--dry-run"))
    runs.append(_run(env, "restore", "--all", "--yes", "--json"))
    return runs


def _forced_crash(env: dict[str, str], paths: Paths) -> CliRun:
    """A journal that is a directory is nothing glmplan expects: exit 3 and a crash log."""
    paths.journal_file.unlink(missing_ok=True)
    paths.journal_file.mkdir()
    crash = _run(
        env, "setup", "--all", "--plan", "pro", "--yes", "--api-key-stdin", stdin=KEY + "\n"
    )
    assert crash.code == 3, crash.err
    assert "crash log" in crash.err
    paths.journal_file.rmdir()
    return crash


def test_canary_key_only_ever_appears_masked(
    isolated_home: Path, paths: Paths, canary_env: dict[str, str], tmp_path: Path
) -> None:
    populate(isolated_home, ALL_TOOLS)
    with QuotaServer() as server:
        server.handler = require_auth(KEY, LEGACY_PAYLOAD)
        env = {**canary_env, "GLMPLAN_API_BASE": server.base}
        runs = _every_command(env, isolated_home)
        crash = _forced_crash(env, paths)
    assert server.requests, "usage and doctor asked the loopback quota server"
    assert MASKED in runs[0].out  # the dry-run diff shows the key, masked
    assert all(r.code in (0, 1) for r in runs), [(r.code, r.err) for r in runs]

    crash_logs = list(paths.crash_dir.iterdir())
    assert len(crash_logs) == 1 and crash_logs[0].name in crash.err
    assert stat.S_IMODE(crash_logs[0].stat().st_mode) == 0o600
    assert b"Traceback" in crash_logs[0].read_bytes()

    holders = _files_holding(isolated_home, KEY.encode())
    assert paths.credentials_file in holders
    for path in holders:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        assert not path.is_relative_to(paths.state_dir) or path.parent == paths.backup_dir, path
        assert not path.is_relative_to(paths.cache_dir), path
    names = [str(p) for p in isolated_home.rglob("*")]
    assert not [n for n in names if KEY in n]

    records = [json.loads(line) for line in (tmp_path / "audit.jsonl").read_text().splitlines()]
    assert not [r for r in records if KEY in json.dumps(r, ensure_ascii=False)]
    refresh = [r for r in records if r["kind"] == "self" and "--source" in r["argv"]]
    assert refresh, "the statusline's background refresh ran (and was audited)"


def test_key_inside_an_error_message_is_masked(
    isolated_home: Path, canary_env: dict[str, str]
) -> None:
    """A message that names a path containing the key (a directory named after it) masks it."""
    odd = isolated_home / KEY
    (odd / "settings.json").mkdir(parents=True)  # not a regular file: refused, path in message
    env = {**canary_env, "CLAUDE_CONFIG_DIR": str(odd), "ZAI_API_KEY": KEY}
    refused = _run(env, "setup", "claude-code", "--plan", "pro", "--yes")
    assert refused.code == 1
    assert MASKED in refused.err and "not a regular file" in refused.err
    shutil.rmtree(odd)


def test_crash_whose_log_cannot_be_written_is_still_masked(
    isolated_home: Path, canary_env: dict[str, str]
) -> None:
    """A crash (the journal is a directory) whose crash log cannot be written either (the crash
    dir is a file, inside a state dir named after the key): a masked message, exit 3."""
    state = isolated_home / KEY / "state"
    state.mkdir(parents=True)
    (state / "journal.json").mkdir()
    (state / "crash").write_text("")
    env = {**canary_env, "GLMPLAN_STATE_DIR": str(state)}
    run = run_glmplan(
        "setup", "claude-code", "--plan", "pro", "--yes", "--api-key-stdin",
        stdin=KEY + "\n", env=env,
    )  # fmt: skip
    assert KEY not in run.err
    assert "No crash log could be written" in run.err
    assert run.code == 3
