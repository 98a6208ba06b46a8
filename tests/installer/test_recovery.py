"""RELIABILITY 16: a run SIGKILLed between backup, journal and write is settled by the next run."""

from __future__ import annotations

import dataclasses
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from glmplan.installer.journal import load
from glmplan.installer.recovery import recover
from glmplan.installer.restore import restore
from glmplan.paths import Paths

from .helpers import USER_SETTINGS, claude_spec, setup

SCRIPT = """
import importlib, os, signal
from pathlib import Path
from glmplan.installer import engine
target = importlib.import_module({module!r})
from glmplan.installer.edits import FileSpec, Format, Set
from glmplan.paths import Paths

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

real = getattr(target, {name!r})
calls = []
def maybe_die(*args, **kwargs):
    calls.append(1)
    if len(calls) == {nth}:
        die()
    return real(*args, **kwargs)

setattr(target, {name!r}, maybe_die)
spec = FileSpec(
    path=Path({path!r}), format=Format.JSONC, holds_secret=True,
    edits=(Set(("env", "ANTHROPIC_AUTH_TOKEN"), "sk-CANARY-0123456789abcdefXYZ9", secret=True),),
)
paths = Paths.from_env()
engine.apply_run(engine.plan_run({{"claude-code": [spec]}}, paths), paths)
"""


def killed_run(
    path: Path, name: str, nth: int = 1, module: str = "glmplan.installer.engine"
) -> None:
    script = textwrap.dedent(SCRIPT.format(module=module, name=name, nth=nth, path=str(path)))
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, check=False)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()


@pytest.fixture
def settings(isolated_home: Path) -> Path:
    path = isolated_home / ".claude" / "settings.json"
    path.parent.mkdir()
    path.write_text(USER_SETTINGS)
    return path


def test_killed_after_journal_before_write_is_undone(paths: Paths, settings: Path) -> None:
    killed_run(settings, "replace", nth=2, module="os")  # 1: journal, 2: the temp never renamed
    assert [p.name for p in settings.parent.iterdir() if p.name.endswith(".glmplan.tmp")]
    (entry,) = load(paths).entries
    assert entry.state == "pending" and settings.read_text() == USER_SETTINGS
    notes = recover(paths)
    assert notes == [f"{settings}: an interrupted run never wrote it; its step was undone."]
    assert load(paths).entries == ()
    assert list(paths.backup_dir.iterdir()) == []
    assert [p.name for p in settings.parent.iterdir()] == ["settings.json"]  # temp swept


def test_killed_after_write_before_done_is_completed(paths: Paths, settings: Path) -> None:
    killed_run(settings, "current_sha256")  # the read-back verification after the write
    assert load(paths).entries[0].state == "pending"
    assert "sk-CANARY" in settings.read_text()
    result = setup(paths, {"claude-code": [claude_spec(settings)]})  # the next run settles it
    assert result.recovered == (f"{settings}: an interrupted run had written it; recorded.",)
    (entry,) = load(paths).entries
    assert entry.state == "done" and entry.previous is None
    restore(paths, None, force=False, dry_run=False)
    assert settings.read_text() == USER_SETTINGS


def test_killed_second_run_keeps_first_runs_history(paths: Paths, settings: Path) -> None:
    setup(paths, {"claude-code": [claude_spec(settings, key="sk-an-older-key-0000000000")]})
    first = load(paths).entries[0]
    killed_run(settings, "atomic_write")
    recover(paths)
    assert load(paths).entries == (first,)
    restore(paths, None, force=False, dry_run=False)
    assert settings.read_text() == USER_SETTINGS


def test_pending_file_changed_by_someone_else_is_reported(paths: Paths, settings: Path) -> None:
    killed_run(settings, "atomic_write")
    settings.write_text(USER_SETTINGS.replace('"vim"', '"nano"'))
    (note,) = recover(paths)
    assert "changed by another program" in note
    (entry,) = load(paths).entries
    assert entry.state == "done" and not entry.clean
    result = restore(paths, None, force=False, dry_run=False)
    assert result.exit_code == 0
    assert settings.read_text() == USER_SETTINGS.replace('"vim"', '"nano"')


def test_pending_entry_settled_by_a_run_with_nothing_to_write(paths: Paths, settings: Path) -> None:
    killed_run(settings, "current_sha256")  # written, not yet recorded as done
    spec = claude_spec(settings)
    token_only = dataclasses.replace(spec, edits=spec.edits[1:2])  # what the killed run set
    result = setup(paths, {"claude-code": [token_only]})
    assert not result.changed
    assert result.recovered == (f"{settings}: an interrupted run had written it; recorded.",)
    assert [e.state for e in load(paths).entries] == ["done"]


def test_backup_made_just_before_a_kill_is_removed_next_run(paths: Paths, settings: Path) -> None:
    killed_run(settings, "save_journal", module="glmplan.installer.store")
    assert load(paths).entries == ()
    (orphan,) = paths.backup_dir.iterdir()  # a 0600 copy no journal entry names
    foreign = paths.backup_dir / "notes.txt"
    foreign.write_text("not ours")
    recover(paths)
    assert not orphan.exists() and foreign.exists()
